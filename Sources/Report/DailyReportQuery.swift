import Postgres
import Tracker

/// Reads a day's report from the warehouse: a handful of aggregate queries over the day's sales (and those of
/// the day before and of a week earlier), each served by `sale_by_time` and the other indexes of migration 1.
public struct DailyReportQuery: Sendable {
    /// How many artists, releases, genres and countries the rankings keep.
    public var rankingSize = 10
    public var genreCount = 12

    public init() {}

    /// The report of `day`, as of `now` (seconds since 1970: a day not yet over is covered up to then).
    public func read(_ day: CalendarDay, now: Int64, from db: PostgresConnection) async throws -> DailyReport {
        let week = day.adding(days: -7)
        let summaries = try await summaries([day, day.adding(days: -1), week], db)
        let artists = try await rankings(day, releases: false, db)
        let releases = try await rankings(day, releases: true, db)
        return DailyReport(
            day: day, builtAt: now, summary: summaries[0], previousDay: summaries[1], weekEarlier: summaries[2],
            artistsByRevenue: artists.byRevenue, artistsBySales: artists.bySales,
            releasesByRevenue: releases.byRevenue, releasesBySales: releases.bySales,
            genres: try await genres(day, week, db), taggedSales: try await taggedSales(day, db),
            formats: try await formats(day, week, db), countries: try await countries(day, db),
            hours: try await hours(day, db), hoursWeekEarlier: try await hours(week, db),
            coverage: try await coverage(day, now: now, db))
    }

    /// `sold_at` within day `$n` and `$n+1` (seconds since 1970).
    private static func within(_ first: Int) -> String {
        "s.sold_at >= to_timestamp($\(first)) AND s.sold_at < to_timestamp($\(first + 1))"
    }

    private static func bounds(_ days: CalendarDay...) -> [String?] {
        days.flatMap { [String($0.start), String($0.end)] }
    }

    private func summaries(_ days: [CalendarDay], _ db: PostgresConnection) async throws -> [DaySummary] {
        var result: [DaySummary] = []
        for day in days {
            let row = try await db.query(
                """
                SELECT count(*), round(coalesce(sum(s.amount_paid_usd), 0), 2),
                    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY s.amount_paid_usd)::numeric, 2),
                    (count(*) FILTER (WHERE s.overpaid_usd > 0))::float8
                        / nullif(count(*) FILTER (WHERE s.overpaid_usd IS NOT NULL), 0),
                    count(DISTINCT s.artist_id), count(DISTINCT s.release_id), count(DISTINCT s.buyer_country_code)
                FROM sale s WHERE \(Self.within(1))
                """, Self.bounds(day)
            ).rows[0]
            result.append(
                DaySummary(
                    day: day, sales: Int(row[0] ?? "") ?? 0, revenueUSD: Money(row[1] ?? "0"),
                    medianPaidUSD: row[2].map(Money.init), paidMoreShare: row[3].flatMap { Double($0) },
                    artists: Int(row[4] ?? "") ?? 0, releases: Int(row[5] ?? "") ?? 0,
                    countries: Int(row[6] ?? "") ?? 0))
        }
        return result
    }

