import HTTPClient
import Testing

@Suite("The certificate authorities a bootstrap verifies TLS peers against")
struct CertificateAuthoritiesTests {
    let debian = "/etc/ssl/certs/ca-certificates.crt"

    @Test("libcurl's own default is kept where it exists (Debian, the laptop)")
    func keepsTheDefault() {
        #expect(
            CertificateAuthorities.choose(environment: nil, libcurlDefault: debian, exists: { $0 == debian }) == nil)
    }

    @Test("On Amazon Linux 2023 Debian's path is missing and the system's own bundle is chosen")
    func findsAmazonLinuxBundle() {
        let amazon: Set = ["/etc/pki/tls/certs/ca-bundle.crt", "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem"]
        let chosen = CertificateAuthorities.choose(
            environment: nil, libcurlDefault: debian, exists: { amazon.contains($0) })
        #expect(chosen == "/etc/pki/tls/certs/ca-bundle.crt")
    }

    @Test("SSL_CERT_FILE wins; an empty one is ignored; with no bundle anywhere libcurl's default stays")
    func environmentAndNothing() {
        #expect(
            CertificateAuthorities.choose(environment: "/opt/ca.pem", libcurlDefault: debian, exists: { _ in true })
                == "/opt/ca.pem")
        #expect(CertificateAuthorities.choose(environment: "", libcurlDefault: debian, exists: { _ in true }) == nil)
        #expect(CertificateAuthorities.choose(environment: nil, libcurlDefault: nil, exists: { _ in false }) == nil)
    }

    @Test("Every client uses the process's choice unless told otherwise")
    func clientsUseIt() {
        #expect(HTTPClient.Configuration().certificateAuthorities == CertificateAuthorities.systemBundle)
    }
}
