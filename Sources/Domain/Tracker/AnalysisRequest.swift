/// Someone asking for the analysis PDF of a range of days: an empty object at `requests/analysis/FROM_TO.json`
/// that the dashboard writes, and the report function takes (on the object's Object Created event, and in its daily
/// run for any left), builds into `reports/analysis/FROM_TO.pdf`, and deletes. The object is the request, so
/// asking twice is one request, and a run that dies before deleting it leaves it for the next.
public struct AnalysisRequest: Hashable, Sendable {
    public var from: CalendarDay
    public var to: CalendarDay

    /// Where requests are.
    public static let prefix = "requests/analysis/"
    /// The longest range an analysis takes, in days.
    public static let longestRange: Int64 = 3660

    /// A request of a range that runs forwards and is at most `longestRange` days long.
    public init?(from: CalendarDay, to: CalendarDay) {
        guard from <= to, to.daysSinceEpoch - from.daysSinceEpoch < Self.longestRange else { return nil }
        self.from = from
        self.to = to
    }

    /// The request a key names; nil for any other key.
    public init?(key: String) {
        guard key.hasPrefix(Self.prefix), key.hasSuffix(".json") else { return nil }
        let parts = key.dropFirst(Self.prefix.count).dropLast(5).split(
            separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 2, let from = CalendarDay(iso: String(parts[0])),
            let to = CalendarDay(iso: String(parts[1])), from.iso == parts[0], to.iso == parts[1]
        else { return nil }
        self.init(from: from, to: to)
    }

    /// The request's key.
    public var key: String { "\(Self.prefix)\(from.iso)_\(to.iso).json" }

    /// The PDF it asks for.
    public var file: ReportFile { .analysis(from: from, to: to) }
}
