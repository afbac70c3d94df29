#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A handler that takes the event's bytes and returns the response's bytes.
public protocol LambdaRawHandler: Sendable {
    /// Handles one invocation.
    /// - Throws: Any error, reported to Lambda as the invocation's error.
    func handle(_ event: [UInt8], context: LambdaContext) async throws -> [UInt8]

    /// Closes what the handler holds open (connections) before the process ends.
    func shutdown() async
}

/// A handler from a `Decodable` event to an `Encodable` response, both JSON.
public protocol LambdaHandler: Sendable {
    /// The event this handler takes.
    associatedtype Event: Decodable & Sendable
    /// The response this handler gives.
    associatedtype Output: Encodable & Sendable

    /// Handles one invocation.
    /// - Throws: Any error, reported to Lambda as the invocation's error.
    func handle(_ event: Event, context: LambdaContext) async throws -> Output

    /// Closes what the handler holds open (connections) before the process ends.
    func shutdown() async
}

extension LambdaHandler {
    public func shutdown() async {}
}

extension LambdaRawHandler {
    public func shutdown() async {}
}

/// Runs a typed handler as a raw one: decodes the event, encodes the response.
public struct CodableHandlerAdapter<Handler: LambdaHandler>: LambdaRawHandler {
    /// The typed handler.
    public let handler: Handler

    /// An adapter.
    public init(_ handler: Handler) {
        self.handler = handler
    }

    public func handle(_ event: [UInt8], context: LambdaContext) async throws -> [UInt8] {
        let decoded: Handler.Event
        do {
            decoded = try JSONDecoder().decode(Handler.Event.self, from: Data(event))
        } catch let error as DecodingError {
            throw LambdaRuntimeError(
                .invalidEvent,
                "the event is not a valid \(Handler.Event.self): \(error.explanation)")
        }
        let output = try await handler.handle(decoded, context: context)
        do {
            return Array(try JSONEncoder().encode(output))
        } catch {
            throw LambdaRuntimeError(
                .responseEncodingFailed, "the \(Handler.Output.self) response could not be encoded", underlying: error)
        }
    }

    public func shutdown() async {
        await handler.shutdown()
    }
}

extension DecodingError {
    /// What was wrong and where, in one sentence.
    public var explanation: String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let text = codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the top level" : String(text.drop { $0 == "." })
        }
        switch self {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "" : " in \(path(context.codingPath))"
            return "the key '\(key.stringValue)' is missing\(parent)"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) is not of type \(type): \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) is null where a \(type) is needed"
        case .dataCorrupted(let context):
            let underlying = (context.underlyingError).map { " (\($0))" } ?? ""
            return "\(path(context.codingPath)): \(context.debugDescription)\(underlying)"
        @unknown default:
            return String(describing: self)
        }
    }
}
