/// A change of a figure against an earlier day.
public enum Change: Sendable, Equatable {
    /// Relative change, e.g. 0.125 for +12.5%.
    case relative(Double)
    /// Difference of two shares, in percentage points.
    case points(Double)
    /// From nothing to something.
    case new
    /// Nothing to compare (neither day has the figure, or only the earlier one lacks it).
    case none
    /// The earlier period is not wholly loaded (only `loaded` of its `days` have sales), so a change would say
    /// more about the data than about the market.
    case notComparable(loaded: Int, days: Int)

    /// Which way it goes, as the colours show it: up (and new), down, or flat (under 0.05% or 0.05 points; none;
    /// not comparable).
    public var direction: Direction {
        switch self {
        case .relative(let value): value > 0.0005 ? .up : value < -0.0005 ? .down : .flat
        case .points(let value): value > 0.05 ? .up : value < -0.05 ? .down : .flat
        case .new: .up
        case .none, .notComparable: .flat
        }
    }

    public enum Direction: Sendable { case up, down, flat }

    /// Whether the earlier period could be compared with.
    public var isComparable: Bool {
        if case .notComparable = self { return false }
        return true
    }

    /// This change, or `notComparable` when fewer than `days` days of the earlier period are loaded.
    public func unless(loaded: Int, of days: Int) -> Change {
        loaded < days ? .notComparable(loaded: loaded, days: days) : self
    }

    /// The relative change from `before` to `now`.
    public static func between(_ before: Double, _ now: Double) -> Change {
        if before == 0 { return now == 0 ? .relative(0) : .new }
        return .relative((now - before) / before)
    }

    /// The change of a share, in points.
    public static func points(_ before: Double?, _ now: Double?) -> Change {
        guard let before, let now else { return .none }
        return .points((now - before) * 100)
    }
}
