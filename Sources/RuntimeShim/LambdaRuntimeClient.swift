/// The four calls of the Lambda Runtime API that the run loop makes.
///
/// The loop is generic over this protocol, so tests drive it with an in-memory client and no sockets;
/// `HTTPRuntimeClient` is the one that talks to Lambda.
public protocol LambdaRuntimeClientProtocol: Sendable {
    /// Waits, with no time limit, for the next invocation (`GET /runtime/invocation/next`).
    /// - Throws: `LambdaRuntimeError` when the Runtime API answers anything but 200 or is gone.
    func nextInvocation() async throws -> Invocation

    /// Posts a handler's response (`POST /runtime/invocation/{id}/response`).
    /// - Throws: `LambdaRuntimeError` `.postRejected` on a 4xx, other codes when the Runtime API is gone.
    func reportResponse(_ body: [UInt8], requestID: String) async throws

    /// Posts an invocation's error (`POST /runtime/invocation/{id}/error`).
    /// - Throws: As `reportResponse`.
    func reportError(_ report: LambdaErrorReport, requestID: String) async throws

    /// Posts a failure to start (`POST /runtime/init/error`).
    /// - Throws: As `reportResponse`.
    func reportInitError(_ report: LambdaErrorReport) async throws
}
