import Postgres
import Trends

/// A rule whose windows are not whole days (the counts are read by day).
public struct AlertRuleError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Reads what the trend rules need from the warehouse: per-entity sales in each window, aggregated by SQL in one
/// scan of the longest span for all rules of a kind (artists; genres; the site), and, for the signals only, what
/// stands behind them.
public struct AlertQuery: Sendable {
    public init() {}

    /// The entities' and the site's counts for each rule at `at` (seconds since 1970, the end of the current
    /// windows), in the rules' order.
    /// - Throws: `AlertRuleError` for a rule whose windows are not whole days; what the database throws.
    public func counts(_ rules: [TrendRule], at: Int64, from db: PostgresConnection) async throws -> [(
        counts: [TrendCounts], site: SiteCounts
    )] {
        for rule in rules {
            for (name, hours, least) in [
                ("window", rule.windowHours, 24), ("step", rule.stepHours, 24), ("gap", rule.gapHours, 0),
                ("baseline", rule.baselineHours, 24 * 7),
            ] where hours < least || hours % 24 != 0 {
                throw AlertRuleError(
                    description: "rule \(rule.id): its \(name) of \(hours) hours is not a whole number of days "
                        + "(at least \(least / 24))")
            }
        }
        guard let span = rules.map(\.spanHours).max() else { return [] }
        let sites = try await siteCounts(rules, at: at, span: span, db)
        let artistRules = rules.filter { $0.entity == .artist }
        let genreRules = rules.filter { $0.entity == .genre }
        var artists = try await artistCounts(artistRules, at: at, db)
        var genres = try await genreCounts(genreRules, at: at, db)
        return rules.enumerated().map { index, rule in
            switch rule.entity {
            case .artist: return (artists.removeFirst(), sites[index])
            case .genre: return (genres.removeFirst(), sites[index])
            }
        }
    }

    /// Seconds since 1970 of an hour before `at`.
    private static func before(_ at: Int64, hours: Int) -> String { String(at - Int64(hours) * 3600) }

    /// Day buckets counted back from `at`: 0 is the last 24 hours.
    /// (date_part, a double, is cheaper per row than extract's numeric.)
    private static let dayBack = "floor(($1::float8 - date_part('epoch', s.sold_at)) / 86400)::int"

    /// Adds `count` sales of the day `back` to a rule's windows.
    private static func add(_ count: Int, back: Int, _ rule: TrendRule, to entity: inout TrendCounts) {
        let place = rule.place(dayBack: back)
        if place.current { entity.current += count }
        if place.previous { entity.previous += count }
        if let day = place.baselineDay {
            entity.baseline += count
            if !entity.baselineDaily.isEmpty { entity.baselineDaily[day] += count }
        }
    }

    private static func empty(_ entity: Int64, _ rule: TrendRule, daily: Bool) -> TrendCounts {
        TrendCounts(
            entity: entity, current: 0, previous: 0, baseline: 0, releases: 0, countries: 0, artists: 0,
            baselineDaily: daily ? Array(repeating: 0, count: rule.baselineHours / 24) : [])
    }

    private func siteCounts(_ rules: [TrendRule], at: Int64, span: Int, _ db: PostgresConnection) async throws
        -> [SiteCounts]
    {
        let rows = try await db.query(
            """
            SELECT \(Self.dayBack), count(*) FROM sale s
            WHERE s.sold_at >= to_timestamp($2) AND s.sold_at < to_timestamp($1)
            GROUP BY 1
            """, [String(at), Self.before(at, hours: span)]
        ).rows
        return rules.map { rule in
            var site = Self.empty(0, rule, daily: true)
            for row in rows {
                guard let back = Int(row[0] ?? ""), let count = Int(row[1] ?? "") else { continue }
                Self.add(count, back: back, rule, to: &site)
            }
            return SiteCounts(
                current: site.current, previous: site.previous, baseline: site.baseline,
                baselineDaily: site.baselineDaily)
        }
    }

