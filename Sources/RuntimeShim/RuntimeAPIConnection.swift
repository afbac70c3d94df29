#if canImport(Glibc)
    import Glibc
#endif

/// One keep-alive HTTP/1.1 connection to the Runtime API, written for it alone: blocking, one exchange at a
/// time, plain TCP on the local network, bodies by `Content-Length` or chunked.
///
/// libcurl would do, but linking it loads some thirty shared libraries before `main` (about 6.5 ms here),
/// which a runtime that must start in a few milliseconds cannot afford; the Runtime API needs none of it.
/// Not thread-safe: each user keeps its own connection on its own thread.
final class RuntimeAPIConnection {
    /// A response: status, header fields, body.
    struct Response {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            let lowered = name.lowercased()
            return headers.first { $0.name.lowercased() == lowered }?.value
        }
    }

    /// A failure to exchange with the Runtime API.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let host: String
    private let port: String
    private var socket: Int32 = -1
    private var buffer: [UInt8] = []
    private var bufferStart = 0

    /// A connection to `host:port`, opened on first use.
    init(host: String, port: String) {
        self.host = host
        self.port = port
    }

    deinit {
        if socket >= 0 { close(socket) }
    }

    /// Sends a request and reads the whole response. A kept-alive connection that the peer closed is opened
    /// again once, for a request that had not been answered.
    func exchange(method: String, path: String, headers: [(String, String)] = [], body: [UInt8] = []) throws
        -> Response
    {
        let reused = socket >= 0
        do {
            return try exchangeOnce(method: method, path: path, headers: headers, body: body)
        } catch let failure as StaleConnection where reused {
            _ = failure
            disconnect()
            return try exchangeOnce(method: method, path: path, headers: headers, body: body)
        } catch is StaleConnection {
            disconnect()
            throw Failure(description: "the Runtime API at \(host):\(port) closed the connection")
        }
    }

    private struct StaleConnection: Error {}

    private func exchangeOnce(method: String, path: String, headers: [(String, String)], body: [UInt8]) throws
        -> Response
    {
        if socket < 0 { try connect() }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nUser-Agent: bandcamp-tracker-runtime\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if method != "GET" || !body.isEmpty { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        try send(Array(head.utf8) + body)
        return try readResponse(method: method)
    }

    private func connect() throws {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, port, &hints, &results)
        guard status == 0, let first = results else {
            throw Failure(
                description: "cannot resolve the Runtime API host \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(results) }
        var lastError: Int32 = 0
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let address = candidate {
            let descriptor = Glibc.socket(
                address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            if descriptor >= 0 {
                if Glibc.connect(descriptor, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 {
                    var one: Int32 = 1
                    setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                    socket = descriptor
                    buffer.removeAll(keepingCapacity: true)
                    bufferStart = 0
                    return
                }
                lastError = errno
                close(descriptor)
            } else {
                lastError = errno
            }
            candidate = address.pointee.ai_next
        }
        throw Failure(
            description: "cannot connect to the Runtime API at \(host):\(port): \(String(cString: strerror(lastError)))"
        )
    }

    private func disconnect() {
        if socket >= 0 { close(socket) }
        socket = -1
    }

    private func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                Glibc.send(socket, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE || errno == ECONNRESET { throw StaleConnection() }
                let reason = String(cString: strerror(errno))
                disconnect()
                throw Failure(description: "writing to the Runtime API failed: \(reason)")
            }
            offset += sent
        }
    }

    /// Reads more bytes into the buffer; false at the end of the stream. A reset before any byte of a
    /// response arrived (`beforeResponse`) means the peer had closed a kept-alive connection: stale.
    private func fill(beforeResponse: Bool = false) throws -> Bool {
        if bufferStart > 0 && bufferStart == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            bufferStart = 0
        }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                if beforeResponse && errno == ECONNRESET { throw StaleConnection() }
                let reason = String(cString: strerror(errno))
                disconnect()
                throw Failure(description: "reading from the Runtime API failed: \(reason)")
            }
            if count == 0 { return false }
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
    }

    /// The next line (without CRLF).
    private func readLine(beforeAnything: Bool) throws -> String {
        while true {
            if let newline = buffer[bufferStart...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > bufferStart && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = String(decoding: buffer[bufferStart..<end], as: UTF8.self)
                bufferStart = newline + 1
                return line
            }
            let startedEmpty = bufferStart == buffer.count
            guard try fill(beforeResponse: beforeAnything && startedEmpty) else {
                if beforeAnything && startedEmpty { throw StaleConnection() }
                disconnect()
                throw Failure(description: "the Runtime API closed the connection mid-response")
            }
        }
    }

    private func readBytes(_ count: Int) throws -> [UInt8] {
        while buffer.count - bufferStart < count {
            guard try fill() else {
                disconnect()
                throw Failure(description: "the Runtime API closed the connection mid-body")
            }
        }
        let bytes = Array(buffer[bufferStart..<(bufferStart + count)])
        bufferStart += count
        return bytes
    }

    private func readResponse(method: String) throws -> Response {
        let statusLine = try readLine(beforeAnything: true)
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            disconnect()
            throw Failure(description: "the Runtime API sent a malformed status line")
        }
        var headers: [(name: String, value: String)] = []
        while true {
            let line = try readLine(beforeAnything: false)
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            headers.append((String(line[..<colon]), String(value)))
        }
        var response = Response(status: status, headers: headers, body: [])
        if status == 100 { return try readResponse(method: method) }
        if method == "HEAD" || status == 204 || status == 304 { return response }
        if response.header("Transfer-Encoding")?.lowercased().contains("chunked") == true {
            while true {
                let sizeLine = try readLine(beforeAnything: false)
                guard let size = Int(sizeLine.split(separator: ";").first ?? "", radix: 16) else {
                    disconnect()
                    throw Failure(description: "the Runtime API sent a malformed chunk")
                }
                if size == 0 {
                    while try !readLine(beforeAnything: false).isEmpty {}
                    break
                }
                response.body += try readBytes(size)
                _ = try readLine(beforeAnything: false)
            }
        } else if let length = response.header("Content-Length").flatMap({ Int($0) }) {
            response.body = try readBytes(length)
        } else {
            while try fill() {}
            response.body = Array(buffer[bufferStart...])
            disconnect()
        }
        if response.header("Connection")?.lowercased() == "close" { disconnect() }
        return response
    }
}
