import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the Runtime API says about one invocation, from the headers of `/next`.
public struct InvocationMetadata: Sendable, Equatable {
    /// `Lambda-Runtime-Aws-Request-Id`.
    public var requestID: String
    /// `Lambda-Runtime-Deadline-Ms`: when the invocation times out, in milliseconds since 1970 (UTC).
    public var deadlineMilliseconds: Int64
    /// `Lambda-Runtime-Invoked-Function-Arn`.
    public var invokedFunctionARN: String
    /// `Lambda-Runtime-Trace-Id`, absent under some emulators.
    public var traceID: String?
    /// `Lambda-Runtime-Client-Context`, when the caller sent one.
    public var clientContext: String?
    /// `Lambda-Runtime-Cognito-Identity`, when the caller sent one.
    public var cognitoIdentity: String?

    /// Metadata.
    public init(
        requestID: String,
        deadlineMilliseconds: Int64,
        invokedFunctionARN: String,
        traceID: String? = nil,
        clientContext: String? = nil,
        cognitoIdentity: String? = nil
    ) {
        self.requestID = requestID
        self.deadlineMilliseconds = deadlineMilliseconds
        self.invokedFunctionARN = invokedFunctionARN
        self.traceID = traceID
        self.clientContext = clientContext
        self.cognitoIdentity = cognitoIdentity
    }

    /// Metadata from the headers of a `/next` response.
    /// - Parameter header: Looks a header up by name, without regard to case.
    /// - Throws: `LambdaRuntimeError` `.invalidInvocation` when the request id is missing, or the deadline is
    ///   missing or not a number.
    public init(header: (String) -> String?) throws {
        guard let requestID = header("Lambda-Runtime-Aws-Request-Id"), !requestID.isEmpty else {
            throw LambdaRuntimeError(.invalidInvocation, "the /next response has no Lambda-Runtime-Aws-Request-Id")
        }
        guard let deadlineText = header("Lambda-Runtime-Deadline-Ms"), let deadline = Int64(deadlineText) else {
            throw LambdaRuntimeError(
                .invalidInvocation, "invocation \(requestID) has no numeric Lambda-Runtime-Deadline-Ms")
        }
        self.init(
            requestID: requestID,
            deadlineMilliseconds: deadline,
            invokedFunctionARN: header("Lambda-Runtime-Invoked-Function-Arn") ?? "",
            traceID: header("Lambda-Runtime-Trace-Id").flatMap { $0.isEmpty ? nil : $0 },
            clientContext: header("Lambda-Runtime-Client-Context").flatMap { $0.isEmpty ? nil : $0 },
            cognitoIdentity: header("Lambda-Runtime-Cognito-Identity").flatMap { $0.isEmpty ? nil : $0 })
    }
}

/// One invocation as it arrives: metadata and the event's bytes.
public struct Invocation: Sendable {
    /// What the headers said.
    public var metadata: InvocationMetadata
    /// The event, as sent (JSON for every trigger we use).
    public var event: [UInt8]

    /// An invocation.
    public init(metadata: InvocationMetadata, event: [UInt8]) {
        self.metadata = metadata
        self.event = event
    }
}

/// What a handler knows about the invocation it serves.
public struct LambdaContext: Sendable {
    /// The invocation's metadata.
    public var metadata: InvocationMetadata
    /// The function's environment.
    public var environment: LambdaEnvironment
    /// A logger whose every line carries the request id.
    public var logger: Logger

    /// A context.
    public init(metadata: InvocationMetadata, environment: LambdaEnvironment, logger: Logger) {
        self.metadata = metadata
        self.environment = environment
        var logger = logger
        logger[metadataKey: "requestId"] = .string(metadata.requestID)
        self.logger = logger
    }

    /// The request id.
    public var requestID: String { metadata.requestID }
    /// The ARN the function was invoked with.
    public var invokedFunctionARN: String { metadata.invokedFunctionARN }
    /// The X-Ray trace header, when there is one.
    public var traceID: String? { metadata.traceID }
    /// The function's name.
    public var functionName: String { environment.functionName }
    /// The function's version.
    public var functionVersion: String { environment.functionVersion }
    /// The memory limit, in MB.
    public var memoryLimitInMB: Int? { environment.memoryLimitInMB }
    /// The CloudWatch log group.
    public var logGroupName: String { environment.logGroupName }
    /// The CloudWatch log stream.
    public var logStreamName: String { environment.logStreamName }

    /// The time left before Lambda stops the invocation (negative once it has passed).
    public var remainingTime: Duration {
        .milliseconds(metadata.deadlineMilliseconds - WallClock.nowMilliseconds())
    }
}

/// The wall clock, as Lambda's deadlines are written in it.
enum WallClock {
    /// Milliseconds since 1970 (UTC).
    static func nowMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
