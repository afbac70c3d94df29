import HTTPClient

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The Runtime API over HTTP, at the `host:port` that Lambda gives in `AWS_LAMBDA_RUNTIME_API`.
public struct HTTPRuntimeClient: LambdaRuntimeClientProtocol {
    /// `http://host:port`.
    public let baseURL: String
    private let http: HTTPClient

    /// A client.
    /// - Parameters:
    ///   - endpoint: `host:port`, as in `AWS_LAMBDA_RUNTIME_API`.
    ///   - http: The HTTP client to use; its connection to the Runtime API is kept open.
    /// - Throws: `LambdaRuntimeError` `.invalidRuntimeAPIEndpoint` when the endpoint is not `host:port`.
    public init(endpoint: String, http: HTTPClient = HTTPClient()) throws {
        let parts = endpoint.split(separator: ":")
        guard parts.count == 2, !parts[0].isEmpty, let port = Int(parts[1]), (1...65535).contains(port) else {
            throw LambdaRuntimeError(
                .invalidRuntimeAPIEndpoint, "AWS_LAMBDA_RUNTIME_API is '\(endpoint)', not host:port")
        }
        baseURL = "http://\(endpoint)"
        self.http = http
    }

    public func nextInvocation() async throws -> Invocation {
        let response = try await send(
            HTTPRequest(url: "\(baseURL)/2018-06-01/runtime/invocation/next", timeout: nil), call: "/next")
        guard response.status == 200 else {
            throw LambdaRuntimeError(
                .nextInvocationFailed(status: response.status),
                "the Runtime API answered /next with \(response.status): \(Self.text(response.body))")
        }
        let metadata = try InvocationMetadata { response.headers[$0] }
        return Invocation(metadata: metadata, event: response.body)
    }

    public func reportResponse(_ body: [UInt8], requestID: String) async throws {
        try await post(
            "/2018-06-01/runtime/invocation/\(Self.pathSegment(requestID))/response",
            body: body, headers: ["Content-Type": "application/json"], call: "response of \(requestID)")
    }

    public func reportError(_ report: LambdaErrorReport, requestID: String) async throws {
        try await post(
            "/2018-06-01/runtime/invocation/\(Self.pathSegment(requestID))/error",
            body: Array(try JSONEncoder().encode(report)),
            headers: ["Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": report.errorType],
            call: "error of \(requestID)")
    }

    public func reportInitError(_ report: LambdaErrorReport) async throws {
        try await post(
            "/2018-06-01/runtime/init/error",
            body: Array(try JSONEncoder().encode(report)),
            headers: ["Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": report.errorType],
            call: "init error")
    }

    /// Registers an internal extension that subscribes to no event, so that Lambda sends the process SIGTERM
    /// before it shuts the environment down (it does so only when an extension is registered).
    /// - Returns: The extension's identifier (`Lambda-Extension-Identifier`).
    /// - Throws: `LambdaRuntimeError` when the Extensions API refuses or is not there (some emulators).
    public func registerInternalExtension(name: String) async throws -> String {
        let request = HTTPRequest(
            method: "POST", url: "\(baseURL)/2020-01-01/extension/register",
            headers: ["Lambda-Extension-Name": name, "Content-Type": "application/json"],
            body: Array(#"{"events":[]}"#.utf8), timeout: .seconds(5))
        let response: HTTPResponse
        do {
            response = try await http.execute(request)
        } catch {
            throw LambdaRuntimeError(.connectionToControlPlaneLost, "extension registration failed", underlying: error)
        }
        guard response.status == 200, let identifier = response.headers["Lambda-Extension-Identifier"] else {
            throw LambdaRuntimeError(
                .postRejected(status: response.status),
                "extension registration answered \(response.status): \(Self.text(response.body))")
        }
        return identifier
    }

    /// Blocks the calling thread on the Extensions API's `/event/next` for a registered extension: the call
    /// that tells Lambda the extension is ready. With no events subscribed it does not return until shutdown.
    public func waitForExtensionEvent(identifier: String) {
        let request = HTTPRequest(
            url: "\(baseURL)/2020-01-01/extension/event/next",
            headers: ["Lambda-Extension-Identifier": identifier], timeout: nil)
        _ = try? http.executeBlocking(request)
    }

    private func post(_ path: String, body: [UInt8], headers: HTTPHeaders, call: String) async throws {
        let response = try await send(
            HTTPRequest(method: "POST", url: baseURL + path, headers: headers, body: body, timeout: .seconds(30)),
            call: call)
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

    private func send(_ request: HTTPRequest, call: String) async throws -> HTTPResponse {
        do {
            return try await http.execute(request)
        } catch {
            throw LambdaRuntimeError(
                .connectionToControlPlaneLost, "the Runtime API is gone (\(call))", underlying: error)
        }
    }

    /// The start of a body as text, for an error message.
    static func text(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(512), as: UTF8.self)
        return text.isEmpty ? "(no body)" : text
    }

    /// A request id as one path segment: anything but unreserved characters percent-encoded.
    static func pathSegment(_ value: String) -> String {
        var result = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }
}
