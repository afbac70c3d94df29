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

    /// Alerts raised in the range (for a genre or artist filter, theirs), latest first.
    public func alerts(_ filter: DashboardFilter, limit: Int = 100) async throws -> [AlertRow] {
        var conditions: [SQLQuery] = [
            "a.evaluated_at >= to_timestamp(\(filter.from.start)::float8)",
            "a.evaluated_at <= to_timestamp(\(filter.to.end)::float8)",
        ]
        if let genre = filter.genre {
            conditions.append("a.entity_type = 'genre' AND a.entity_id = (SELECT id FROM tag WHERE key = \(genre))")
        }
        if let artist = filter.artist {
            conditions.append("a.entity_type = 'artist' AND a.entity_id = \(artist)::bigint")
        }
        return try await db.query(
            """
            SELECT a.id, a.rule, a.entity_type, a.entity_id, coalesce(a.details->>'name', '#' || a.entity_id) AS name,
                a.details->>'url' AS url, a.kind, floor(date_part('epoch', a.evaluated_at))::bigint AS evaluated_at,
                a.current_sales, a.baseline_sales, a.ratio, a.estimate, a.lower_bound, a.q_value, a.per_day_now,
                a.per_day_before,
                (SELECT count(*) FROM alert_delivery d WHERE d.alert_id = a.id AND d.status = 'sent') AS sent,
                a.details->>'key' AS key
            FROM alert a WHERE \(SQLQuery.joined(conditions, separator: " AND "))
            ORDER BY a.evaluated_at DESC, a.rank, a.id LIMIT \(limit)
            """
        ).map { row in
            AlertRow(
                id: try row.decode("id"), rule: try row.decode("rule"), entityType: try row.decode("entity_type"),
                entityID: try row.decode("entity_id"), name: try row.decode("name"), url: try row.decode("url"),
                kind: try row.decode("kind"), evaluatedAt: try row.decode("evaluated_at"),
                current: try row.decode("current_sales"), baseline: try row.decode("baseline_sales"),
                ratio: try row.decode("ratio"), estimate: try row.decode("estimate"),
                lowerBound: try row.decode("lower_bound"), qValue: try row.decode("q_value"),
                perDayNow: try row.decode("per_day_now"), perDayBefore: try row.decode("per_day_before"),
                sent: try row.decode("sent"), key: try row.decode("key"))
        }
    }
}
