import Dispatch
import Logging
import PercentEncoding
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// `--serve HOST:PORT`: the function behind a local stand-in of a Lambda function URL. Each HTTP/1.1 request on
/// 127.0.0.1 becomes a function URL event (payload format 2.0), runs through the same invocation path as on
/// Lambda, and the handler's response becomes the HTTP response, as a function URL would make it.
///
/// One request at a time, as one Lambda execution environment takes them; `Connection: close` after each.
/// Requests are read and responses written on a thread of their own, never on Swift's cooperative pool.
enum LocalHTTPServing {
    /// The largest request head and body taken (a function URL takes 6 MB of payload).
    static let maximumHead = 64 * 1024
    static let maximumBody = 6 * 1024 * 1024

    /// Serves until the process is stopped. Returns the exit status only when it cannot listen.
    static func run(
        address: String, timeout: Int, environment: LambdaEnvironment, logger: Logger, handler: any LambdaRawHandler
    ) async -> Int32 {
        let listener: Int32
        let bound: String
        do {
            (listener, bound) = try listen(on: address)
        } catch {
            FileOutput.write("error: \(error)\n", to: 2)
            return 69
        }
        // The first line on standard output says where (a script or a test reads it; port 0 picks one).
        FileOutput.write("serving http://\(bound)\n", to: 1)
        logger.info("serving function URL requests on http://\(bound) (Ctrl-C stops)")
        let loop = LambdaRunLoop(client: NoRuntimeAPI(), handler: handler, environment: environment, logger: logger)
        let thread = ServingThread(listener: listener, host: bound) { request in
            await respond(to: request, loop: loop, timeout: timeout, environment: environment)
        }
        thread.start()
        while true {
            try? await Task.sleep(for: .seconds(3600))
        }
    }

    /// The function's answer to one request, as HTTP response bytes.
    static func respond(
        to request: HTTPRequestHead, loop: LambdaRunLoop<NoRuntimeAPI>, timeout: Int, environment: LambdaEnvironment
    ) async -> [UInt8] {
        let requestID = LocalInvocation.randomRequestID()
        let event: [UInt8]
        do {
            event = try FunctionURLEvent.encode(request, requestID: requestID)
        } catch {
            return HTTPResponseWriter.plain(400, "the request cannot be made into an event: \(error)\n")
        }
        let metadata = LocalInvocation.localMetadata(requestID: requestID, timeout: timeout, environment: environment)
        let outcome: InvocationOutcome
        do {
            outcome = try await loop.invoke(Invocation(metadata: metadata, event: event))
        } catch {
            return HTTPResponseWriter.plain(502, "Internal Server Error\n")
        }
        switch outcome {
        case .response(let body):
            return HTTPResponseWriter.fromFunctionResponse(body)
        case .error:
            // As a function URL answers when the function fails; the error is in the function's log.
            return HTTPResponseWriter.plain(502, "Internal Server Error\n")
        }
    }

    /// A listening socket on `host:port` (`127.0.0.1:0` picks a free port), and the address it has.
    static func listen(on address: String) throws -> (Int32, String) {
        guard let colon = address.lastIndex(of: ":"), let port = UInt16(address[address.index(after: colon)...])
        else { throw LocalInvocationError("--serve wants HOST:PORT, e.g. 127.0.0.1:8080, not '\(address)'") }
        let host = String(address[..<colon])
        var inet = in_addr()
        guard inet_pton(AF_INET, host, &inet) == 1 else {
            throw LocalInvocationError("--serve wants an IPv4 address such as 127.0.0.1, not '\(host)'")
        }
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw LocalInvocationError("socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = port.bigEndian
        socketAddress.sin_addr = inet
        let size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let status = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, size) }
        }
        guard status == 0, Glibc.listen(descriptor, 64) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw LocalInvocationError("cannot listen on \(address): \(reason)")
        }
        var actual = sockaddr_in()
        var length = size
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return (descriptor, "\(host):\(UInt16(bigEndian: actual.sin_port))")
    }
}

/// A request as read from the socket.
struct HTTPRequestHead: Sendable {
    var method: String
    /// The request target as sent: path and query.
    var target: String
    var version: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    var sourceIP: String
    /// `host:port` the server listens on.
    var serverHost: String

    /// The value of a header (repeated ones joined with commas, as a function URL joins them).
    func header(_ name: String) -> String? {
        let values = headers.filter { $0.name.lowercased() == name }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ",")
    }
}

/// Reading one request from a connected socket.
enum HTTPRequestReader {
    /// What was wrong with a request, as the status to answer.
    struct Refusal: Error {
        var status: Int
        var message: String
    }

