import Postgres
import Tracker
import Trends

/// The alerts raised in a range, and the genres rising now.
extension DashboardQuery {
    /// The genres the trend engine finds rising at the end of the range (its 24-hour and 7-day genre rules,
    /// exactly as the alerts run them; the other filters do not apply to the site-wide test).
    public func risingGenres(at: Int64, rules: [TrendRule] = TrendRule.standard.filter { $0.entity == .genre })
        async throws -> [RisingGenre]
    {
        let scans = try await AlertQuery().counts(rules, at: at, from: db)
        var signals: [(rule: TrendRule, signal: TrendSignal)] = []
        var seen: Set<Int64> = []
        for (rule, scan) in zip(rules, scans) {
            for signal in TrendEngine().evaluate(rule, counts: scan.counts, site: scan.site).signals
            where seen.insert(signal.entity).inserted {
                signals.append((rule, signal))
            }
        }
        guard !signals.isEmpty else { return [] }
        var byID: [Int64: (key: String, name: String)] = [:]
        for row in try await db.query(
            "SELECT id, key, name FROM tag WHERE id = ANY(\(signals.map(\.signal.entity))::bigint[])")
        {
            byID[try row.decode("id")] = (try row.decode("key"), try row.decode("name"))
        }
        return signals.compactMap { rule, signal in
            guard let tag = byID[signal.entity] else { return nil }
            return RisingGenre(
                key: tag.key, name: tag.name, rule: rule.id, kind: signal.kind, current: signal.current,
                perDayNow: signal.perDayNow, perDayBefore: signal.perDayBefore, estimate: signal.estimate,
                lowerBound: signal.lowerBound, qValue: signal.qValue)
        }
    }

    /// The breakouts of the evaluations in a span (after, through], strongest first, with their last 30 days, and
    /// how many evaluations there were.
    public func breakouts(_ span: (after: Int64, through: Int64), limit: Int = 6) async throws -> (
        breakouts: [Breakout], evaluations: Int
    ) {
        let query = BreakoutQuery()
        return (
            try await query.read(after: span.after, through: span.through, limit: limit, db),
            try await query.evaluations(after: span.after, through: span.through, db)
        )
    }

    /// The artists and genres alerts were raised for in the range (for a genre or artist filter, that one), the
    /// strongest `limit`, each with every alert of the range and its 30 days to the range's end (or now), and how
    /// many subscribers were told of each alert.
    public func alertBreakouts(_ filter: DashboardFilter, now: Int64, limit: Int = 40) async throws -> (
        breakouts: [Breakout], told: [Int64: Int]
    ) {
        let through = min(filter.to.end, now)
        let alerts = try await AlertRecords.strongest(
            after: filter.from.start, through: through, genre: filter.genre, artist: filter.artist, entities: limit, db)
        return (
            try await BreakoutQuery().addingDaily(Breakout.grouping(alerts), through: through, db),
            try await AlertRecords.told(alerts.map(\.id), db)
        )
    }
}
