import Postgres
import Trends

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Alerts as `alert` records them, decoded whole: their statistics and what their messages showed.
public enum AlertRecords {
    /// Alerts by id.
    public static func byID(_ ids: [Int64], _ db: PostgresConnection) async throws -> [Int64: Alert] {
        guard !ids.isEmpty else { return [:] }
        var alerts: [Int64: Alert] = [:]
        for alert in try await read("id = ANY(\(ids)::bigint[])", db) { alerts[alert.id] = alert }
        return alerts
    }

    /// The alerts of the evaluations after `from` up to `through` (seconds since 1970), oldest first.
    public static func evaluated(after from: Int64, through: Int64, _ db: PostgresConnection) async throws
        -> [Alert]
    {
        try await read(
            "evaluated_at > to_timestamp(\(from)) AND evaluated_at <= to_timestamp(\(through)) ORDER BY evaluated_at, rank, id",
            db)
    }

    /// The alerts in the evaluations after `from` up to `through` of the `entities` strongest artists and genres
    /// there (by the highest lower bound of their rises), for one genre (its tag key) or one artist when given;
    /// latest first.
    public static func strongest(
        after from: Int64, through: Int64, genre: String? = nil, artist: Int64? = nil, entities: Int,
        _ db: PostgresConnection
    ) async throws -> [Alert] {
        var conditions: [SQLQuery] = [
            "evaluated_at > to_timestamp(\(from))", "evaluated_at <= to_timestamp(\(through))",
        ]
        if let genre {
            conditions.append("entity_type = 'genre' AND entity_id = (SELECT id FROM tag WHERE key = \(genre))")
        }
        if let artist { conditions.append("entity_type = 'artist' AND entity_id = \(artist)::bigint") }
        let range = SQLQuery.joined(conditions, separator: " AND ")
        return try await read(
            """
            \(range) AND (entity_type, entity_id) IN (
                SELECT entity_type, entity_id FROM alert WHERE \(range)
                GROUP BY 1, 2 ORDER BY max(lower_bound) DESC, 1, 2 LIMIT \(entities))
            ORDER BY evaluated_at DESC, rank, id
            """, db)
    }

    /// How many subscribers were told of each alert (deliveries sent), by alert id.
    public static func told(_ ids: [Int64], _ db: PostgresConnection) async throws -> [Int64: Int] {
        var told: [Int64: Int] = [:]
        for row in try await db.query(
            """
            SELECT alert_id, count(*) AS told FROM alert_delivery
            WHERE alert_id = ANY(\(ids)::bigint[]) AND status = 'sent' GROUP BY 1
            """)
        {
            told[try row.decode("alert_id")] = try row.decode("told")
        }
        return told
    }

    private static func read(_ condition: SQLQuery, _ db: PostgresConnection) async throws -> [Alert] {
        try await db.query(
            """
            SELECT id, rule, entity_type, entity_id, kind, extract(epoch FROM evaluated_at)::bigint AS evaluated_at,
                window_hours, baseline_hours, minimum_ratio, current_sales, previous_sales, baseline_sales,
                site_current_sales, site_baseline_sales, ratio, estimate, lower_bound, p_value, q_value,
                previous_q_value, dispersion, per_day_now, per_day_before, acceleration, releases, countries, artists,
                rank, details::text AS details
            FROM alert WHERE \(condition)
            """
        ).map { row in
            let signal = TrendSignal(
                rule: try row.decode("rule"), entity: try row.decode("entity_id"), kind: try row.decode("kind"),
                current: try row.decode("current_sales"), previous: try row.decode("previous_sales"),
                baseline: try row.decode("baseline_sales"), siteCurrent: try row.decode("site_current_sales"),
                siteBaseline: try row.decode("site_baseline_sales"), ratio: try row.decode("ratio"),
                estimate: try row.decode("estimate"), lowerBound: try row.decode("lower_bound"),
                pValue: try row.decode("p_value"), qValue: try row.decode("q_value"),
                previousQValue: try row.decode("previous_q_value"), dispersion: try row.decode("dispersion"),
                perDayNow: try row.decode("per_day_now"), perDayBefore: try row.decode("per_day_before"),
                acceleration: try row.decode("acceleration"), releases: try row.decode("releases"),
                countries: try row.decode("countries"), artists: try row.decode("artists"))
            let json: String = try row.decode("details")
            return Alert(
                id: try row.decode("id"), entityType: try row.decode("entity_type"),
                evaluatedAt: try row.decode("evaluated_at"), windowHours: try row.decode("window_hours"),
                baselineHours: try row.decode("baseline_hours"), minimumRatio: try row.decode("minimum_ratio"),
                rank: try row.decode("rank"), signal: signal,
                details: try JSONDecoder().decode(AlertDetails.self, from: Data(json.utf8)))
        }
    }
}
