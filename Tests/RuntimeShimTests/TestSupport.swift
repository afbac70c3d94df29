import Dispatch
import Logging
import RuntimeShim

#if canImport(Glibc)
    import Glibc
#endif

extension ContinuousClock.Instant {
    /// Wall-clock milliseconds since 1970, as Lambda's deadlines are written.
    var durationSinceWallEpoch: Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}

/// A logger whose lines a test can read back.
func collectingLogger(format: LambdaLogFormat = .text, level: Logger.Level = .trace) -> (Logger, LogSink) {
    let sink = LogSink.collecting()
    let logger = Logger(label: "test") { label in
        LambdaLogHandler(label: label, format: format, level: level, sink: sink)
    }
    return (logger, sink)
}

/// An environment as Lambda would give it, for a function named "test".
let testEnvironment = LambdaEnvironment([
    "AWS_LAMBDA_FUNCTION_NAME": "test",
    "AWS_LAMBDA_FUNCTION_VERSION": "7",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
    "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/test",
    "AWS_LAMBDA_LOG_STREAM_NAME": "2026/11/21/[7]abcdef",
    "AWS_REGION": "eu-west-2",
])

/// The handlers the tests run.
struct Greeting: Codable, Sendable, Equatable {
    var name: String
}

struct Reply: Codable, Sendable, Equatable {
    var message: String
}

struct GreetingHandler: LambdaHandler {
    func handle(_ event: Greeting, context: LambdaContext) async throws -> Reply {
        context.logger.info("greeting \(event.name)")
        return Reply(message: "hello \(event.name)")
    }
}

struct Refusal: Error, LambdaTypedError, CustomStringConvertible {
    var lambdaErrorType: String { "Test.Refusal" }
    var description: String { "refused on purpose" }
}

/// Does what the event says: "ok", "fail", "sleep:<ms>" (cancellable), "spin:<ms>" (ignores cancellation),
/// "big:<bytes>", "context" (answers with what the context says).
struct ScriptedHandler: LambdaRawHandler {
    func handle(_ event: [UInt8], context: LambdaContext) async throws -> [UInt8] {
        let command = String(decoding: event, as: UTF8.self)
        let argument = command.split(separator: ":").dropFirst().first.flatMap { Int($0) } ?? 0
        switch command.split(separator: ":").first ?? "" {
        case "fail":
            throw Refusal()
        case "sleep":
            try await Task.sleep(for: .milliseconds(argument))
        case "spin":
            // Ignores cancellation, without holding a thread of the cooperative pool.
            await withCheckedContinuation { continuation in
                DispatchQueue(label: "spin").asyncAfter(deadline: .now() + .milliseconds(argument)) {
                    continuation.resume()
                }
            }
        case "big":
            return [UInt8](repeating: UInt8(ascii: "x"), count: argument)
        case "context":
            let trace = getenv("_X_AMZN_TRACE_ID").map { String(cString: $0) } ?? "none"
            let remaining = context.remainingTime
            let fields = [
                context.requestID, context.invokedFunctionARN, context.traceID ?? "none", trace,
                context.metadata.clientContext ?? "none", context.metadata.cognitoIdentity ?? "none",
                context.functionName, context.functionVersion, String(context.memoryLimitInMB ?? 0),
                context.logGroupName, context.logStreamName,
                remaining > .zero && remaining <= .seconds(30) ? "deadline-ok" : "deadline-wrong \(remaining)",
            ]
            return Array(fields.joined(separator: "|").utf8)
        default:
            break
        }
        return Array("done \(command)".utf8)
    }
}
