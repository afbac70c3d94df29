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
    /// Whether the counts are read from the summaries: the site's and the genres' from the hourly ones when `at`
    /// is on the hour, the artists' from their days, the candidates' distinct releases, countries and artists
    /// from their last sales (when false, all from `sale`, as the tests do to compare the two).
    public var useSummaries: Bool

    public init(useSummaries: Bool = true) {
        self.useSummaries = useSummaries
    }

    /// Whether the hourly summaries hold the day buckets counted back from `at`.
    private func hourly(_ at: Int64) -> Bool { useSummaries && at % 3600 == 0 }

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
        // One snapshot for every count (a load committing meanwhile is in all of them or none); enough memory for
        // the artists' and genres' hash tables to stay in one batch; no JIT, whose compiling (100-150 ms a query,
        // measured) costs more than these short scans gain from it.
        return try await db.transaction { db in
            try await db.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            try await db.query("SET LOCAL work_mem = '64MB'")
            try await db.query("SET LOCAL jit = off")
            let sites = try await siteCounts(rules, at: at, span: span, db)
            var artists = try await artistCounts(rules.filter { $0.entity == .artist }, at: at, db)
            var genres = try await genreCounts(rules.filter { $0.entity == .genre }, at: at, db)
            var result: [(counts: [TrendCounts], site: SiteCounts)] = []
            for (rule, site) in zip(rules, sites) {
                var counts = rule.entity == .artist ? artists.removeFirst() : genres.removeFirst()
                try await addDistincts(rule, &counts, site: site, at: at, db)
                result.append((counts, site))
            }
            return result
        }
    }

    /// The distinct releases and countries (artists) or artists, releases and countries (genres) in the current
    /// window of the entities the trend engine discovers (significant in both windows, with the minimum sales):
    /// they decide only whether those signal, and a signal records them. Others keep 0.
    private func addDistincts(
        _ rule: TrendRule, _ counts: inout [TrendCounts], site: SiteCounts, at: Int64, _ db: PostgresConnection
    ) async throws {
        let discovered = TrendEngine().discovered(rule, counts: counts, site: site)
        guard !discovered.isEmpty else { return }
        let from = Self.before(at, hours: rule.current.from)
        let found =
            switch rule.entity {
            case .artist: try await artistDistincts(discovered, from: from, to: at, db)
            case .genre: try await genreDistincts(discovered, from: from, to: at, db)
            }
        for index in counts.indices { found[counts[index].entity]?.apply(to: &counts[index]) }
    }

    /// Seconds since 1970 of an hour before `at`.
    private static func before(_ at: Int64, hours: Int) -> Int64 { at - Int64(hours) * 3600 }

    /// Day buckets counted back from `at`: 0 is the last 24 hours, [at - 24 h, at), as the rules' windows.
    /// (date_part, a double, is cheaper per row than extract's numeric.)
    private static func dayBack(_ at: Int64) -> SQLQuery {
        "(ceil((\(at)::float8 - date_part('epoch', s.sold_at)) / 86400) - 1)::int"
    }

    /// The day bucket of an hour of a summary `h` (`at` on the hour).
    private static func hourBack(_ at: Int64) -> SQLQuery {
        "((\(at) - date_part('epoch', h.hour)::bigint - 3600) / 86400)::int"
    }

    /// The genres' sales by day bucket counted back from `at` (on the hour) over `span` hours, from their days
    /// (`summary_genre_day`) and a part of each day's hours (`summary_genre_hour`). A bucket is the end of one UTC
    /// day (from `at`'s time of day: its tail) and the start of the next (its head), so a day's head is in an
    /// older bucket than its tail. A day counts whole in its tail's bucket and its head is moved to the older one
    /// or, when the head is the longer part, whole in its head's bucket and its tail moved to the newer one: at
    /// most twelve hours a day are read by the hour. `at`'s own day counts by its hours up to `at`.
    private static func genreDays(at: Int64, span: Int) -> SQLQuery {
        let (today, timeOfDay) = (at / 86_400, at % 86_400)
        let first = today - Int64(span / 24)
        let headFirst = timeOfDay <= 43_200
        // The hours read of each day (seconds into it), where the day counts (0: the bucket of its head, 1: of
        // its tail), and the sign of those hours in the day's own bucket.
        let (from, to): (Int64, Int64) = headFirst ? (0, timeOfDay) : (timeOfDay, 86_400)
        let (dayShift, sign) = headFirst ? (1, 1) : (0, -1)
        let epoch: SQLQuery = "date '1970-01-01'"
        return """
            WITH parts AS (
                SELECT g.tag_id, \(today)::bigint - (g.day - \(epoch)) - \(dayShift)::int AS back, g.sales
                FROM summary_genre_day g
                WHERE g.day >= \(epoch) + \(first)::int AND g.day < \(epoch) + \(today)::int
                UNION ALL
                SELECT h.tag_id, \(today)::bigint - e.day - b.shift, b.sign * h.sales
                FROM generate_series(\(first)::bigint, \(today)::bigint - 1) e (day)
                JOIN summary_genre_hour h ON h.hour >= to_timestamp(e.day * 86400 + \(from)::bigint)
                    AND h.hour < to_timestamp(e.day * 86400 + \(to)::bigint)
                CROSS JOIN (VALUES (0, \(sign)::int), (1, -\(sign)::int)) b (shift, sign)
                UNION ALL
                SELECT h.tag_id, 0, h.sales FROM summary_genre_hour h
                WHERE h.hour >= to_timestamp(\(today * 86_400)) AND h.hour < to_timestamp(\(at))
            )
            SELECT p.tag_id, p.back::int AS back, sum(p.sales)::bigint AS sales FROM parts p
            WHERE p.back >= 0 AND p.back < \(span / 24)::int
            GROUP BY 1, 2
            """
    }

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
        let rows =
            hourly(at)
            ? try await db.query(
                """
                SELECT \(Self.hourBack(at)) AS back, sum(h.sales)::bigint AS sales FROM summary_hour h
                WHERE h.hour >= to_timestamp(\(Self.before(at, hours: span))) AND h.hour < to_timestamp(\(at))
                GROUP BY 1
                """)
            : try await db.query(
                """
                SELECT \(Self.dayBack(at)) AS back, count(*) AS sales FROM sale s
                WHERE s.sold_at >= to_timestamp(\(Self.before(at, hours: span))) AND s.sold_at < to_timestamp(\(at))
                GROUP BY 1
                """)
        return try rules.map { rule in
            var site = Self.empty(0, rule, daily: true)
            for row in rows {
                Self.add(try row.decode("sales"), back: try row.decode("back"), rule, to: &site)
            }
            return SiteCounts(
                current: site.current, previous: site.previous, baseline: site.baseline,
                baselineDaily: site.baselineDaily)
        }
    }

    /// Artists' counts for each artist rule: one scan, a current, previous and baseline count per rule.
    private func artistCounts(_ rules: [TrendRule], at: Int64, _ db: PostgresConnection) async throws
        -> [[TrendCounts]]
    {
        guard let span = rules.map(\.spanHours).max() else { return [] }
        var columns: [SQLQuery] = []
        func bound(_ hours: Int) -> SQLQuery { "to_timestamp(\(Self.before(at, hours: hours)))" }
        for (index, rule) in rules.enumerated() {
            columns.append(
                "count(*) FILTER (WHERE s.sold_at >= \(bound(rule.current.from))) AS current_\(unescaped: String(index))"
            )
            columns.append(
                """
                count(*) FILTER (WHERE s.sold_at >= \(bound(rule.previous.from)) AND s.sold_at < \(bound(rule.previous.to)))
                    AS previous_\(unescaped: String(index))
                """)
            columns.append(
                """
                count(*) FILTER (WHERE s.sold_at >= \(bound(rule.baseline.from)) AND s.sold_at < \(bound(rule.baseline.to)))
                    AS baseline_\(unescaped: String(index))
                """)
        }
        let rows =
            useSummaries
            ? try await db.query(Self.artistWindows(rules, at: at, span: span))
            : try await db.query(
                """
                SELECT s.artist_id, \(SQLQuery.joined(columns, separator: ", "))
                FROM sale s WHERE s.sold_at >= to_timestamp(\(Self.before(at, hours: span))) AND s.sold_at < to_timestamp(\(at))
                GROUP BY s.artist_id ORDER BY s.artist_id
                """)
        var result: [[TrendCounts]] = []
        for (index, rule) in rules.enumerated() {
            var counts: [TrendCounts] = []
            for row in rows {
                var entity = Self.empty(try row.decode("artist_id"), rule, daily: false)
                entity.current = try row.decode("current_\(index)")
                entity.previous = try row.decode("previous_\(index)")
                entity.baseline = try row.decode("baseline_\(index)")
                entity.artists = 1
                if rule.tests(entity) { counts.append(entity) }
            }
            result.append(counts)
        }
        return result
    }

    /// The artists' counts in every window of the rules, from their sales by day (`summary_artist_day`) and the
    /// sales of a few part days: every window `[s, e)` starts and ends at `at`'s time of day, so it is the days from
    /// `s`'s to the one before `e`'s, less the part of `s`'s day before `s`, plus the part of `e`'s day before
    /// `e`. Those parts (the "heads" of the windows' first and last days) are the only sales read, by
    /// `sale_by_time`. The windows' first and last days cut the span into buckets (`width_bucket`); a day counts in
    /// its bucket, a head less in its day's bucket and more in the one before, and a window is a run of buckets:
    /// one sum a window, over small integers. The same columns, rows and order as the scan of `sale`: an artist
    /// is in it when it sold in the span.
    private static func artistWindows(_ rules: [TrendRule], at: Int64, span: Int) -> SQLQuery {
        let timeOfDay = ((at % 86_400) + 86_400) % 86_400
        func day(_ hours: Int) -> Int64 { (before(at, hours: hours) - timeOfDay) / 86_400 }
        var edges: Set<Int> = [span, 0]
        for rule in rules {
            for bounds in [rule.current, rule.previous, rule.baseline] { edges.formUnion([bounds.from, bounds.to]) }
        }
        // Oldest first: the bucket of the day `edgeDays[k]` (and of the days after it, up to the next) is k + 1.
        let edgeDays = edges.sorted(by: >).map(day)
        func bucket(_ hours: Int) -> Int { edgeDays.firstIndex(of: day(hours))! + 1 }
        func window(_ from: Int, _ to: Int) -> SQLQuery {
            let (first, last) = (bucket(from), bucket(to))
            return "coalesce(sum(x.sales) FILTER (WHERE x.bucket >= \(first) AND x.bucket < \(last)), 0)"
        }
        var columns: [SQLQuery] = []
        for (index, rule) in rules.enumerated() {
            for (name, bounds) in [("current", rule.current), ("previous", rule.previous), ("baseline", rule.baseline)]
            {
                columns.append(
                    "\(window(bounds.from, bounds.to))::bigint AS \(unescaped: name)_\(unescaped: String(index))")
            }
        }
        let epochDay: SQLQuery = "date '1970-01-01'"
        return """
            WITH parts AS (
                SELECT a.artist_id, width_bucket((a.day - \(epochDay))::bigint, \(edgeDays)::bigint[]) AS bucket,
                    a.sales::int AS sales
                FROM summary_artist_day a
                WHERE a.day >= \(epochDay) + \(day(span))::int AND a.day < \(epochDay) + \(day(0))::int
                UNION ALL
                SELECT h.artist_id, h.bucket + b.shift, b.sign * h.sales
                FROM (
                    SELECT s.artist_id,
                        width_bucket(((s.sold_at AT TIME ZONE 'UTC')::date - \(epochDay))::bigint, \(edgeDays)::bigint[])
                            AS bucket,
                        count(*)::int AS sales
                    FROM unnest(\(edgeDays)::bigint[]) e (day)
                    JOIN sale s ON s.sold_at >= to_timestamp(e.day * 86400)
                        AND s.sold_at < to_timestamp(e.day * 86400 + \(timeOfDay))
                    GROUP BY 1, 2
                ) h
                CROSS JOIN (VALUES (0, -1), (-1, 1)) b (shift, sign)
            )
            SELECT x.artist_id, \(SQLQuery.joined(columns, separator: ", "))
            FROM parts x GROUP BY x.artist_id HAVING \(window(span, 0)) > 0 ORDER BY x.artist_id
            """
    }

    /// Genres' counts for each genre rule, day by day from one scan (their baselines' daily series give the
    /// dispersion).
    private func genreCounts(_ rules: [TrendRule], at: Int64, _ db: PostgresConnection) async throws
        -> [[TrendCounts]]
    {
        guard let span = rules.map(\.spanHours).max() else { return [] }
        // The genres' summaries of the span (or one hash join of its sales with their releases' genres), summed by
        // genre and day.
        let rows =
            hourly(at)
            ? try await db.query(Self.genreDays(at: at, span: span))
            : try await db.query(
                """
                SELECT rt.tag_id, \(Self.dayBack(at)) AS back, count(*) AS sales
                FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id
                WHERE s.sold_at >= to_timestamp(\(Self.before(at, hours: span))) AND s.sold_at < to_timestamp(\(at))
                GROUP BY 1, 2
                """)
        let daily = try rows.map { row in
            (
                tag: try row.decode("tag_id", as: Int64.self), back: try row.decode("back", as: Int.self),
                sales: try row.decode("sales", as: Int.self)
            )
        }
        var result: [[TrendCounts]] = []
        for rule in rules {
            var byTag: [Int64: TrendCounts] = [:]
            for (tag, back, count) in daily {
                Self.add(count, back: back, rule, to: &byTag[tag, default: Self.empty(tag, rule, daily: true)])
            }
            result.append(byTag.values.filter { rule.tests($0) }.sorted { $0.entity < $1.entity })
        }
        return result
    }

    /// The distinct releases and buyer countries of each of `artists` in `[from, to)`: from their last sales, or
    /// (not `useSummaries`) from `sale`.
    private func artistDistincts(_ artists: [Int64], from: Int64, to: Int64, _ db: PostgresConnection)
        async throws -> [Int64: DistinctCounts]
    {
        if useSummaries { return try await LastSaleCounts(from: from, to: to).artists(artists, db) }
        var found: [Int64: DistinctCounts] = [:]
        for row in try await db.query(
            """
            SELECT s.artist_id, count(DISTINCT s.release_id) AS releases,
                count(DISTINCT s.buyer_country_code) AS countries
            FROM sale s
            WHERE s.artist_id = ANY(\(artists)::bigint[])
                AND s.sold_at >= to_timestamp(\(from)) AND s.sold_at < to_timestamp(\(to))
            GROUP BY 1
            """)
        {
            found[try row.decode("artist_id")] = DistinctCounts(
                releases: try row.decode("releases"), countries: try row.decode("countries"))
        }
        return found
    }

    /// The distinct artists, releases and buyer countries of each of `genres` in `[from, to)`: from their last
    /// sales, or (not `useSummaries`) from `sale` and the releases' tags.
    private func genreDistincts(_ genres: [Int64], from: Int64, to: Int64, _ db: PostgresConnection)
        async throws -> [Int64: DistinctCounts]
    {
        if useSummaries { return try await LastSaleCounts(from: from, to: to).genres(genres, db) }
        var found: [Int64: DistinctCounts] = [:]
        for row in try await db.query(
            """
            SELECT rt.tag_id, count(DISTINCT s.artist_id) AS artists, count(DISTINCT s.release_id) AS releases,
                count(DISTINCT s.buyer_country_code) AS countries
            FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id
            WHERE s.sold_at >= to_timestamp(\(from)) AND s.sold_at < to_timestamp(\(to))
                AND rt.tag_id = ANY(\(genres)::bigint[])
            GROUP BY 1
            """)
        {
            found[try row.decode("tag_id")] = DistinctCounts(
                releases: try row.decode("releases"), countries: try row.decode("countries"),
                artists: try row.decode("artists"))
        }
        return found
    }

    /// What stands behind a signal in the rule's current window: the entity's name and page, its top releases
    /// and buyer countries, and an artist's genres or a genre's artists.
    public func details(_ signal: TrendSignal, _ rule: TrendRule, at: Int64, from db: PostgresConnection)
        async throws -> AlertDetails
    {
        let id = signal.entity
        let sales: SQLQuery =
            rule.entity == .artist
            ? "s.artist_id = \(id)"
            : "EXISTS (SELECT 1 FROM release_tag rt WHERE rt.release_id = s.release_id AND rt.tag_id = \(id))"
        let window: SQLQuery =
            "s.sold_at >= to_timestamp(\(Self.before(at, hours: rule.current.from))) AND s.sold_at < to_timestamp(\(at))"
        var details: AlertDetails
        switch rule.entity {
        case .artist:
            let row = try await db.query("SELECT name, page_url FROM artist WHERE id = \(id)").first
            details = AlertDetails(
                name: try row?.decode("name") ?? "artist \(id)", url: try row?.decode("page_url") ?? "", key: nil,
                releases: [], countries: [], genres: [], artists: [])
            details.genres = try await parts(
                """
                SELECT t.id::text AS id, t.name, 'tag:' || t.key AS url, count(*) AS sales FROM sale s
                JOIN release_tag rt ON rt.release_id = s.release_id JOIN tag t ON t.id = rt.tag_id
                WHERE \(sales) AND \(window) GROUP BY t.id ORDER BY 4 DESC, t.name LIMIT 12
                """, db)
        case .genre:
            let row = try await db.query("SELECT name, key FROM tag WHERE id = \(id)").first
            let key: String = try row?.decode("key") ?? ""
            details = AlertDetails(
                name: try row?.decode("name") ?? key, url: AlertDetails.tagURL(key), key: key, releases: [],
                countries: [], genres: [], artists: [])
            details.artists = try await parts(
                """
                SELECT a.id::text AS id, a.name, a.page_url AS url, count(*) AS sales
                FROM sale s JOIN artist a ON a.id = s.artist_id
                WHERE \(sales) AND \(window) GROUP BY a.id ORDER BY 4 DESC, a.name LIMIT 5
                """, db)
        }
        details.countries = try await parts(
            """
            SELECT c.code AS id, c.name, NULL AS url, count(*) AS sales
            FROM sale s JOIN country c ON c.code = s.buyer_country_code
            WHERE \(sales) AND \(window) GROUP BY c.code ORDER BY 4 DESC, c.name LIMIT 5
            """, db)
        details.releases = try await db.query(
            """
            SELECT coalesce(r.title, r.page_title, r.album_title, r.url) AS title, a.name AS artist, r.url,
                count(*) AS sales, round(coalesce(sum(s.amount_paid_usd), 0), 2) AS revenue
            FROM sale s JOIN release r ON r.id = s.release_id JOIN artist a ON a.id = r.artist_id
            WHERE \(sales) AND \(window)
            GROUP BY r.id, a.name ORDER BY 4 DESC, 5 DESC, r.url LIMIT 5
            """
        ).map { row in
            AlertRelease(
                title: try row.decode("title"), artist: try row.decode("artist"), url: try row.decode("url"),
                sales: try row.decode("sales"), revenueUSD: try row.decode("revenue"))
        }
        return details
    }

    /// Rows of `id`, `name`, `url` (or `tag:key`, or NULL) and `sales` as parts.
    private func parts(_ query: SQLQuery, _ db: PostgresConnection) async throws -> [AlertPart] {
        try await db.query(query).map { row in
            let url: String? = try row.decode("url")
            let key = url.flatMap { $0.hasPrefix("tag:") ? String($0.dropFirst(4)) : nil }
            return AlertPart(
                id: try row.decode("id"), name: try row.decode("name"), url: key.map(AlertDetails.tagURL) ?? url,
                key: key, sales: try row.decode("sales"))
        }
    }
}
