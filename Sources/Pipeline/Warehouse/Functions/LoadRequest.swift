import LambdaEvents

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What Load is asked to do.
public enum LoadRequest: Decodable, Sendable, Equatable {
    /// One object (EventBridge's S3 "Object Created", or `{"command": "load", "key": …}`).
    case object(key: String, etag: String?)
    /// Every object not yet loaded: EventBridge's "Scheduled Event" (the last `LOAD_SWEEP_DAYS` days of
    /// windows), or `{"command": "sweep", "days": N}` (all days when `days` is left out).
    case sweep(days: Int?, scheduled: Bool)
    /// Only bring the schema up to date (`{"command": "migrate"}`).
    case migrate
    /// Work every summary out again from the sales (`{"command": "rebuild-summaries"}`).
    case rebuildSummaries

    private enum Keys: String, CodingKey {
        case command, key, days
    }

    public init(from decoder: any Decoder) throws {
        switch try EventBridgeTrigger.decode(from: decoder, function: "Load", accepts: [.objectCreated, .scheduled]) {
        case .objectCreated(let key, let etag):
            self = .object(key: key, etag: etag)
            return
        case .scheduled:
            self = .sweep(days: nil, scheduled: true)
            return
        case nil: break
        }
        let container = try decoder.container(keyedBy: Keys.self)
        switch try container.decode(String.self, forKey: .command) {
        case "load": self = .object(key: try container.decode(String.self, forKey: .key), etag: nil)
        case "sweep": self = .sweep(days: try container.decodeIfPresent(Int.self, forKey: .days), scheduled: false)
        case "migrate": self = .migrate
        case "rebuild-summaries": self = .rebuildSummaries
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .command, in: container,
                debugDescription: "unknown command '\(other)' (load, sweep, migrate, rebuild-summaries)")
        }
    }
}