    /// The leading artists or releases, by revenue and by items sold: the day's sales summed by id once, the
    /// two top lists taken from those sums, and only their names looked up.
    private func rankings(_ day: CalendarDay, releases: Bool, _ db: PostgresConnection) async throws
        -> (byRevenue: [Ranked], bySales: [Ranked])
    {
        let rows = try await db.query(
            """
            WITH totals AS (
                SELECT s.\(releases ? "release_id" : "artist_id") AS id, count(*) AS sales,
                    round(coalesce(sum(s.amount_paid_usd), 0), 2) AS revenue
                FROM sale s WHERE \(Self.within(1)) GROUP BY 1
            ), top AS (
                (SELECT 'revenue' AS list, row_number() OVER (ORDER BY revenue DESC, sales DESC, id) AS place, *
                 FROM totals ORDER BY revenue DESC, sales DESC, id LIMIT $3)
                UNION ALL
                (SELECT 'sales', row_number() OVER (ORDER BY sales DESC, revenue DESC, id), *
                 FROM totals ORDER BY sales DESC, revenue DESC, id LIMIT $3)
            )
            SELECT top.list, \(releases
                ? "coalesce(r.title, r.page_title, r.album_title, r.url), a.name, r.url"
                : "a.name, a.page_url, a.page_url"), top.sales, top.revenue
            FROM top \(releases
                ? "JOIN release r ON r.id = top.id JOIN artist a ON a.id = r.artist_id"
                : "JOIN artist a ON a.id = top.id")
            ORDER BY top.list, top.place
            """, Self.bounds(day) + [String(rankingSize)]
        ).rows
        var result: (byRevenue: [Ranked], bySales: [Ranked]) = ([], [])
        for row in rows {
            let entry = Ranked(
                name: row[1] ?? "", detail: releases ? row[2] ?? "" : ReleaseURL.host(of: row[2] ?? ""),
                url: row[3] ?? "", sales: Int(row[4] ?? "") ?? 0, revenueUSD: Money(row[5] ?? "0"))
            if row[0] == "revenue" { result.byRevenue.append(entry) } else { result.bySales.append(entry) }
        }
        return result
    }

    private func taggedSales(_ day: CalendarDay, _ db: PostgresConnection) async throws -> Int {
        try await db.query(
            """
            SELECT count(*) FROM sale s
            WHERE \(Self.within(1)) AND EXISTS (SELECT 1 FROM release_tag rt WHERE rt.release_id = s.release_id)
            """, Self.bounds(day)
        ).scalar.flatMap { Int($0) } ?? 0
    }

    private func genres(_ day: CalendarDay, _ week: CalendarDay, _ db: PostgresConnection) async throws -> [GenreRow] {
        try await db.query(
            """
            WITH counts AS (
                SELECT t.id, t.name,
                    count(*) FILTER (WHERE \(Self.within(1))) AS sales,
                    round(coalesce(sum(s.amount_paid_usd) FILTER (WHERE \(Self.within(1))), 0), 2) AS revenue,
                    count(*) FILTER (WHERE \(Self.within(3))) AS week_sales
                FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id JOIN tag t ON t.id = rt.tag_id
                WHERE (\(Self.within(1))) OR (\(Self.within(3)))
                GROUP BY t.id
            ), ranked AS (
                SELECT *, rank() OVER (ORDER BY sales DESC) AS day_rank,
                    rank() OVER (ORDER BY week_sales DESC) AS week_rank
                FROM counts
            )
            SELECT name, sales, revenue, week_sales, day_rank, CASE WHEN week_sales > 0 THEN week_rank END
            FROM ranked WHERE sales > 0
            ORDER BY sales DESC, revenue DESC, name, id
            LIMIT $5
            """, Self.bounds(day, week) + [String(genreCount)]
        ).rows.map { row in
            GenreRow(
                name: row[0] ?? "", sales: Int(row[1] ?? "") ?? 0, revenueUSD: Money(row[2] ?? "0"),
                salesWeekEarlier: Int(row[3] ?? "") ?? 0, rank: Int(row[4] ?? "") ?? 0,
                rankWeekEarlier: row[5].flatMap { Int($0) })
        }
    }

    private func formats(_ day: CalendarDay, _ week: CalendarDay, _ db: PostgresConnection) async throws
        -> [FormatRow]
    {
        try await db.query(
            """
            WITH counts AS (
                SELECT s.item_type, count(*) FILTER (WHERE \(Self.within(1))) AS sales,
                    sum(s.amount_paid_usd) FILTER (WHERE \(Self.within(1))) AS revenue,
                    count(*) FILTER (WHERE \(Self.within(3))) AS week_sales
                FROM sale s WHERE (\(Self.within(1))) OR (\(Self.within(3)))
                GROUP BY 1
            )
            SELECT t.type::text, coalesce(c.sales, 0), round(coalesce(c.revenue, 0), 2), coalesce(c.week_sales, 0)
            FROM unnest(enum_range(NULL::item_type)) AS t(type) LEFT JOIN counts c ON c.item_type = t.type
            ORDER BY t.type
            """, Self.bounds(day, week)
        ).rows.map { row in
            FormatRow(
                type: row[0] ?? "", sales: Int(row[1] ?? "") ?? 0, revenueUSD: Money(row[2] ?? "0"),
                salesWeekEarlier: Int(row[3] ?? "") ?? 0)
        }
    }

