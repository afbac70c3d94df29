/// A PDF the report function stores, and its key in the object store: the day's report at
/// `reports/daily/YYYY-MM-DD.pdf`, an analysis of a range at `reports/analysis/FROM_TO.pdf`.
public enum ReportFile: Hashable, Sendable, Comparable {
    case daily(CalendarDay)
    case analysis(from: CalendarDay, to: CalendarDay)

    /// Where the daily reports are.
    public static let dailyPrefix = "reports/daily/"
    /// Where the analyses are.
    public static let analysisPrefix = "reports/analysis/"

    /// The object's key.
    public var key: String {
        switch self {
        case .daily(let day): "\(Self.dailyPrefix)\(day.iso).pdf"
        case .analysis(let from, let to): "\(Self.analysisPrefix)\(from.iso)_\(to.iso).pdf"
        }
    }

    /// The file a key names; nil for any other key (a folder, another name, a date that does not exist, a range
    /// that ends before it starts).
    public init?(key: String) {
        guard key.hasSuffix(".pdf") else { return nil }
        if key.hasPrefix(Self.dailyPrefix) {
            let name = key.dropFirst(Self.dailyPrefix.count).dropLast(4)
            guard let day = CalendarDay(iso: String(name)), day.iso == name else { return nil }
            self = .daily(day)
        } else if key.hasPrefix(Self.analysisPrefix) {
            let parts = key.dropFirst(Self.analysisPrefix.count).dropLast(4).split(
                separator: "_", omittingEmptySubsequences: false)
            guard parts.count == 2, let from = CalendarDay(iso: String(parts[0])),
                let to = CalendarDay(iso: String(parts[1])), from.iso == parts[0], to.iso == parts[1], from <= to
            else { return nil }
            self = .analysis(from: from, to: to)
        } else {
            return nil
        }
    }

    /// What it covers, in words: "Friday 4 December 2026", or "1 November to 30 November 2026".
    public var title: String {
        switch self {
        case .daily(let day): day.long
        case .analysis(let from, let to): "\(from.long) to \(to.long)"
        }
    }

    /// Newest first: by the last day covered, then the first.
    public static func < (lhs: ReportFile, rhs: ReportFile) -> Bool {
        let (left, right) = (lhs.span, rhs.span)
        return left.to != right.to ? left.to > right.to : left.from > right.from
    }

    private var span: (from: CalendarDay, to: CalendarDay) {
        switch self {
        case .daily(let day): (day, day)
        case .analysis(let from, let to): (from, to)
        }
    }
}
