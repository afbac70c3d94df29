/// What EventBridge starts a function with: S3's "Object Created" (the key and ETag) or a schedule (its time).
/// Functions take the kinds they accept, and commands of their own otherwise.
public enum EventBridgeTrigger: Sendable, Equatable {
    case objectCreated(key: String, etag: String?)
    /// `time`: when the schedule fired, ISO 8601 (`2026-11-22T06:00:00Z`).
    case scheduled(time: String)

    /// The kinds of event, by their `detail-type`.
    public enum Kind: String, Sendable, CaseIterable {
        case objectCreated = "Object Created"
        case scheduled = "Scheduled Event"
    }

    private enum Keys: String, CodingKey {
        case detailType = "detail-type"
        case time
    }

    /// The trigger of an EventBridge event, or `nil` when the JSON is no EventBridge event (a command).
    /// - Parameters:
    ///   - function: The function's name, for the error on another kind of event.
    ///   - kinds: The kinds it takes.
    /// - Throws: `DecodingError` for an event of another `detail-type`, or a malformed one.
    public static func decode(from decoder: any Decoder, function: String, accepts kinds: [Kind]) throws
        -> EventBridgeTrigger?
    {
        let container = try decoder.container(keyedBy: Keys.self)
        guard let detailType = try container.decodeIfPresent(String.self, forKey: .detailType) else { return nil }
        switch Kind(rawValue: detailType) {
        case .objectCreated where kinds.contains(.objectCreated):
            let object = try EventBridgeEvent<S3ObjectCreatedDetail>(from: decoder).detail.object
            return .objectCreated(key: object.key, etag: object.etag)
        case .scheduled where kinds.contains(.scheduled):
            return .scheduled(time: try container.decode(String.self, forKey: .time))
        default:
            let names = kinds.map { "'\($0.rawValue)'" }.joined(separator: " and ")
            throw DecodingError.dataCorruptedError(
                forKey: .detailType, in: container,
                debugDescription: "\(function) takes \(names) events, not '\(detailType)'")
        }
    }
}
