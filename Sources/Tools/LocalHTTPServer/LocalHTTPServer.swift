import NIOCore
import NIOHTTP1
import NIOPosix
import PercentEncoding
import Synchronization

/// A request as the local server received it, with its whole body.
public struct LocalHTTPRequest: Sendable {
    /// The method, e.g. `GET`.
    public var method: String
    /// The request target as sent: path and query.
    public var uri: String
    /// Header fields in the order received.
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: [UInt8]

    /// The path without the query.
    public var path: String { String(uri.prefix { $0 != "?" }) }

    /// The query's parameters, percent-decoded, in order.
    public var queryItems: [(name: String, value: String)] {
        guard let mark = uri.firstIndex(of: "?") else { return [] }
        return PercentEncoding.formPairs(uri[uri.index(after: mark)...])
    }

    /// The first value of a header, compared without regard to case.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    /// The first value of a query parameter.
    public func query(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }
}

/// What the local server does with a request.
public enum LocalHTTPReply: Sendable {
    /// A complete response; `Content-Length` is added.
    case response(status: Int, headers: [(String, String)] = [], body: [UInt8] = [])
    /// A response whose `Content-Length` promises `declaredLength` bytes, of which only `body` is sent
    /// before the connection is closed: a truncated response.
    case truncated(status: Int, headers: [(String, String)] = [], body: [UInt8], declaredLength: Int)
    /// The connection is closed with no answer.
    case closeConnection
    /// No answer ever: the request is held open until the server shuts down.
    case hold

    /// A response with a UTF-8 text body.
    public static func text(_ status: Int, _ text: String, contentType: String = "text/plain; charset=utf-8")
        -> LocalHTTPReply
    {
        .response(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
    }
}

/// A small HTTP/1.1 server on 127.0.0.1 for tests and local peers.
///
/// Each request is answered by an async responder, so a peer can be slow (sleep), fail, truncate or hold a
/// request for as long as a test needs. Keep-alive connections are served one request at a time.
public final class LocalHTTPServer: Sendable {
    /// Answers one request.
    public typealias Responder = @Sendable (LocalHTTPRequest) async -> LocalHTTPReply

    /// The port the server listens on.
    public let port: Int
    /// The host the server listens on.
    public let host: String
    private let serverChannel: any Channel
    private let connections: Connections

    private init(host: String, port: Int, serverChannel: any Channel, connections: Connections) {
        self.host = host
        self.port = port
        self.serverChannel = serverChannel
        self.connections = connections
    }

    /// `http://host:port`, the base URL of the server.
    public var baseURL: String { "http://\(host):\(port)" }

    /// Starts a server.
    /// - Parameters:
    ///   - host: The address to listen on; loopback unless a test's own network says otherwise.
    ///   - port: The port, or 0 for any free one.
    ///   - responder: Answers each request.
    /// - Throws: When the address cannot be bound.
    public static func start(
        host: String = "127.0.0.1",
        port: Int = 0,
        responder: @escaping Responder
    ) async throws -> LocalHTTPServer {
        let connections = Connections()
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                connections.add(channel)
                channel.closeFuture.whenComplete { _ in connections.remove(channel) }
                return channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMapThrowing {
                    try channel.pipeline.syncOperations.addHandler(RequestHandler(responder: responder))
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        let boundPort = channel.localAddress?.port ?? port
        return LocalHTTPServer(host: host, port: boundPort, serverChannel: channel, connections: connections)
    }

    /// Stops listening and closes every open connection, held requests included.
    public func shutdown() async {
        try? await serverChannel.close()
        for channel in connections.all() {
            try? await channel.close()
        }
    }
}

/// The open connections, so that shutdown can close held ones.
private final class Connections: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    func add(_ channel: any Channel) {
        channels.withLock { $0[ObjectIdentifier(channel)] = channel }
    }

    func remove(_ channel: any Channel) {
        _ = channels.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    func all() -> [any Channel] {
        channels.withLock { Array($0.values) }
    }
}

private final class RequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let responder: LocalHTTPServer.Responder
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(responder: @escaping LocalHTTPServer.Responder) {
        self.responder = responder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = []
        case .body(var buffer):
            body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
        case .end:
            guard let head else { return }
            self.head = nil
            let request = LocalHTTPRequest(
                method: head.method.rawValue,
                uri: head.uri,
                headers: head.headers.map { (name: $0.name, value: $0.value) },
                body: body)
            let keepAlive = head.isKeepAlive
            let version = head.version
            let responder = self.responder
            let eventLoop = context.eventLoop
            let bound = NIOLoopBound((self, context), eventLoop: eventLoop)
            Task {
                let reply = await responder(request)
                eventLoop.execute {
                    let (handler, context) = bound.value
                    handler.send(reply, version: version, keepAlive: keepAlive, context: context)
                }
            }
        }
    }

    private func send(_ reply: LocalHTTPReply, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        switch reply {
        case .hold:
            return
        case .closeConnection:
            context.close(promise: nil)
        case .response(let status, let headers, let bytes):
            write(
                status: status, headers: headers, body: bytes, length: bytes.count, version: version,
                keepAlive: keepAlive, context: context)
        case .truncated(let status, let headers, let bytes, let declaredLength):
            write(
                status: status, headers: headers, body: bytes, length: declaredLength, version: version,
                keepAlive: false, context: context)
        }
    }

    private func write(
        status: Int, headers: [(String, String)], body bytes: [UInt8], length: Int,
        version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext
    ) {
        var fields = HTTPHeaders(headers)
        fields.replaceOrAdd(name: "Content-Length", value: String(length))
        fields.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status), headers: fields)
        let channel = context.channel
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        if length != bytes.count {
            // A truncated body: send what there is and cut the connection, never sending the end.
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer)))).whenComplete { _ in
                channel.close(promise: nil)
            }
            return
        }
        if !bytes.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let close = !keepAlive
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if close { channel.close(promise: nil) }
        }
    }
}