    /// Artists' counts for each artist rule: one scan, a current, previous and baseline count per rule; the
    /// distinct releases and countries read afterwards for the few artists that could be signals.
    private func artistCounts(_ rules: [TrendRule], at: Int64, _ db: PostgresConnection) async throws
        -> [[TrendCounts]]
    {
        guard let span = rules.map(\.spanHours).max() else { return [] }
        var columns: [String] = []
        var parameters: [String?] = [String(at), Self.before(at, hours: span)]
        func bound(_ hours: Int) -> String {
            parameters.append(Self.before(at, hours: hours))
            return "to_timestamp($\(parameters.count))"
        }
        for rule in rules {
            columns.append("count(*) FILTER (WHERE s.sold_at >= \(bound(rule.current.from)))")
            columns.append(
                "count(*) FILTER (WHERE s.sold_at >= \(bound(rule.previous.from)) "
                    + "AND s.sold_at < \(bound(rule.previous.to)))")
            columns.append(
                "count(*) FILTER (WHERE s.sold_at >= \(bound(rule.baseline.from)) "
                    + "AND s.sold_at < \(bound(rule.baseline.to)))")
        }
        let rows = try await db.query(
            """
            SELECT s.artist_id, \(columns.joined(separator: ", "))
            FROM sale s WHERE s.sold_at >= to_timestamp($2) AND s.sold_at < to_timestamp($1)
            GROUP BY s.artist_id ORDER BY s.artist_id
            """, parameters
        ).rows
        var result: [[TrendCounts]] = []
        for (index, rule) in rules.enumerated() {
            var counts: [TrendCounts] = []
            for row in rows {
                guard let id = Int64(row[0] ?? "") else { continue }
                var entity = Self.empty(id, rule, daily: false)
                entity.current = Int(row[1 + 3 * index] ?? "") ?? 0
                entity.previous = Int(row[2 + 3 * index] ?? "") ?? 0
                entity.baseline = Int(row[3 + 3 * index] ?? "") ?? 0
                entity.artists = 1
                if rule.tests(entity) { counts.append(entity) }
            }
            let candidates = counts.indices.filter { rule.hasMinimumSales(counts[$0]) }
            if !candidates.isEmpty {
                let distinct = try await db.query(
                    """
                    SELECT s.artist_id, count(DISTINCT s.release_id), count(DISTINCT s.buyer_country_code)
                    FROM sale s
                    WHERE s.artist_id = ANY($3::bigint[]) AND s.sold_at >= to_timestamp($2)
                        AND s.sold_at < to_timestamp($1)
                    GROUP BY 1
                    """,
                    [
                        String(at), Self.before(at, hours: rule.current.from),
                        PostgresArray.literal(candidates.map { counts[$0].entity }),
                    ]
                ).rows
                let byArtist = Dictionary(
                    distinct.compactMap { row in Int64(row[0] ?? "").map { ($0, (row[1], row[2])) } }
                ) { first, _ in first }
                for index in candidates {
                    let found = byArtist[counts[index].entity]
                    counts[index].releases = Int(found?.0 ?? "") ?? 0
                    counts[index].countries = Int(found?.1 ?? "") ?? 0
                }
            }
            result.append(counts)
        }
        return result
    }

    /// Genres' counts for each genre rule, day by day from one scan (their baselines' daily series give the
    /// dispersion); distinct artists, releases and countries read for the genres that could be signals.
    private func genreCounts(_ rules: [TrendRule], at: Int64, _ db: PostgresConnection) async throws
        -> [[TrendCounts]]
    {
        guard let span = rules.map(\.spanHours).max() else { return [] }
        // One hash join of the span's sales with their releases' genres, summed by genre and day; enough memory
        // for the genres' hash table to stay in one batch.
        let daily = try await db.transaction { db in
            try await db.query("SET LOCAL work_mem = '64MB'")
            return try await db.query(
                """
                SELECT rt.tag_id, \(Self.dayBack), count(*)
                FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id
                WHERE s.sold_at >= to_timestamp($2) AND s.sold_at < to_timestamp($1)
                GROUP BY 1, 2
                """, [String(at), Self.before(at, hours: span)]
            ).rows
        }
        var result: [[TrendCounts]] = []
        for rule in rules {
            var byTag: [Int64: TrendCounts] = [:]
            for row in daily {
                guard let tag = Int64(row[0] ?? ""), let back = Int(row[1] ?? ""), let count = Int(row[2] ?? "")
                else { continue }
                Self.add(count, back: back, rule, to: &byTag[tag, default: Self.empty(tag, rule, daily: true)])
            }
            var counts = byTag.values.filter { rule.tests($0) }.sorted { $0.entity < $1.entity }
            let candidates = counts.indices.filter { rule.hasMinimumSales(counts[$0]) }
            if !candidates.isEmpty {
                let distinct = try await db.query(
                    """
                    SELECT rt.tag_id, count(DISTINCT s.artist_id), count(DISTINCT s.release_id),
                        count(DISTINCT s.buyer_country_code)
                    FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id
                    WHERE s.sold_at >= to_timestamp($2) AND s.sold_at < to_timestamp($1)
                        AND rt.tag_id = ANY($3::bigint[])
                    GROUP BY 1
                    """,
                    [
                        String(at), Self.before(at, hours: rule.current.from),
                        PostgresArray.literal(candidates.map { counts[$0].entity }),
                    ]
                ).rows
                let byTagDistinct = Dictionary(
                    distinct.compactMap { row in Int64(row[0] ?? "").map { ($0, row) } }
                ) { first, _ in first }
                for index in candidates {
                    let row = byTagDistinct[counts[index].entity]
                    counts[index].artists = Int(row?[1] ?? "") ?? 0
                    counts[index].releases = Int(row?[2] ?? "") ?? 0
                    counts[index].countries = Int(row?[3] ?? "") ?? 0
                }
            }
            result.append(counts)
        }
        return result
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
