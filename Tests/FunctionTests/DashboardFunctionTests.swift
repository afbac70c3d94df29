import Foundation
import HTTPClient
import Postgres
import TestSupport
import Testing

/// A function serving HTTP on 127.0.0.1 (`--serve`), as `scripts/dashboard` runs the dashboard: the shim turns
/// each request into a function URL event and each response back into HTTP.
final class ServedFunction: Sendable {
    let process: FunctionProcess
    let baseURL: String

    init(_ name: String = "DashboardFunction", environment: [String: String]) async throws {
        process = try FunctionProcess(name, arguments: ["--serve", "127.0.0.1:0"], environment: environment)
        let handle = process.output.fileHandleForReading
        // The first line says where it serves.
        let line: String = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue(label: "served-dashboard").async {
                var bytes: [UInt8] = []
                while true {
                    let chunk = handle.readData(ofLength: 1)
                    if chunk.isEmpty || chunk.first == 10 { break }
                    bytes.append(chunk.first!)
                }
                let text = String(decoding: bytes, as: UTF8.self)
                if text.hasPrefix("serving ") {
                    continuation.resume(returning: String(text.dropFirst("serving ".count)))
                } else {
                    continuation.resume(throwing: MotoError("\(name) did not start: '\(text)'"))
                }
            }
        }
        baseURL = line
    }

    func stop() async -> String {
        process.process.terminate()
        return await process.finish().stderr
    }
}

@Suite("DashboardFunction serving HTTP on 127.0.0.1, signed in with a credentials file")
struct DashboardFunctionTests {
    @Test("over real HTTP: sign-in redirect, the cookie, pages, a form post, errors, and the log of each request")
    func served() async throws {
        let home = try await LoadHome("fndash")
        try FileManager.default.createDirectory(atPath: home.path, withIntermediateDirectories: true)
        let credentials = home.path + "/dashboard.json"
        try Data(#"{"username": "label", "password": "a long local password"}"#.utf8).write(
            to: URL(fileURLWithPath: credentials))
        var environment = home.environment
        environment["DASHBOARD_CREDENTIALS_FILE"] = credentials
        let served = try await ServedFunction(environment: environment)
        let client = HTTPClient(configuration: HTTPClient.Configuration(followRedirects: false))
        func get(_ path: String, cookie: String? = nil) async throws -> HTTPResponse {
            try await client.execute(
                HTTPRequest(url: served.baseURL + path, headers: HTTPHeaders(cookie.map { [("Cookie", $0)] } ?? [])))
        }

        let away = try await get("/geography?country=JP")
        #expect(away.status == 303 && away.headers["location"] == "/sign-in?next=%2Fgeography%3Fcountry%3DJP")
        let form = try await get("/sign-in?next=%2Fgeography")
        #expect(form.status == 200 && form.headers["content-security-policy"]?.contains("default-src 'none'") == true)
        // The page's form token, as a browser keeps it: posts carry it back with the page's origin.
        let formCookie = String(try #require(form.headers["set-cookie"]).prefix { $0 != ";" })
        let token = String(formCookie.dropFirst("bt_form=".count))
        #expect(formCookie.hasPrefix("bt_form=") && token.count == 64)

        let body = "username=label&password=a+long+local+password&next=%2Fgeography&form_token=\(token)"
        let signedIn = try await client.execute(
            HTTPRequest(
                method: "POST", url: served.baseURL + "/sign-in",
                headers: [
                    "Content-Type": "application/x-www-form-urlencoded", "Origin": served.baseURL, "Cookie": formCookie,
                ], body: Array(body.utf8)))
        #expect(signedIn.status == 303 && signedIn.headers["location"] == "/geography")
        let setCookie = try #require(signedIn.headers["set-cookie"])
        // Over plain HTTP on this machine the cookie cannot be Secure (a browser would drop it).
        #expect(setCookie.contains("HttpOnly") && !setCookie.contains("Secure"))
        let cookie = String(setCookie.prefix { $0 != ";" })

        // The first page migrates the empty warehouse; every page answers.
        for path in ["/", "/genres", "/artists?q=x", "/geography", "/analysis", "/charts", "/alerts", "/subscribe"] {
            let page = try await get(path, cookie: cookie)
            #expect(page.status == 200, "\(path)")
            #expect(String(decoding: page.body, as: UTF8.self).contains("</html>"), "\(path)")
        }
        let db = try await PostgresConnection.connect(url: home.databaseURL)
        #expect(try await db.query("SELECT max(version) FROM schema_migration").scalarText == "24")

        let subscribe = try await client.execute(
            HTTPRequest(
                method: "POST", url: served.baseURL + "/subscribe",
                headers: [
                    "Content-Type": "application/x-www-form-urlencoded", "Cookie": "\(cookie); \(formCookie)",
                    "Origin": served.baseURL,
                ], body: Array("email=fan%40example.org&daily_report=on&form_token=\(token)".utf8)))
        #expect(subscribe.status == 200)
        let mail = try FileManager.default.contentsOfDirectory(atPath: home.path + "/.local/outbox/mail")
        #expect(mail.count == 1)
        let link = try String(contentsOfFile: home.path + "/.local/outbox/mail/" + mail[0], encoding: .utf8)
        #expect(link.contains("confirm") || link.contains("Confirm"))

        #expect(try await get("/nowhere", cookie: cookie).status == 404)
        let oversized = try await client.execute(
            HTTPRequest(
                method: "POST", url: served.baseURL + "/subscribe", headers: ["Cookie": cookie],
                body: [UInt8](repeating: 65, count: 7 * 1024 * 1024)))
        #expect(oversized.status == 413)
        let log = await served.stop()
        #expect(log.contains("path=/geography status=200"))
        #expect(!log.contains("a long local password"))
    }
}