    private func countries(_ day: CalendarDay, _ db: PostgresConnection) async throws -> [CountryRow] {
        try await db.query(
            """
            WITH top AS (
                SELECT s.buyer_country_code AS code, count(*) AS sales,
                    round(coalesce(sum(s.amount_paid_usd), 0), 2) AS revenue
                FROM sale s WHERE \(Self.within(1)) AND s.buyer_country_code IS NOT NULL
                GROUP BY 1 ORDER BY sales DESC, revenue DESC, code LIMIT $3
            ), genre AS (
                SELECT s.buyer_country_code AS code, rt.tag_id, count(*) AS sales
                FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id
                WHERE \(Self.within(1)) AND s.buyer_country_code IN (SELECT code FROM top)
                GROUP BY 1, 2
            ), best AS (
                SELECT DISTINCT ON (g.code) g.code, t.name, g.sales
                FROM genre g JOIN tag t ON t.id = g.tag_id
                ORDER BY g.code, g.sales DESC, t.name
            )
            SELECT top.code, c.name, top.sales, top.revenue, g.name, coalesce(g.sales, 0)
            FROM top JOIN country c ON c.code = top.code
            LEFT JOIN best g ON g.code = top.code
            ORDER BY top.sales DESC, top.revenue DESC, top.code
            """, Self.bounds(day) + [String(rankingSize)]
        ).rows.map { row in
            CountryRow(
                code: row[0] ?? "", name: row[1] ?? "", sales: Int(row[2] ?? "") ?? 0,
                revenueUSD: Money(row[3] ?? "0"), leadingGenre: row[4], leadingGenreSales: Int(row[5] ?? "") ?? 0)
        }
    }

    private func hours(_ day: CalendarDay, _ db: PostgresConnection) async throws -> [Int] {
        var result = [Int](repeating: 0, count: 24)
        for row in try await db.query(
            """
            SELECT extract(hour FROM s.sold_at AT TIME ZONE 'UTC')::int, count(*)
            FROM sale s WHERE \(Self.within(1)) GROUP BY 1
            """, Self.bounds(day)
        ).rows {
            if let hour = Int(row[0] ?? ""), (0..<24).contains(hour) { result[hour] = Int(row[1] ?? "") ?? 0 }
        }
        return result
    }

    private func coverage(_ day: CalendarDay, now: Int64, _ db: PostgresConnection) async throws -> Coverage {
        // The day up to now, less the union of the windows loaded that overlap it.
        let end = max(day.start, min(day.end, now))
        let bounds = [String(day.start), String(end)]
        let windows =
            try await db.query(
                """
                SELECT count(*) FROM feed_window f
                WHERE tstzrange(f.start_at, f.end_at, '[]') && tstzrange(to_timestamp($1), to_timestamp($2))
                """, bounds
            ).scalar.flatMap { Int($0) } ?? 0
        var gaps: [(start: Int64, end: Int64)] = try await db.query(
            """
            WITH span AS (SELECT tstzrange(to_timestamp($1), to_timestamp($2)) AS r)
            SELECT extract(epoch FROM lower(m.r))::bigint, extract(epoch FROM upper(m.r))::bigint
            FROM span, unnest(tstzmultirange(span.r) - coalesce(
                (SELECT range_agg(tstzrange(f.start_at, f.end_at, '[]')) FROM feed_window f
                 WHERE tstzrange(f.start_at, f.end_at, '[]') && span.r),
                '{}'::tstzmultirange)) AS m(r)
            """, bounds
        ).rows.compactMap { row in
            guard let start = Int64(row[0] ?? ""), let end = Int64(row[1] ?? "") else { return nil }
            return (start, end)
        }
        gaps.sort { ($0.end - $0.start, $1.start) > ($1.end - $1.start, $0.start) }
        let span = Int(end - day.start)
        let missing = gaps.reduce(0) { $0 + Int($1.end - $1.start) }
        return Coverage(coveredSeconds: span - missing, daySeconds: span, gaps: gaps, windows: windows)
    }
}
