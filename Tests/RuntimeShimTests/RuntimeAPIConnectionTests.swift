import Dispatch
import TestSupport
import Testing

@testable import RuntimeShim

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP peer on 127.0.0.1 that answers each connection with scripted raw bytes, one reply a request,
/// so that tests can send what a well-behaved server library never would.
final class RawPeer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    /// Per connection, the replies to its requests in order; after the last, the connection is closed.
    private let script: [[String]]

    init(_ script: [[String]]) throws {
        self.script = script
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
        }
        listen(listener, 8)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        DispatchQueue(label: "raw-peer").async { self.serve() }
    }

    deinit { close(listener) }

    private func serve() {
        for replies in script {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            for reply in replies {
                guard readRequest(connection) else { break }
                let bytes = Array(reply.utf8)
                _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
            close(connection)
        }
    }

    /// Reads one request's head and its Content-Length body.
    private func readRequest(_ connection: Int32) -> Bool {
        var data: [UInt8] = []
        var byte: UInt8 = 0
        while !data.ends(with: Array("\r\n\r\n".utf8)) {
            guard recv(connection, &byte, 1, 0) == 1 else { return false }
            data.append(byte)
        }
        let head = String(decoding: data, as: UTF8.self).lowercased()
        let length =
            head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst("content-length:".count).trimmingPrefix(" ")) } ?? 0
        for _ in 0..<length { guard recv(connection, &byte, 1, 0) == 1 else { return false } }
        return true
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}

@Suite("The Runtime API connection speaks HTTP/1.1 as servers really do")
struct RuntimeAPIConnectionTests {
    @Test("a chunked body is put together")
    func chunked() throws {
        let peer = try RawPeer([
            [
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nLambda-Runtime-Aws-Request-Id: r1\r\n\r\n"
                    + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n"
            ]
        ])
        let connection = RuntimeAPIConnection(host: "127.0.0.1", port: String(peer.port))
        let response = try connection.exchange(method: "GET", path: "/2018-06-01/runtime/invocation/next")
        #expect(response.status == 200)
        #expect(response.header("lambda-runtime-aws-request-id") == "r1")
        #expect(String(decoding: response.body, as: UTF8.self) == "hello, world")
    }

    @Test("a kept-alive connection carries several exchanges; a closed one is opened again")
    func keepAliveAndReconnect() throws {
        let peer = try RawPeer([
            [
                "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none",
                "HTTP/1.1 202 Accepted\r\nContent-Length: 15\r\n\r\n{\"status\":\"OK\"}",
            ],
            ["HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nthree"],
        ])
        let connection = RuntimeAPIConnection(host: "127.0.0.1", port: String(peer.port))
        #expect(try connection.exchange(method: "GET", path: "/a").body == Array("one".utf8))
        #expect(try connection.exchange(method: "POST", path: "/b", body: Array("x".utf8)).status == 202)
        // The peer closed the first connection after two replies: the third request goes over a new one.
        #expect(try connection.exchange(method: "GET", path: "/c").body == Array("three".utf8))
    }

    @Test("a body delimited by the connection's end, with Connection: close")
    func untilClose() throws {
        let peer = try RawPeer([["HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n\r\nbroken"]])
        let connection = RuntimeAPIConnection(host: "127.0.0.1", port: String(peer.port))
        let response = try connection.exchange(method: "GET", path: "/next")
        #expect(response.status == 500)
        #expect(String(decoding: response.body, as: UTF8.self) == "broken")
    }

    @Test(
        "a malformed or cut response is a clear failure",
        arguments: [
            "SMTP ready\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
        ])
    func malformed(reply: String) throws {
        let peer = try RawPeer([[reply]])
        let connection = RuntimeAPIConnection(host: "127.0.0.1", port: String(peer.port))
        #expect(throws: RuntimeAPIConnection.Failure.self) {
            try connection.exchange(method: "GET", path: "/next")
        }
    }

    @Test("no listener is a clear failure naming the address")
    func refused() throws {
        let port = try MotoServer.freePort()
        let connection = RuntimeAPIConnection(host: "127.0.0.1", port: String(port))
        let failure = #expect(throws: RuntimeAPIConnection.Failure.self) {
            try connection.exchange(method: "GET", path: "/next")
        }
        #expect(failure?.description.contains("127.0.0.1:\(port)") == true)
    }
}
