import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The largest response Lambda accepts from a synchronous invocation, in bytes.
public let maximumResponseSize = 6_291_556

/// How one invocation ended.
public enum InvocationOutcome: Sendable {
    /// The handler answered; these bytes are the response.
    case response([UInt8])
    /// The handler (or the runtime on its behalf) failed; this is the report.
    case error(LambdaErrorReport)
}

/// The runtime's loop: take the next invocation, run the handler under its deadline, post the outcome.
///
/// It is generic over the Runtime API client so that tests drive it without sockets. It returns only by
/// throwing: an error from `/next`, a 5xx or a lost connection, or a handler that would not stop. The caller
/// then ends the process, and Lambda starts a new one; a loop that kept calling a broken API would spin.
public struct LambdaRunLoop<Client: LambdaRuntimeClientProtocol>: Sendable {
    /// The Runtime API.
    public let client: Client
    /// The handler.
    public let handler: any LambdaRawHandler
    /// The function's environment.
    public let environment: LambdaEnvironment
    /// The runtime's own logger.
    public let logger: Logger
    /// How long a handler may run on, once cancelled at its deadline, before the process is given up.
    public var timeoutGracePeriod: Duration
    private let watchdog = DeadlineWatchdog()

    /// A loop.
    public init(
        client: Client,
        handler: any LambdaRawHandler,
        environment: LambdaEnvironment,
        logger: Logger,
        timeoutGracePeriod: Duration = .seconds(2)
    ) {
        self.client = client
        self.handler = handler
        self.environment = environment
        self.logger = logger
        self.timeoutGracePeriod = timeoutGracePeriod
    }

    /// Runs until the Runtime API fails or a handler cannot be stopped.
    /// - Throws: Always, with the reason the process must end.
    public func run() async throws -> Never {
        while true {
            let invocation = try await client.nextInvocation()
            let requestID = invocation.metadata.requestID
            let outcome = try await invoke(invocation)
            do {
                switch outcome {
                case .response(let body):
                    try await client.reportResponse(body, requestID: requestID)
                case .error(let report):
                    try await client.reportError(report, requestID: requestID)
                }
            } catch let error as LambdaRuntimeError where !error.endsTheProcess {
                // A 400, 403 or 413 refuses this one post; the next invocation may be fine.
                logger.error("\(error)", metadata: ["requestId": .string(requestID)])
            }
            RequestScope.end()
        }
    }

    /// Runs the handler for one invocation under its deadline; the path local invocation takes too.
    /// - Returns: The response, or the error report to post.
    /// - Throws: `LambdaRuntimeError` `.handlerDidNotStop` when the handler overran its deadline and did not
    ///   stop when cancelled: the process must end.
    public func invoke(_ invocation: Invocation) async throws -> InvocationOutcome {
        let metadata = invocation.metadata
        RequestScope.begin(metadata)
        let context = LambdaContext(metadata: metadata, environment: environment, logger: logger)
        let handler = self.handler
        let event = invocation.event
        let work = Task<Result<[UInt8], any Error>, Never> {
            do {
                return .success(try await handler.handle(event, context: context))
            } catch {
                return .failure(error)
            }
        }

        switch await race(work, within: context.remainingTime) {
        case .finished(.success(let body)):
            guard body.count <= maximumResponseSize else {
                let error = LambdaRuntimeError(
                    .responseTooLarge(size: body.count),
                    "the response is \(body.count) bytes; Lambda accepts at most \(maximumResponseSize)")
                context.logger.error("\(error)")
                return .error(LambdaErrorReport(error))
            }
            return .response(body)
        case .finished(.failure(let error)):
            context.logger.error("invocation failed: \(error)")
            return .error(LambdaErrorReport(error))
        case .timedOut:
            work.cancel()
            let error = LambdaRuntimeError(
                .handlerTimedOut,
                "the handler was still running at the invocation's deadline; it was cancelled")
            context.logger.error("\(error)")
            if case .timedOut = await race(work, within: timeoutGracePeriod) {
                let stuck = LambdaRuntimeError(
                    .handlerDidNotStop,
                    "the handler of \(metadata.requestID) did not stop within \(timeoutGracePeriod) of being cancelled"
                )
                try? await client.reportError(LambdaErrorReport(error), requestID: metadata.requestID)
                throw stuck
            }
            return .error(LambdaErrorReport(error))
        }
    }

    enum RaceResult<Value: Sendable>: Sendable {
        case finished(Value)
        case timedOut
    }

    /// Waits for a task's value, or for the time limit, whichever comes first; the task is not cancelled.
    /// One invocation at a time: the loop's single watchdog timer measures the limit.
    func race<Value: Sendable>(_ task: Task<Value, Never>, within limit: Duration) async -> RaceResult<Value> {
        let pending = Mutex<CheckedContinuation<RaceResult<Value>, Never>?>(nil)
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<RaceResult<Value>, Never>) in
            pending.withLock { $0 = continuation }
            let resume = { @Sendable (result: RaceResult<Value>) in
                pending.withLock { waiting in
                    waiting?.resume(returning: result)
                    waiting = nil
                }
            }
            watchdog.arm(after: limit) { resume(.timedOut) }
            Task { resume(.finished(await task.value)) }
        }
        watchdog.disarm()
        return result
    }
}

/// What the process is doing now: the request id that every log line and a crash report carry,
/// and the trace id that `_X_AMZN_TRACE_ID` exports. Lambda runs one invocation at a time per process.
public enum RequestScope {
    private static let current = Mutex<String?>(nil)

    /// The request id of the invocation under way, if any.
    public static var requestID: String? { current.withLock { $0 } }

    static func begin(_ metadata: InvocationMetadata) {
        current.withLock { $0 = metadata.requestID }
        CrashReporter.setRequestID(metadata.requestID)
        TraceEnvironment.export(metadata.traceID)
    }

    static func end() {
        current.withLock { $0 = nil }
        CrashReporter.setRequestID(nil)
    }
}

/// `_X_AMZN_TRACE_ID`, kept in one buffer of ours that the environment points at.
///
/// `setenv` with a new value each invocation would leak the old string (glibc never frees them, since a
/// `getenv` caller may still hold one); `putenv` of our own buffer, rewritten in place, does not.
enum TraceEnvironment {
    private static let capacity = 1024
    private static let prefix = Array("_X_AMZN_TRACE_ID=".utf8)
    nonisolated(unsafe) private static let entry: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
        buffer.initialize(repeating: 0, count: capacity)
        return buffer
    }()
    private static let lock = Mutex<Bool>(false)

    static func export(_ traceID: String?) {
        lock.withLock { installed in
            guard let traceID else {
                if installed { unsetenv("_X_AMZN_TRACE_ID") }
                installed = false
                return
            }
            let bytes = prefix + Array(traceID.utf8.prefix(capacity - prefix.count - 1)) + [0]
            for (index, byte) in bytes.enumerated() { entry[index] = CChar(bitPattern: byte) }
            if !installed {
                putenv(entry)
                installed = true
            }
        }
    }
}