    static func read(from descriptor: Int32, sourceIP: String, serverHost: String) throws -> HTTPRequestHead {
        var buffer: [UInt8] = []
        var headEnd: Int?
        while headEnd == nil {
            guard buffer.count < LocalHTTPServing.maximumHead else {
                throw Refusal(status: 431, message: "the request's head is over 64 KiB")
            }
            guard try receive(descriptor, into: &buffer) else {
                throw Refusal(status: 400, message: "the connection closed before the request's head ended")
            }
            headEnd = find([13, 10, 13, 10], in: buffer)
        }
        let head = String(decoding: buffer[..<headEnd!], as: UTF8.self)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1."), requestLine[1].hasPrefix("/") else {
            throw Refusal(status: 400, message: "malformed request line")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw Refusal(status: 400, message: "malformed header line")
            }
            let value = line[line.index(after: colon)...].trimmedOfSpaces
            headers.append((String(line[..<colon]), value))
        }
        var request = HTTPRequestHead(
            method: String(requestLine[0]), target: String(requestLine[1]), version: String(requestLine[2]),
            headers: headers, body: [], sourceIP: sourceIP, serverHost: serverHost)
        if request.header("transfer-encoding") != nil {
            throw Refusal(status: 411, message: "send the body with a Content-Length")
        }
        let length = Int(request.header("content-length") ?? "0") ?? -1
        guard length >= 0 else { throw Refusal(status: 400, message: "malformed Content-Length") }
        guard length <= LocalHTTPServing.maximumBody else {
            throw Refusal(status: 413, message: "the body is over 6 MB, a function URL's limit")
        }
        var body = Array(buffer[(headEnd! + 4)...])
        while body.count < length {
            guard try receive(descriptor, into: &body) else {
                throw Refusal(status: 400, message: "the connection closed before the body ended")
            }
        }
        request.body = Array(body.prefix(length))
        return request
    }

    private static func receive(_ descriptor: Int32, into buffer: inout [UInt8]) throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { throw Refusal(status: 408, message: "reading the request failed or timed out") }
            if count == 0 { return false }
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<(start + needle.count)]) == needle { return start }
        }
        return nil
    }
}

/// The function URL event (payload format 2.0) of a request, as Lambda builds it.
struct FunctionURLEvent: Encodable {
    struct Context: Encodable {
        struct HTTP: Encodable {
            var method: String
            var path: String
            var `protocol`: String
            var sourceIp: String
            var userAgent: String
        }
        var accountId = "anonymous"
        var apiId = "local"
        var domainName: String
        var domainPrefix = "local"
        var http: HTTP
        var requestId: String
        var routeKey = "$default"
        var stage = "$default"
        var time: String
        var timeEpoch: Int64
    }

    var version = "2.0"
    var routeKey = "$default"
    var rawPath: String
    var rawQueryString: String
    var cookies: [String]?
    var headers: [String: String]
    var queryStringParameters: [String: String]?
    var requestContext: Context
    var body: String?
    var isBase64Encoded: Bool

    static func encode(_ request: HTTPRequestHead, requestID: String) throws -> [UInt8] {
        let parts = request.target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let rawPath = String(parts[0])
        let rawQuery = parts.count > 1 ? String(parts[1]) : ""
        var headers: [String: String] = [:]
        for (name, _) in request.headers where name.lowercased() != "cookie" {
            headers[name.lowercased()] = request.header(name.lowercased())
        }
        // A function URL is reached over HTTPS; here it is plain HTTP, and the handler may need to know.
        headers["x-forwarded-proto"] = "http"
        headers["x-forwarded-for"] = request.sourceIP
        headers["host"] = headers["host"] ?? request.serverHost
        let cookies = request.headers.filter { $0.name.lowercased() == "cookie" }
            .flatMap { $0.value.split(separator: ";") }
            .map { $0.trimmedOfSpaces }.filter { !$0.isEmpty }
        var parameters: [String: String] = [:]
        for (name, value) in PercentEncoding.formPairs(rawQuery) {
            parameters[name] = parameters[name].map { $0 + "," + value } ?? value
        }
        let text = String(validating: request.body, as: UTF8.self)
        let contentType = (headers["content-type"] ?? "").lowercased()
        let textual =
            contentType.isEmpty || contentType.hasPrefix("text/") || contentType.contains("json")
            || contentType.contains("xml") || contentType.contains("x-www-form-urlencoded")
        let base64 = !request.body.isEmpty && (text == nil || !textual)
        let now = WallClock.nowMilliseconds()
        let event = FunctionURLEvent(
            rawPath: rawPath, rawQueryString: rawQuery, cookies: cookies.isEmpty ? nil : cookies, headers: headers,
            queryStringParameters: parameters.isEmpty ? nil : parameters,
            requestContext: Context(
                domainName: headers["host"] ?? request.serverHost,
                http: Context.HTTP(
                    method: request.method, path: PercentEncoding.decode(rawPath, plusIsSpace: false),
                    protocol: request.version, sourceIp: request.sourceIP, userAgent: headers["user-agent"] ?? ""),
                requestId: requestID, time: String(now / 1000), timeEpoch: now),
            body: request.body.isEmpty ? nil : base64 ? Data(request.body).base64EncodedString() : text,
            isBase64Encoded: base64)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(event))
    }
}

