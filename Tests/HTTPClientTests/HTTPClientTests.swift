import Dispatch
import HTTPClient
import LocalHTTPServer
import Testing

@Suite("The libcurl HTTP client against a server on 127.0.0.1")
struct HTTPClientTests {
    /// A server that echoes what it got: method, path, chosen headers and the body's length.
    func echoServer() async throws -> LocalHTTPServer {
        try await LocalHTTPServer.start { request in
            switch request.path {
            case "/slow":
                try? await Task.sleep(for: .seconds(10))
                return .text(200, "late")
            case "/truncated":
                return .truncated(status: 200, body: Array("only part".utf8), declaredLength: 1000)
            case "/close":
                return .closeConnection
            case "/moved":
                return .response(status: 301, headers: [("Location", "/landed")], body: [])
            case "/status":
                return .text(Int(request.query("code") ?? "500") ?? 500, "as asked")
            default:
                let empty = request.header("X-Empty").map { "[\($0)]" } ?? "absent"
                let text =
                    "\(request.method) \(request.uri) \(request.header("X-Test") ?? "-") \(empty) "
                    + "\(request.body.count) expect=\(request.header("Expect") ?? "none") "
                    + "type=\(request.header("Content-Type") ?? "none")"
                return .response(
                    status: 200, headers: [("X-Reply", "yes"), ("X-Multi", "1"), ("X-Multi", "2")],
                    body: Array(text.utf8))
            }
        }
    }

