import Postgres
import Tracker
import Trends

/// Who broke out over a span: the alerts recorded for it, one entry per artist or genre, each with its sales
/// day by day from the day summaries; and how many hours of the span the rules were evaluated at, so that a
/// quiet span is told apart from one nobody looked at.
public struct BreakoutQuery: Sendable {
    /// Days of sales each entry shows.
    public var days: Int

    public init(days: Int = 30) {
        self.days = days
    }

    /// The breakouts of the evaluations after `from` up to `through` (seconds since 1970), strongest first, at most
    /// `limit`, each with its sales on the `days` days up to the one `through` ends (the day before, when
    /// `through` is midnight).
    public func read(after from: Int64, through: Int64, limit: Int = 8, _ db: PostgresConnection) async throws
        -> [Breakout]
    {
        try await addingDaily(
            Array(Breakout.grouping(try await AlertRecords.evaluated(after: from, through: through, db)).prefix(limit)),
            through: through, db)
    }

    /// The breakouts with their sales on the `days` days up to the one `through` ends.
    public func addingDaily(_ breakouts: [Breakout], through: Int64, _ db: PostgresConnection) async throws
        -> [Breakout]
    {
        var breakouts = breakouts
        guard !breakouts.isEmpty else { return [] }
        let last = CalendarDay(containing: through - 1)
        let first = last.adding(days: Int64(1 - days))
        var series: [String: [Int]] = [:]
        for (kind, table, column) in [
            (EntityKind.artist, "summary_artist_day", "artist_id"), (.genre, "summary_genre_day", "tag_id"),
        ] {
            let ids = breakouts.filter { $0.entityType == kind }.map(\.entityID)
            guard !ids.isEmpty else { continue }
            // A probe of the day summary's key per entity and day: a few hundred rows, never a scan of the days.
            for row in try await db.query(
                """
                SELECT e.id, (d.day::date - \(first.iso)::date) AS offset, s.sales
                FROM unnest(\(ids)::bigint[]) e (id)
                CROSS JOIN generate_series(\(first.iso)::date, \(last.iso)::date, interval '1 day') d (day)
                JOIN \(unescaped: table) s ON s.day = d.day::date AND s.\(unescaped: column) = e.id
                """)
            {
                let id: Int64 = try row.decode("id")
                let offset: Int = try row.decode("offset")
                series[Breakout.key(kind, id), default: Array(repeating: 0, count: days)][offset] =
                    try row.decode("sales")
            }
        }
        for index in breakouts.indices {
            breakouts[index].daily = series[breakouts[index].key] ?? Array(repeating: 0, count: days)
            breakouts[index].dailyThrough = through
        }
        return breakouts
    }

    /// How many evaluations of the trend rules fall after `from` up to `through`.
    public func evaluations(after from: Int64, through: Int64, _ db: PostgresConnection) async throws -> Int {
        try await db.query(
            """
            SELECT count(*) AS runs FROM alert_run
            WHERE evaluated_at > to_timestamp(\(from)) AND evaluated_at <= to_timestamp(\(through))
            """
        ).single().decode("runs")
    }
}
