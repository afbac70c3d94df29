import Foundation
import HTTPClient
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A raw TCP connection to the served function, for what an HTTP client will not send.
struct RawConnection {
    let descriptor: Int32

    init(_ baseURL: String) throws {
        let port = UInt16(baseURL.split(separator: ":").last ?? "") ?? 0
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        var limit = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else { throw MotoError("cannot connect to \(baseURL)") }
    }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 { return }
            offset += sent
        }
    }

    /// Everything until the server closes (or 20 s pass).
    func receiveAll() -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    func close() { _ = Glibc.close(descriptor) }
}

@Suite("--serve as a server: concurrent connections, linear heads, HEAD, and the served address, not Host")
struct LocalServerTests {
    @Test("a slow client stalls nobody: another request is answered while the first has not finished its head")
    func slowClient() async throws {
        let served = try await ServedFunction("EchoFunction", environment: [:])
        let slow = try RawConnection(served.baseURL)
        slow.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        // Had the server waited for the slow client, this would wait for its 10 s read timeout, past 3 s.
        let answer = try await HTTPClient().execute(HTTPRequest(url: served.baseURL + "/fast", timeout: .seconds(3)))
        #expect(answer.status == 200)
        slow.close()
        _ = await served.stop()
    }

    @Test("a head of 12,000 small headers is read in one pass; HEAD answers without a body")
    func headers() async throws {
        let served = try await ServedFunction("EchoFunction", environment: [:])
        let many = try RawConnection(served.baseURL)
        many.send("GET /many HTTP/1.1\r\nHost: 127.0.0.1\r\n" + String(repeating: "a:1\r\n", count: 12_000) + "\r\n")
        let answer = many.receiveAll()
        many.close()
        #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer.prefix(200))")
        let head = try RawConnection(served.baseURL)
        head.send("HEAD /x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let headAnswer = head.receiveAll()
        head.close()
        let parts = headAnswer.components(separatedBy: "\r\n\r\n")
        #expect(headAnswer.hasPrefix("HTTP/1.1 200") && parts.count == 2 && parts[1].isEmpty, "\(headAnswer)")
        #expect(headAnswer.lowercased().contains("content-length: ") && !headAnswer.contains("content-length: 0"))
        _ = await served.stop()
    }

    @Test("the event's domain is the address served, never the request's Host")
    func host() async throws {
        let served = try await ServedFunction("EchoFunction", environment: [:])
        let connection = try RawConnection(served.baseURL)
        connection.send("GET /confirm HTTP/1.1\r\nHost: evil.example\r\n\r\n")
        let answer = connection.receiveAll()
        connection.close()
        let body = answer.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        let event = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        let context = event?["requestContext"] as? [String: Any]
        let bound = String(served.baseURL.dropFirst("http://".count))
        #expect(context?["domainName"] as? String == bound, "\(body.prefix(300))")
        _ = await served.stop()
    }
}

@Suite("lambda-emulator with a function that cannot start")
struct EmulatorInitErrorTests {
    @Test("it says the init error and exits, without waiting out the events")
    func initError() async throws {
        let function = FunctionProcess.productsDirectory.appendingPathComponent("AlertFunction").path
        let started = ContinuousClock.now
        let run = try await FunctionProcess.run(
            "lambda-emulator",
            arguments: ["--event", "events/alert-scheduled.json", "--event", "events/alert-scheduled.json", function],
            environment: ["ALERT_DIGEST_HOUR": "25", "BANDCAMP_TRACKER_HOME": NSTemporaryDirectory()])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("init error") && run.stderr.contains("ALERT_DIGEST_HOUR"), "\(run.stderr)")
        // The events' limit is 60 s each: it did not wait for one.
        #expect(ContinuousClock.now - started < .seconds(50))
    }
}

@Suite("Secrets stay out of the logs")
struct SecretsInLogsTests {
    @Test("a password in DATABASE_URL, after the user or as password=, is *** in the start-up line")
    func databasePassword() async throws {
        let home = try await LoadHome("fnsecret")
        // The project's cluster trusts local connections: the password is never checked, only carried.
        let withPassword = home.databaseURL.replacingOccurrences(
            of: "postgresql://bandcamp_tracker@", with: "postgresql://bandcamp_tracker:hunter2@")
        #expect(withPassword != home.databaseURL)
        for url in [withPassword, home.databaseURL + "?password=hunter2"] {
            let run = try await FunctionProcess.run(
                "LoadFunction", environment: home.environment.merging(["DATABASE_URL": url]) { _, new in new },
                input: Data(#"{"command":"migrate"}"#.utf8))
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains("ready") && run.stderr.contains("***"), "\(run.stderr)")
            #expect(!run.stderr.contains("hunter2") && !run.stdout.contains("hunter2"))
        }
    }
}
