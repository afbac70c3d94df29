import CCurl

#if canImport(Glibc)
    import Glibc
#endif

/// Where the system keeps its certificate authorities.
///
/// libcurl looks for them where the distribution that built it keeps them: Debian's libcurl in
/// `/etc/ssl/certs/ca-certificates.crt`. A bootstrap built on Debian and run on Amazon Linux 2023 (Lambda's
/// `provided.al2023`) carries Debian's libcurl, and that file is not there: every HTTPS request would fail to
/// verify its peer. So the bundle is chosen at start-up: `SSL_CERT_FILE` when set, else libcurl's own default
/// when it exists, else the first bundle that exists among the places other distributions use.
public enum CertificateAuthorities {
    /// Bundles as the distributions name them, Debian's first.
    public static let knownBundles = [
        "/etc/ssl/certs/ca-certificates.crt",  // Debian, Ubuntu
        "/etc/pki/tls/certs/ca-bundle.crt",  // Amazon Linux, Fedora, RHEL
        "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  // Amazon Linux 2023, RHEL 9
        "/etc/ssl/ca-bundle.pem",  // openSUSE
        "/etc/ssl/cert.pem",  // Alpine
    ]

    /// The bundle for this process, found once; `nil` when libcurl's default serves.
    public static let systemBundle: String? = choose(
        environment: getenv("SSL_CERT_FILE").map { String(cString: $0) },
        libcurlDefault: bt_curl_version_info().pointee.cainfo.map { String(cString: $0) },
        exists: { access($0, R_OK) == 0 })

    /// The choice, given what the environment names, where libcurl looks, and which files exist.
    public static func choose(environment: String?, libcurlDefault: String?, exists: (String) -> Bool) -> String? {
        if let named = environment, !named.isEmpty { return named }
        if let builtIn = libcurlDefault, exists(builtIn) { return nil }
        return knownBundles.first(where: exists)
    }
}
