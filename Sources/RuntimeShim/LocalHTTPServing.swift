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
/// Connections are read and answered concurrently (up to `maximumConnections`, each on a thread of its own, never
/// on Swift's cooperative pool), so a slow client stalls nobody else; the function takes one request at a time,
/// as one Lambda execution environment does. `Connection: close` after each; a HEAD is answered without a body.
enum LocalHTTPServing {
    /// The largest request head and body taken (a function URL takes 6 MB of payload).
    static let maximumHead = 64 * 1024
    static let maximumBody = 6 * 1024 * 1024
    /// Connections served at once; more wait to be accepted.
    static let maximumConnections = 16

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

    /// Connections being served, bounded; the function's answers, one at a time.
    private let slots = DispatchSemaphore(value: LocalHTTPServing.maximumConnections)
    private let function = DispatchSemaphore(value: 1)

    private func serve() {
        while true {
            slots.wait()
            var peer = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let connection = withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listener, $0, &length) }
            }
            guard connection >= 0 else {
                slots.signal()
                continue
            }
            let address = peer.sin_addr
            DetachedThread.start { [self] in
                handle(connection, from: address)
                slots.signal()
            }
        }
    }

    private func handle(_ connection: Int32, from address: in_addr) {
        var peerAddress = address
        var limit = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        inet_ntop(AF_INET, &peerAddress, &text, socklen_t(INET_ADDRSTRLEN))
        let sourceIP = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var response: [UInt8]
        do {
            let request = try HTTPRequestReader.read(from: connection, sourceIP: sourceIP, serverHost: host)
            function.wait()
            response = wait(for: request)
            function.signal()
            if request.method == "HEAD" { response = HTTPResponseWriter.withoutBody(response) }
        } catch let refusal as HTTPRequestReader.Refusal {
            response = HTTPResponseWriter.plain(refusal.status, refusal.message + "\n")
        } catch {
            response = HTTPResponseWriter.plain(400, "\(error)\n")
        }
        write(response, to: connection)
        shutdown(connection, Int32(SHUT_WR))
        close(connection)
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
