import LambdaEvents
import Tracker

/// What Alert is asked to do.
public struct AlertRequest: Decodable, Sendable, Equatable {
    /// When: the windows end at the hour this falls in.
    public var at: Int64
    /// Send the daily digests (nil: when the hour is the digest hour).
    public var digest: Bool?

    private enum Keys: String, CodingKey {
        case at, digest
    }

    /// EventBridge's "Scheduled Event" (hourly): its `time`. Or `{"at": "2026-11-22T06:00:00Z"}` (or a date), with
    /// `"digest": true` or `false` to send the daily digests or not whatever the hour.
    public init(from decoder: any Decoder) throws {
        func seconds(_ text: String) -> Int64? { CalendarDay.seconds(iso: text) }
        let problem = { (text: String) in
            "'\(text)' is not a UTC time as 2026-11-22T06:00:00Z (or a date as 2026-11-22)"
        }
        if case .scheduled(let time) = try EventBridgeTrigger.decode(
            from: decoder, function: "Alert", accepts: [.scheduled])
        {
            guard let at = seconds(time) else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: decoder.codingPath, debugDescription: problem(time)))
            }
            self.at = at
            digest = nil
            return
        }
        let container = try decoder.container(keyedBy: Keys.self)
        let text = try container.decode(String.self, forKey: .at)
        guard let at = seconds(text) else {
            throw DecodingError.dataCorruptedError(forKey: .at, in: container, debugDescription: problem(text))
        }
        self.at = at
        digest = try container.decodeIfPresent(Bool.self, forKey: .digest)
    }
}
