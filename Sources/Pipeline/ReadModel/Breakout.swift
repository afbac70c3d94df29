import Trends

/// An artist or a genre breaking out: every alert raised for it over a span, told once, with its sales day by
/// day. What the report's first page, the emails, the overview and the alerts page lead with.
public struct Breakout: Sendable, Equatable {
    /// Its strongest alert (the highest lower bound of the rise; the earlier on a tie), whose figures it gives.
    public var lead: Alert
    /// Every alert raised for it in the span, strongest first.
    public var alerts: [Alert]
    /// Its sales on each day up to the span's last, oldest first; empty when not read.
    public var daily: [Int]
    /// When the last of those days ends, seconds since 1970: its midnight, or earlier for a day under way.
    public var dailyThrough: Int64 = 0

    public init(lead: Alert, alerts: [Alert], daily: [Int] = []) {
        self.lead = lead
        self.alerts = alerts
        self.daily = daily
    }

    public var entityType: EntityKind { lead.entityType }
    /// The artist's id, or the genre's tag id.
    public var entityID: Int64 { lead.signal.entity }
    /// What tells one entity from another: `artist:12`, `genre:34`.
    public var key: String { Self.key(entityType, entityID) }
    /// A genre's tag key (its name when the alert lacks one); for an artist, its name.
    public var genreKey: String { lead.details.key ?? name }

    static func key(_ type: EntityKind, _ id: Int64) -> String { "\(type.rawValue):\(id)" }

    /// The windows, in hours, of the rules that found it (24, 168), shortest first, each once.
    public var windowHours: [Int] { Array(Set(alerts.map(\.windowHours))).sorted() }
    /// Whether a rule found it emerging: hardly any sale before.
    public var emerging: Bool { alerts.contains { $0.signal.kind == .emerging } }
    /// When it was last found rising, seconds since 1970.
    public var lastEvaluatedAt: Int64 { alerts.map(\.evaluatedAt).max() ?? lead.evaluatedAt }
    public var name: String { lead.details.name }
    /// Its Bandcamp page (the artist's, or the genre's tag page).
    public var url: String { lead.details.url }

    /// One breakout per entity, strongest first.
    public static func grouping(_ alerts: [Alert]) -> [Breakout] {
        var groups: [String: [Alert]] = [:]
        for alert in alerts { groups[key(alert.entityType, alert.signal.entity), default: []].append(alert) }
        return groups.values.map { group in
            let strongest = group.sorted { ($0.signal.lowerBound, -$0.id) > ($1.signal.lowerBound, -$1.id) }
            return Breakout(lead: strongest[0], alerts: strongest)
        }.sorted { ($0.lead.signal.lowerBound, -$0.lead.id) > ($1.lead.signal.lowerBound, -$1.lead.id) }
    }
}
