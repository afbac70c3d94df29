/// An error of the runtime itself (not of a handler), with a code callers can switch on.
public struct LambdaRuntimeError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Sendable, Equatable {
        /// `AWS_LAMBDA_RUNTIME_API` is not `host:port`.
        case invalidRuntimeAPIEndpoint
        /// The Runtime API could not be reached, or the connection broke.
        case connectionToControlPlaneLost
        /// `/next` answered with something other than 200.
        case nextInvocationFailed(status: Int)
        /// The Runtime API answered 500 (or another 5xx): the environment is broken, the process must end.
        case controlPlaneFailed(status: Int)
        /// A post was refused with a 4xx (400 invalid, 403 forbidden, 413 too large): logged, the loop goes on.
        case postRejected(status: Int)
        /// A `/next` response lacked what every invocation must carry.
        case invalidInvocation
        /// The event could not be decoded into the handler's event type.
        case invalidEvent
        /// The response was larger than Lambda accepts.
        case responseTooLarge(size: Int)
        /// The handler had not finished when the invocation's deadline passed.
        case handlerTimedOut
        /// The handler ran on after its deadline and did not stop when cancelled.
        case handlerDidNotStop
        /// The response could not be encoded as JSON.
        case responseEncodingFailed
    }

    /// What went wrong.
    public var code: Code
    /// A sentence for people, naming what was wrong.
    public var message: String
    /// The error behind this one, if any.
    public var underlying: (any Error)?

    /// An error.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// Whether the loop must end (so that Lambda starts a new process) rather than go on.
    public var endsTheProcess: Bool {
        switch code {
        case .postRejected, .invalidEvent, .responseTooLarge, .handlerTimedOut, .responseEncodingFailed: false
        default: true
        }
    }

    public var description: String {
        if let underlying { return "\(message) (\(underlying))" }
        return message
    }
}

extension LambdaRuntimeError: LambdaTypedError {
    /// The `errorType` Lambda records, in the style of its own (`Runtime.…`, `Function.…`).
    public var lambdaErrorType: String {
        switch code {
        case .invalidEvent: "Runtime.InvalidEvent"
        case .responseTooLarge: "Function.ResponseSizeTooLarge"
        case .handlerTimedOut: "Sandbox.Timedout"
        case .responseEncodingFailed: "Runtime.InvalidResponse"
        default: "Runtime.Error"
        }
    }
}

/// An error that names its own `errorType` for Lambda's error report.
///
/// Errors that do not conform are reported with their Swift type name.
public protocol LambdaTypedError: Error {
    /// The `errorType` of the report and of the `Lambda-Runtime-Function-Error-Type` header.
    var lambdaErrorType: String { get }
}

/// The body of an error report: `{"errorMessage", "errorType", "stackTrace"}`.
public struct LambdaErrorReport: Codable, Sendable, Equatable {
    /// What went wrong, for people.
    public var errorMessage: String
    /// The kind of error.
    public var errorType: String
    /// Where it went wrong; Swift errors carry no stack, so this lists the chain of underlying errors.
    public var stackTrace: [String]

    /// A report.
    public init(errorMessage: String, errorType: String, stackTrace: [String] = []) {
        self.errorMessage = errorMessage
        self.errorType = errorType
        self.stackTrace = stackTrace
    }

    /// The report of a thrown error.
    public init(_ error: any Error) {
        let type = (error as? any LambdaTypedError)?.lambdaErrorType ?? String(describing: Swift.type(of: error))
        var chain: [String] = []
        var next = (error as? LambdaRuntimeError)?.underlying
        while let current = next, chain.count < 16 {
            chain.append("\(Swift.type(of: current)): \(current)")
            next = (current as? LambdaRuntimeError)?.underlying
        }
        self.init(errorMessage: String(describing: error), errorType: type, stackTrace: chain)
    }
}
