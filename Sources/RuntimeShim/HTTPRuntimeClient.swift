import Dispatch
import PercentEncoding

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The Runtime API over HTTP, at the `host:port` that Lambda gives in `AWS_LAMBDA_RUNTIME_API`.
///
/// Every call goes over one kept-alive connection, on one thread of its own (a serial queue): the long poll of
/// `/next` blocks that thread, never one of Swift's cooperative pool.
public struct HTTPRuntimeClient: LambdaRuntimeClientProtocol {
    /// The Runtime API's host.
    public let host: String
    /// The Runtime API's port.
    public let port: String
    private let channel: Channel

    /// A client.
    /// - Parameter endpoint: `host:port`, as in `AWS_LAMBDA_RUNTIME_API`.
    /// - Throws: `LambdaRuntimeError` `.invalidRuntimeAPIEndpoint` when the endpoint is not `host:port`.
    public init(endpoint: String) throws {
        guard let colon = endpoint.lastIndex(of: ":"), let port = Int(endpoint[endpoint.index(after: colon)...]),
            (1...65535).contains(port), colon > endpoint.startIndex
        else {
            throw LambdaRuntimeError(
                .invalidRuntimeAPIEndpoint, "AWS_LAMBDA_RUNTIME_API is '\(endpoint)', not host:port")
        }
        host = String(endpoint[..<colon]).trimmingBrackets()
        self.port = String(port)
        channel = Channel(connection: RuntimeAPIConnection(host: host, port: String(port)))
    }

    public func nextInvocation() async throws -> Invocation {
        let response = try await send("GET", "/2018-06-01/runtime/invocation/next", call: "/next")
        guard response.status == 200 else {
            throw LambdaRuntimeError(
                .nextInvocationFailed(status: response.status),
                "the Runtime API answered /next with \(response.status): \(Self.text(response.body))")
        }
        let metadata = try InvocationMetadata { response.header($0) }
        return Invocation(metadata: metadata, event: response.body)
    }

    public func reportResponse(_ body: [UInt8], requestID: String) async throws {
        try await post(
            "/2018-06-01/runtime/invocation/\(Self.pathSegment(requestID))/response",
            body: body, headers: [("Content-Type", "application/json")], call: "response of \(requestID)")
    }

    public func reportError(_ report: LambdaErrorReport, requestID: String) async throws {
        try await post(
            "/2018-06-01/runtime/invocation/\(Self.pathSegment(requestID))/error",
            body: Array(try JSONEncoder().encode(report)),
            headers: [("Content-Type", "application/json"), ("Lambda-Runtime-Function-Error-Type", report.errorType)],
            call: "error of \(requestID)")
    }

    public func reportInitError(_ report: LambdaErrorReport) async throws {
        try await post(
            "/2018-06-01/runtime/init/error",
            body: Array(try JSONEncoder().encode(report)),
            headers: [("Content-Type", "application/json"), ("Lambda-Runtime-Function-Error-Type", report.errorType)],
            call: "init error")
    }

    /// Registers an internal extension that subscribes to no event, so that Lambda sends the process SIGTERM
    /// before it shuts the environment down (it does so only when an extension is registered).
    /// - Returns: The extension's identifier (`Lambda-Extension-Identifier`).
    /// - Throws: `LambdaRuntimeError` when the Extensions API refuses or is not there (some emulators).
    public func registerInternalExtension(name: String) async throws -> String {
        let request = Request(
            method: "POST", path: "/2020-01-01/extension/register",
            headers: [("Lambda-Extension-Name", name), ("Content-Type", "application/json")],
            body: Array(#"{"events":[]}"#.utf8))
        let response = try await send(request, call: "extension registration")
        guard response.status == 200, let identifier = response.header("Lambda-Extension-Identifier") else {
            throw LambdaRuntimeError(
                .postRejected(status: response.status),
                "extension registration answered \(response.status): \(Self.text(response.body))")
        }
        return identifier
    }

    /// Blocks the calling thread on the Extensions API's `/event/next` for a registered extension, over a
    /// connection of its own: the call that tells Lambda the extension is ready. With no events subscribed it
    /// does not return until shutdown.
    public func waitForExtensionEvent(identifier: String) {
        let connection = RuntimeAPIConnection(host: host, port: port)
        _ = try? connection.exchange(
            method: "GET", path: "/2020-01-01/extension/event/next",
            headers: [("Lambda-Extension-Identifier", identifier)])
    }

    private func post(_ path: String, body: [UInt8], headers: [(String, String)], call: String) async throws {
        let response = try await send(Request(method: "POST", path: path, headers: headers, body: body), call: call)
        switch response.status {
        case 200..<300:
            return
        case 400..<500:
            throw LambdaRuntimeError(
                .postRejected(status: response.status),
                "the Runtime API refused the \(call) with \(response.status): \(Self.text(response.body))")
        default:
            throw LambdaRuntimeError(
                .controlPlaneFailed(status: response.status),
                "the Runtime API answered the \(call) with \(response.status): \(Self.text(response.body))")
        }
    }

    private struct Request: Sendable {
        var method: String
        var path: String
        var headers: [(String, String)] = []
        var body: [UInt8] = []
    }

    private func send(_ method: String, _ path: String, call: String) async throws -> RuntimeAPIConnection.Response {
        try await send(Request(method: method, path: path), call: call)
    }

    private func send(_ request: Request, call: String) async throws -> RuntimeAPIConnection.Response {
        do {
            return try await channel.exchange(request)
        } catch {
            throw LambdaRuntimeError(
                .connectionToControlPlaneLost, "the Runtime API is gone (\(call))", underlying: error)
        }
    }

    /// The connection and the one thread that uses it.
    private final class Channel: @unchecked Sendable {
        private let connection: RuntimeAPIConnection
        private let queue = DispatchQueue(label: "bandcamp-tracker.runtime-api")

        init(connection: RuntimeAPIConnection) {
            self.connection = connection
        }

        func exchange(_ request: Request) async throws -> RuntimeAPIConnection.Response {
            try await withCheckedThrowingContinuation { continuation in
                queue.async {
                    continuation.resume(
                        with: Result {
                            try self.connection.exchange(
                                method: request.method, path: request.path, headers: request.headers,
                                body: request.body)
                        })
                }
            }
        }
    }

    /// The start of a body as text, for an error message.
    static func text(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(512), as: UTF8.self)
        return text.isEmpty ? "(no body)" : text
    }

    /// A request id as one path segment: anything but unreserved characters percent-encoded.
    static func pathSegment(_ value: String) -> String {
        PercentEncoding.encode(value)
    }
}

extension String {
    /// An IPv6 literal without its brackets ("[::1]" → "::1").
    fileprivate func trimmingBrackets() -> String {
        hasPrefix("[") && hasSuffix("]") ? String(dropFirst().dropLast()) : self
    }
}
