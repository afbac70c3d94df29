import LambdaEvents

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What Charts is asked to do.
public enum ChartsRequest: Decodable, Sendable, Equatable {
    /// One export (EventBridge's S3 "Object Created" under `charts/`, or `{"command": "import", "key": …}`).
    case file(key: String)
    /// Every export not yet imported (EventBridge's "Scheduled Event", or `{"command": "sweep"}`).
    case sweep

    private enum Keys: String, CodingKey {
        case command, key
    }

    public init(from decoder: any Decoder) throws {
        switch try EventBridgeTrigger.decode(from: decoder, function: "Charts", accepts: [.objectCreated, .scheduled]) {
        case .objectCreated(let key, _):
            self = .file(key: key)
            return
        case .scheduled:
            self = .sweep
            return
        case nil: break
        }
        let container = try decoder.container(keyedBy: Keys.self)
        switch try container.decode(String.self, forKey: .command) {
        case "import": self = .file(key: try container.decode(String.self, forKey: .key))
        case "sweep": self = .sweep
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .command, in: container, debugDescription: "unknown command '\(other)' (import, sweep)")
        }
    }
}
