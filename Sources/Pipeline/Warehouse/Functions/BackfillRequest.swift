import LambdaEvents

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What the backfill is asked to do.
public enum BackfillRequest: Decodable, Sendable, Equatable {
    /// One dataset (EventBridge's S3 "Object Created" under `backfill/`, or `{"command": "backfill", "key": …}`).
    case dataset(key: String, chunkRows: Int?)
    /// Go on with every dataset not yet loaded (EventBridge's "Scheduled Event", or `{"command": "continue"}`).
    case continueAll(chunkRows: Int?)

    private enum Keys: String, CodingKey {
        case command, key, chunkRows
    }

    public init(from decoder: any Decoder) throws {
        switch try EventBridgeTrigger.decode(
            from: decoder, function: "Backfill", accepts: [.objectCreated, .scheduled])
        {
        case .objectCreated(let key, _):
            self = .dataset(key: key, chunkRows: nil)
            return
        case .scheduled:
            self = .continueAll(chunkRows: nil)
            return
        case nil: break
        }
        let container = try decoder.container(keyedBy: Keys.self)
        let chunkRows = try container.decodeIfPresent(Int.self, forKey: .chunkRows)
        if let chunkRows, chunkRows < 1 {
            throw DecodingError.dataCorruptedError(
                forKey: .chunkRows, in: container, debugDescription: "chunkRows must be at least 1, not \(chunkRows)")
        }
        switch try container.decode(String.self, forKey: .command) {
        case "backfill": self = .dataset(key: try container.decode(String.self, forKey: .key), chunkRows: chunkRows)
        case "continue": self = .continueAll(chunkRows: chunkRows)
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .command, in: container, debugDescription: "unknown command '\(other)' (backfill, continue)")
        }
    }
}
