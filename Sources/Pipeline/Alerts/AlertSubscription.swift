import ReadModel
import Trends

/// What one subscriber follows, and how they are told (a row of `alert_subscription` with its subscriber).
public struct AlertSubscription: Sendable, Equatable {
    public enum Scope: Sendable, Equatable {
        /// Every alert.
        case everything
        /// A genre's own alerts and those of artists selling in it (by tag id).
        case genre(Int64)
        /// One artist's alerts (by artist id).
        case artist(Int64)
    }

    public enum Channel: String, Sendable, Equatable, Codable {
        case email, sns
    }

    public enum Frequency: String, Sendable, Equatable, Codable {
        /// In the run that raised it.
        case immediate
        /// In the day's digest.
        case daily
    }

    public var id: Int64
    public var subscriberID: Int64
    public var email: String
    /// The secret of the subscriber's unsubscribe link.
    public var token: String
    public var scope: Scope
    public var kinds: Set<SignalKind>
    public var channel: Channel
    public var frequency: Frequency

    public init(
        id: Int64, subscriberID: Int64, email: String, token: String, scope: Scope,
        kinds: Set<SignalKind> = [.trending, .emerging], channel: Channel = .email, frequency: Frequency = .immediate
    ) {
        self.id = id
        self.subscriberID = subscriberID
        self.email = email
        self.token = token
        self.scope = scope
        self.kinds = kinds
        self.channel = channel
        self.frequency = frequency
    }

    /// Whether the subscription asks for the alert.
    public func matches(_ alert: Alert) -> Bool {
        guard kinds.contains(alert.signal.kind) else { return false }
        switch scope {
        case .everything: return true
        case .genre(let tag): return alert.genreIDs.contains(tag)
        case .artist(let artist): return alert.entityType == .artist && alert.signal.entity == artist
        }
    }
}
