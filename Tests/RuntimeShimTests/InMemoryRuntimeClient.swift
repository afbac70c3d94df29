import RuntimeShim

/// A Runtime API in memory: hands out scripted invocations, records what the loop posts, and ends the loop
/// (by throwing) when the script runs out.
actor InMemoryRuntimeClient: LambdaRuntimeClientProtocol {
    enum Post: Equatable {
        case response(requestID: String, body: String)
        case error(requestID: String, report: LambdaErrorReport)
        case initError(LambdaErrorReport)
    }

    struct Exhausted: Error {}

    private var script: [Invocation]
    private(set) var posts: [Post] = []
    /// Errors to throw from the next posts, in order.
    private var postFailures: [LambdaRuntimeError]

    init(_ script: [Invocation], postFailures: [LambdaRuntimeError] = []) {
        self.script = script
        self.postFailures = postFailures
    }

    func nextInvocation() async throws -> Invocation {
        guard !script.isEmpty else { throw Exhausted() }
        return script.removeFirst()
    }

    func reportResponse(_ body: [UInt8], requestID: String) async throws {
        try failIfScripted()
        posts.append(.response(requestID: requestID, body: String(decoding: body, as: UTF8.self)))
    }

    func reportError(_ report: LambdaErrorReport, requestID: String) async throws {
        try failIfScripted()
        posts.append(.error(requestID: requestID, report: report))
    }

    func reportInitError(_ report: LambdaErrorReport) async throws {
        posts.append(.initError(report))
    }

    private func failIfScripted() throws {
        if !postFailures.isEmpty { throw postFailures.removeFirst() }
    }
}

/// An invocation due `timeout` from now.
func invocation(
    _ event: String, id: String, timeout: Duration = .seconds(30), traceID: String? = nil
) -> Invocation {
    let (seconds, attoseconds) = timeout.components
    let now = Int64(ContinuousClock.now.durationSinceWallEpoch)
    return Invocation(
        metadata: InvocationMetadata(
            requestID: id,
            deadlineMilliseconds: now + seconds * 1000 + attoseconds / 1_000_000_000_000_000,
            invokedFunctionARN: "arn:aws:lambda:eu-west-2:123456789012:function:test",
            traceID: traceID),
        event: Array(event.utf8))
}