/// HTTP responses: the function's, as a function URL turns it into one, and the server's own.
enum HTTPResponseWriter {
    private struct FunctionResponse: Decodable {
        var statusCode: Int?
        var headers: [String: String]?
        var cookies: [String]?
        var body: String?
        var isBase64Encoded: Bool?
    }

    /// A function URL's reading of a response: an object with `statusCode` is a full response; anything else
    /// is the body of a 200 `application/json` response.
    static func fromFunctionResponse(_ bytes: [UInt8]) -> [UInt8] {
        guard let response = try? JSONDecoder().decode(FunctionResponse.self, from: Data(bytes)),
            let status = response.statusCode
        else {
            return message(200, headers: [("content-type", "application/json")], body: bytes)
        }
        var body = Array((response.body ?? "").utf8)
        if response.isBase64Encoded == true {
            guard let decoded = Data(base64Encoded: response.body ?? "") else {
                return plain(502, "Internal Server Error\n")
            }
            body = Array(decoded)
        }
        var headers = (response.headers ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        headers += (response.cookies ?? []).map { ("set-cookie", $0) }
        return message(status, headers: headers, body: body)
    }

    static func plain(_ status: Int, _ text: String) -> [UInt8] {
        message(status, headers: [("content-type", "text/plain; charset=utf-8")], body: Array(text.utf8))
    }

    static func message(_ status: Int, headers: [(String, String)], body: [UInt8]) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(reason(status))\r\n"
        for (name, value) in headers
        where !["content-length", "connection", "transfer-encoding"].contains(name.lowercased()) {
            // A header value never carries a line break into the response.
            // ("\r\n" is one Character in Swift: filter scalars, not characters.)
            var clean = String.UnicodeScalarView()
            clean.append(contentsOf: value.unicodeScalars.filter { $0 != "\r" && $0 != "\n" })
            head += "\(name): \(String(clean))\r\n"
        }
        head += "content-length: \(body.count)\r\nconnection: close\r\n\r\n"
        return Array(head.utf8) + body
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

/// The thread that accepts connections, reads each request, waits for the function's answer and writes it.
private final class ServingThread: Sendable {
    let listener: Int32
    let host: String
    let respond: @Sendable (HTTPRequestHead) async -> [UInt8]

    init(listener: Int32, host: String, respond: @escaping @Sendable (HTTPRequestHead) async -> [UInt8]) {
        self.listener = listener
        self.host = host
        self.respond = respond
    }

    func start() {
        DetachedThread.start { [self] in serve() }
    }

    private func serve() {
        while true {
            var peer = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let connection = withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listener, $0, &length) }
            }
            guard connection >= 0 else { continue }
            var limit = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            inet_ntop(AF_INET, &peer.sin_addr, &text, socklen_t(INET_ADDRSTRLEN))
            let sourceIP = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let response: [UInt8]
            do {
                let request = try HTTPRequestReader.read(from: connection, sourceIP: sourceIP, serverHost: host)
                response = wait(for: request)
            } catch let refusal as HTTPRequestReader.Refusal {
                response = HTTPResponseWriter.plain(refusal.status, refusal.message + "\n")
            } catch {
                response = HTTPResponseWriter.plain(400, "\(error)\n")
            }
            write(response, to: connection)
            shutdown(connection, Int32(SHUT_WR))
            close(connection)
        }
    }

    /// Runs the async answer on the pool and blocks this thread (not one of the pool's) until it is there.
    private func wait(for request: HTTPRequestHead) -> [UInt8] {
        let done = DispatchSemaphore(value: 0)
        let result = ResultBox()
        let respond = self.respond
        Task {
            result.set(await respond(request))
            done.signal()
        }
        done.wait()
        return result.get()
    }

    private func write(_ bytes: [UInt8], to descriptor: Int32) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 && errno == EINTR { continue }
            if sent <= 0 { return }
            offset += sent
        }
    }
}

/// The answer handed from the pool to the serving thread.
private final class ResultBox: Sendable {
    private let bytes = Mutex<[UInt8]>([])
    func set(_ value: [UInt8]) { bytes.withLock { $0 = value } }
    func get() -> [UInt8] { bytes.withLock { $0 } }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmedOfSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