    @Test(
        "each method sends its body and headers and reads status, headers and body",
        arguments: ["GET", "POST", "PUT", "DELETE", "PATCH"])
    func methods(method: String) async throws {
        let server = try await echoServer()
        let client = HTTPClient()
        let body: [UInt8]? = method == "GET" || method == "DELETE" ? nil : Array(repeating: 7, count: 70_000)
        let response = try await client.execute(
            HTTPRequest(
                method: method, url: "\(server.baseURL)/echo?a=1&b=%2B", headers: ["X-Test": "v", "X-Empty": ""],
                body: body))
        #expect(response.status == 200)
        #expect(response.headers["x-reply"] == "yes")
        #expect(response.headers.values(for: "X-Multi") == ["1", "2"])
        #expect(
            String(decoding: response.body, as: UTF8.self)
                == "\(method) /echo?a=1&b=%2B v [] \(body?.count ?? 0) expect=none type=none")
        await server.shutdown()
    }

    @Test("HEAD reads the headers and no body")
    func head() async throws {
        let server = try await echoServer()
        let response = try await HTTPClient().execute(HTTPRequest(method: "HEAD", url: "\(server.baseURL)/x"))
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        await server.shutdown()
    }

    @Test("an error status is a response, not a thrown error", arguments: [404, 429, 503])
    func errorStatus(code: Int) async throws {
        let server = try await echoServer()
        let response = try await HTTPClient().execute(HTTPRequest(url: "\(server.baseURL)/status?code=\(code)"))
        #expect(response.status == code)
        #expect(!response.isSuccess)
        await server.shutdown()
    }

    @Test("a slow peer past the timeout is a .timedOut error, which is transient")
    func timeout() async throws {
        let server = try await echoServer()
        let error = await #expect(throws: HTTPClientError.self) {
            try await HTTPClient().execute(HTTPRequest(url: "\(server.baseURL)/slow", timeout: .milliseconds(200)))
        }
        #expect(error?.code == .timedOut)
        #expect(error?.isTransient == true)
        await server.shutdown()
    }

    @Test("a truncated body or a closed connection is a .transport error")
    func brokenResponses() async throws {
        let server = try await echoServer()
        let client = HTTPClient()
        for path in ["/truncated", "/close"] {
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPRequest(url: server.baseURL + path))
            }
            #expect(error?.code == .transport)
        }
        // The client is still sound after broken exchanges.
        #expect(try await client.execute(HTTPRequest(url: server.baseURL + "/ok")).status == 200)
        await server.shutdown()
    }

    @Test("a refused connection is .couldNotConnect, and the error names the origin but not the path")
    func refused() async throws {
        let server = try await echoServer()
        let url = "http://user:secret@127.0.0.1:\(server.port)/private?token=abc"
        await server.shutdown()
        let error = await #expect(throws: HTTPClientError.self) {
            try await HTTPClient().execute(HTTPRequest(url: url))
        }
        #expect(error?.code == .couldNotConnect)
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("127.0.0.1:\(server.port)"))
        #expect(!text.contains("secret") && !text.contains("token") && !text.contains("private"))
    }

    @Test("cancelling the waiting task aborts the transfer")
    func cancellation() async throws {
        let server = try await echoServer()
        let client = HTTPClient()
        let task = Task { try await client.execute(HTTPRequest(url: "\(server.baseURL)/slow", timeout: nil)) }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        let clock = ContinuousClock()
        let start = clock.now
        let result = await task.result
        // Well before the answer (10 s): libcurl asks whether to go on about once a second when idle.
        #expect(clock.now - start < .seconds(5))
        guard case .failure(let error as HTTPClientError) = result else {
            Issue.record("expected a cancellation error, got \(result)")
            return
        }
        #expect(error.code == .cancelled)
        await server.shutdown()
    }

    @Test("a host mapping sends another host's requests to the local server")
    func connectTo() async throws {
        let server = try await echoServer()
        let client = HTTPClient(
            configuration: .init(connectTo: ["artist.bandcamp.example:80:127.0.0.1:\(server.port)"]))
        let response = try await client.execute(HTTPRequest(url: "http://artist.bandcamp.example/album/x"))
        #expect(String(decoding: response.body, as: UTF8.self).hasPrefix("GET /album/x"))
        await server.shutdown()
    }

    @Test("many requests at once all complete over the pooled handles")
    func concurrency() async throws {
        let server = try await echoServer()
        let client = HTTPClient(configuration: .init(maximumIdleHandles: 2))
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<40 {
                group.addTask { try await client.execute(HTTPRequest(url: "\(server.baseURL)/n\(index)")).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: 40))
        await server.shutdown()
    }

    @Test("the blocking call gives the same response as the async one")
    func blocking() async throws {
        let server = try await echoServer()
        // A blocking call belongs on a thread of its own, never on the cooperative pool.
        let response = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue(label: "blocking-call").async {
                continuation.resume(
                    with: Result { try HTTPClient().executeBlocking(HTTPRequest(url: "\(server.baseURL)/b")) })
            }
        }
        #expect(String(decoding: response.body, as: UTF8.self).hasPrefix("GET /b"))
        await server.shutdown()
    }

    @Test("redirects are followed when the client is told to, and returned as they are otherwise")
    func redirects() async throws {
        let server = try await echoServer()
        let following = HTTPClient(configuration: .init(followRedirects: true))
        let followed = try await following.execute(HTTPRequest(url: "\(server.baseURL)/moved"))
        #expect(followed.status == 200)
        #expect(String(decoding: followed.body, as: UTF8.self).hasPrefix("GET /landed"))
        let plain = try await HTTPClient().execute(HTTPRequest(url: "\(server.baseURL)/moved"))
        #expect(plain.status == 301 && plain.headers["Location"] == "/landed")
        await server.shutdown()
    }

    @Test("Retry-After in seconds is read and capped; other forms are not guessed at")
    func retryAfter() {
        func wait(_ value: String?) -> Duration? {
            HTTPResponse(status: 429, headers: HTTPHeaders(value.map { [("Retry-After", $0)] } ?? []))
                .retryAfter(atMost: .seconds(120))
        }
        #expect(wait("7") == .seconds(7))
        #expect(wait(" 30 ") == .seconds(30))
        #expect(wait("3600") == .seconds(120))
        #expect(wait("Wed, 21 Oct 2026 07:28:00 GMT") == nil)
        #expect(wait("-1") == nil && wait(nil) == nil)
    }
}
