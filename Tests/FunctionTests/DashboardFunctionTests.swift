import Foundation
import HTTPClient
import Postgres
import Synchronization
import TestSupport
import Testing

/// A function serving HTTP on 127.0.0.1 (`--serve`), as `scripts/dashboard` runs the dashboard: the shim turns
/// each request into a function URL event and each response back into HTTP. Its log (stderr) is read as it is
/// written, so that a request that fails can say what the function had logged by then.
final class ServedFunction: Sendable {
    let process: FunctionProcess
    let baseURL: String
    private let log = Log()

    /// The function's stderr as read so far, and a signal once it ends.
    private final class Log: Sendable {
        let bytes = Mutex<[UInt8]>([])
        let ended = DispatchSemaphore(value: 0)
    }

    init(_ name: String = "DashboardFunction", environment: [String: String]) async throws {
        process = try FunctionProcess(name, arguments: ["--serve", "127.0.0.1:0"], environment: environment)
        let errors = process.errors.fileHandleForReading
        DispatchQueue(label: "served-function-log").async { [log] in
            while case let chunk = errors.availableData, !chunk.isEmpty {
                log.bytes.withLock { $0.append(contentsOf: chunk) }
            }
            log.ended.signal()
        }
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

    /// What the function has logged so far.
    var logSoFar: String { log.bytes.withLock { String(decoding: $0, as: UTF8.self) } }

    /// `request` sent with `client`; an error names the request and carries the function's log so far.
    ///
    /// Its time limit is 120 s, not the client's 30: the first page that needs the database connects and
    /// migrates an empty one, and at the start of a test run, with every suite making and migrating its own
    /// database on two cores, that once took over 30 s. A function that hangs is still caught, by this limit and
    /// by the test run's own.
    func execute(with client: HTTPClient, _ request: HTTPRequest) async throws -> HTTPResponse {
        var request = request
        request.timeout = .seconds(120)
        do {
            return try await client.execute(request)
        } catch {
            throw MotoError(
                "\(request.method) \(request.url) failed: \(error)\nthe function's log so far:\n\(logSoFar)")
        }
    }

    /// Stops the function and returns its whole log (its stderr read to the end by the log's reader alone).
    func stop() async -> String {
        process.process.terminate()
        await withCheckedContinuation { continuation in
            DispatchQueue(label: "served-function-end").async { [process, log] in
                _ = process.output.fileHandleForReading.readDataToEndOfFile()
                process.process.waitUntilExit()
                log.ended.wait()
                continuation.resume()
            }
        }
        return logSoFar
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
            try await served.execute(
                with: client,
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
        let signedIn = try await served.execute(
            with: client,
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
        #expect(try await db.query("SELECT max(version) FROM schema_migration").scalarText == "28")

        let subscribe = try await served.execute(
            with: client,
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
        let oversized = try await served.execute(
            with: client,
            HTTPRequest(
                method: "POST", url: served.baseURL + "/subscribe", headers: ["Cookie": cookie],
                body: [UInt8](repeating: 65, count: 7 * 1024 * 1024)))
        #expect(oversized.status == 413)
        let log = await served.stop()
        #expect(log.contains("path=/geography status=200"))
        #expect(!log.contains("a long local password"))
    }
}
