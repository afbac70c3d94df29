import Postgres
import Trends

/// A rule whose windows are not whole days (the counts are read by day).
public struct AlertRuleError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Reads what the trend rules need from the warehouse: per-entity sales in each window (SQL aggregation over
/// `sale_by_time`), and, for the signals only, what stands behind them.
public struct AlertQuery: Sendable {
    public init() {}

    /// The entities' and the site's counts for `rule` at `at` (seconds since 1970, the end of the current window).
    public func counts(_ rule: TrendRule, at: Int64, from db: PostgresConnection) async throws -> (
        counts: [TrendCounts], site: SiteCounts
    ) {
        for (name, hours, least) in [
            ("window", rule.windowHours, 24), ("step", rule.stepHours, 24), ("gap", rule.gapHours, 0),
            ("baseline", rule.baselineHours, 24 * 7),
        ] where hours < least || hours % 24 != 0 {
            throw AlertRuleError(
                description: "rule \(rule.id): its \(name) of \(hours) hours is not a whole number of days "
                    + "(at least \(least / 24))")
        }
        let site = try await siteCounts(rule, at: at, db)
        switch rule.entity {
        case .artist: return (try await artistCounts(rule, at: at, db), site)
        case .genre: return (try await genreCounts(rule, at: at, days: site.baselineDaily.count, db), site)
        }
    }

    /// Seconds since 1970 of an hour before `at`.
    private static func before(_ at: Int64, hours: Int) -> String { String(at - Int64(hours) * 3600) }

    /// Day buckets counted back from `at`: 0 is the last 24 hours.
    private static let dayBack = "floor(($1::float8 - extract(epoch FROM s.sold_at)) / 86400)::int"

    private func siteCounts(_ rule: TrendRule, at: Int64, _ db: PostgresConnection) async throws -> SiteCounts {
        let rows = try await db.query(
            """
            SELECT \(Self.dayBack), count(*) FROM sale s
            WHERE s.sold_at >= to_timestamp($2) AND s.sold_at < to_timestamp($1)
            GROUP BY 1
            """, [String(at), Self.before(at, hours: rule.spanHours)]
        ).rows
        var site = SiteCounts(
            current: 0, previous: 0, baseline: 0, baselineDaily: Array(repeating: 0, count: rule.baselineHours / 24))
        for row in rows {
            guard let back = Int(row[0] ?? ""), let count = Int(row[1] ?? "") else { continue }
            let place = rule.place(dayBack: back)
            if place.current { site.current += count }
            if place.previous { site.previous += count }
            if let day = place.baselineDay {
                site.baseline += count
                site.baselineDaily[day] += count
            }
        }
        return site
    }

    /// One row per artist with enough sales across the windows to be tested.
    private func artistCounts(_ rule: TrendRule, at: Int64, _ db: PostgresConnection) async throws -> [TrendCounts] {
        let rows = try await db.query(
            """
            WITH counted AS (
                SELECT s.artist_id,
                    count(*) FILTER (WHERE s.sold_at >= to_timestamp($3)) AS current,
                    count(*) FILTER (WHERE s.sold_at >= to_timestamp($4) AND s.sold_at < to_timestamp($5)) AS previous,
                    count(*) FILTER (WHERE s.sold_at < to_timestamp($6)) AS baseline
                FROM sale s WHERE s.sold_at >= to_timestamp($2) AND s.sold_at < to_timestamp($1)
                GROUP BY s.artist_id
            ), tested AS (
                SELECT * FROM counted WHERE current + baseline >= $7 OR previous + baseline >= $7
            )
            SELECT t.artist_id, t.current, t.previous, t.baseline,
                (SELECT count(DISTINCT s.release_id) FROM sale s
                 WHERE s.artist_id = t.artist_id AND s.sold_at >= to_timestamp($3) AND s.sold_at < to_timestamp($1)),
                (SELECT count(DISTINCT s.buyer_country_code) FROM sale s
                 WHERE s.artist_id = t.artist_id AND s.sold_at >= to_timestamp($3) AND s.sold_at < to_timestamp($1))
            FROM tested t
            """,
            [
                String(at), Self.before(at, hours: rule.spanHours), Self.before(at, hours: rule.current.from),
                Self.before(at, hours: rule.previous.from), Self.before(at, hours: rule.previous.to),
                Self.before(at, hours: rule.baseline.to), String(rule.minimumSales),
            ]
        ).rows
        return rows.compactMap { row in
            guard let id = Int64(row[0] ?? ""), let current = Int(row[1] ?? ""), let previous = Int(row[2] ?? ""),
                let baseline = Int(row[3] ?? "")
            else { return nil }
            return TrendCounts(
                entity: id, current: current, previous: previous, baseline: baseline,
                releases: Int(row[4] ?? "") ?? 0, countries: Int(row[5] ?? "") ?? 0, artists: 1)
        }.sorted { $0.entity < $1.entity }
    }

    /// One row per genre with enough sales across the windows to be tested, with its baseline day by day.
    private func genreCounts(_ rule: TrendRule, at: Int64, days: Int, _ db: PostgresConnection) async throws
        -> [TrendCounts]
    {
        let daily = try await db.query(
            """
            SELECT rt.tag_id, \(Self.dayBack), count(*)
            FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id
            WHERE s.sold_at >= to_timestamp($2) AND s.sold_at < to_timestamp($1)
            GROUP BY 1, 2
            """, [String(at), Self.before(at, hours: rule.spanHours)]
        ).rows
        var byTag: [Int64: TrendCounts] = [:]
        for row in daily {
            guard let tag = Int64(row[0] ?? ""), let back = Int(row[1] ?? ""), let count = Int(row[2] ?? "")
            else { continue }
            var entity =
                byTag[tag]
                ?? TrendCounts(
                    entity: tag, current: 0, previous: 0, baseline: 0, releases: 0, countries: 0, artists: 0,
                    baselineDaily: Array(repeating: 0, count: days))
            let place = rule.place(dayBack: back)
            if place.current { entity.current += count }
            if place.previous { entity.previous += count }
            if let day = place.baselineDay {
                entity.baseline += count
                entity.baselineDaily[day] += count
            }
            byTag[tag] = entity
        }
        let tested = byTag.values.filter {
            $0.current + $0.baseline >= rule.minimumSales || $0.previous + $0.baseline >= rule.minimumSales
        }
        guard !tested.isEmpty else { return [] }
        // Distinct artists, releases and countries for the tested genres' current window.
        let distinct = try await db.query(
            """
            SELECT rt.tag_id, count(DISTINCT s.artist_id), count(DISTINCT s.release_id),
                count(DISTINCT s.buyer_country_code)
            FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id
            WHERE s.sold_at >= to_timestamp($2) AND s.sold_at < to_timestamp($1) AND rt.tag_id = ANY($3::bigint[])
            GROUP BY 1
            """,
            [
                String(at), Self.before(at, hours: rule.current.from),
                "{" + tested.map { String($0.entity) }.joined(separator: ",") + "}",
            ]
        ).rows
        for row in distinct {
            guard let tag = Int64(row[0] ?? "") else { continue }
            byTag[tag]?.artists = Int(row[1] ?? "") ?? 0
            byTag[tag]?.releases = Int(row[2] ?? "") ?? 0
            byTag[tag]?.countries = Int(row[3] ?? "") ?? 0
        }
        return tested.map { byTag[$0.entity]! }.sorted { $0.entity < $1.entity }
    }

    /// What stands behind a signal in the rule's current window: the entity's name and page, its top releases
    /// and buyer countries, and an artist's genres or a genre's artists.
    public func details(_ signal: TrendSignal, _ rule: TrendRule, at: Int64, from db: PostgresConnection)
        async throws -> AlertDetails
    {
        let id = String(signal.entity)
        let sales =
            rule.entity == .artist
            ? "s.artist_id = $1"
            : "EXISTS (SELECT 1 FROM release_tag rt WHERE rt.release_id = s.release_id AND rt.tag_id = $1)"
        let window = "s.sold_at >= to_timestamp($2) AND s.sold_at < to_timestamp($3)"
        let bounds: [String?] = [id, Self.before(at, hours: rule.current.from), String(at)]
        var details: AlertDetails
        switch rule.entity {
        case .artist:
            let row = try await db.query("SELECT name, page_url FROM artist WHERE id = $1", [id]).rows.first
            details = AlertDetails(
                name: row?[0] ?? "artist \(id)", url: row?[1] ?? "", key: nil, releases: [], countries: [], genres: [],
                artists: [])
            details.genres = try await parts(
                """
                SELECT t.id, t.name, 'tag:' || t.key, count(*) FROM sale s
                JOIN release_tag rt ON rt.release_id = s.release_id JOIN tag t ON t.id = rt.tag_id
                WHERE \(sales) AND \(window) GROUP BY t.id ORDER BY 4 DESC, t.name LIMIT 12
                """, bounds, db)
        case .genre:
            let row = try await db.query("SELECT name, key FROM tag WHERE id = $1", [id]).rows.first
            let key = row?[1] ?? ""
            details = AlertDetails(
                name: row?[0] ?? key, url: AlertDetails.tagURL(key), key: key, releases: [], countries: [],
                genres: [], artists: [])
            details.artists = try await parts(
                """
                SELECT a.id, a.name, a.page_url, count(*) FROM sale s JOIN artist a ON a.id = s.artist_id
                WHERE \(sales) AND \(window) GROUP BY a.id ORDER BY 4 DESC, a.name LIMIT 5
                """, bounds, db)
        }
        details.countries = try await parts(
            """
            SELECT c.code, c.name, NULL, count(*) FROM sale s JOIN country c ON c.code = s.buyer_country_code
            WHERE \(sales) AND \(window) GROUP BY c.code ORDER BY 4 DESC, c.name LIMIT 5
            """, bounds, db)
        details.releases = try await db.query(
            """
            SELECT coalesce(r.title, r.page_title, r.album_title, r.url), a.name, r.url, count(*),
                round(coalesce(sum(s.amount_paid_usd), 0), 2)
            FROM sale s JOIN release r ON r.id = s.release_id JOIN artist a ON a.id = r.artist_id
            WHERE \(sales) AND \(window)
            GROUP BY r.id, a.name ORDER BY 4 DESC, 5 DESC, r.url LIMIT 5
            """, bounds
        ).rows.map { row in
            AlertRelease(
                title: row[0] ?? "", artist: row[1] ?? "", url: row[2] ?? "", sales: Int(row[3] ?? "") ?? 0,
                revenueUSD: row[4] ?? "0")
        }
        return details
    }

    /// Rows of (id, name, url or `tag:key`, sales) as parts.
    private func parts(_ sql: String, _ parameters: [String?], _ db: PostgresConnection) async throws
        -> [AlertPart]
    {
        try await db.query(sql, parameters).rows.map { row in
            let key = row[2].flatMap { $0.hasPrefix("tag:") ? String($0.dropFirst(4)) : nil }
            return AlertPart(
                id: row[0] ?? "", name: row[1] ?? "", url: key.map(AlertDetails.tagURL) ?? row[2], key: key,
                sales: Int(row[3] ?? "") ?? 0)
        }
    }
}
