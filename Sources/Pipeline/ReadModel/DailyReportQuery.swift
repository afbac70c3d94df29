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

    /// `sold_at` within a UTC day.
    private static func within(_ day: CalendarDay) -> SQLQuery {
        "s.sold_at >= to_timestamp(\(day.start)) AND s.sold_at < to_timestamp(\(day.end))"
    }

    private func summaries(_ days: [CalendarDay], _ db: PostgresConnection) async throws -> [DaySummary] {
        var result: [DaySummary] = []
        for day in days {
            let row = try await db.query(
                """
                SELECT count(*) AS sales, round(coalesce(sum(s.amount_paid_usd), 0), 2) AS revenue,
                    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY s.amount_paid_usd)::numeric, 2) AS median_paid,
                    (count(*) FILTER (WHERE s.overpaid_usd > 0))::float8
                        / nullif(count(*) FILTER (WHERE s.overpaid_usd IS NOT NULL), 0) AS paid_more,
                    count(DISTINCT s.artist_id) AS artists, count(DISTINCT s.release_id) AS releases,
                    count(DISTINCT s.buyer_country_code) AS countries
                FROM sale s WHERE \(Self.within(day))
                """
            ).single()
            result.append(
                DaySummary(
                    day: day, sales: try row.decode("sales"), revenueUSD: try row.decode("revenue"),
                    medianPaidUSD: try row.decode("median_paid"), paidMoreShare: try row.decode("paid_more"),
                    artists: try row.decode("artists"), releases: try row.decode("releases"),
                    countries: try row.decode("countries")))
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
                SELECT s.\(unescaped: releases ? "release_id" : "artist_id") AS id, count(*) AS sales,
                    round(coalesce(sum(s.amount_paid_usd), 0), 2) AS revenue
                FROM sale s WHERE \(Self.within(day)) GROUP BY 1
            ), top AS (
                (SELECT 'revenue' AS list, row_number() OVER (ORDER BY revenue DESC, sales DESC, id) AS place, *
                 FROM totals ORDER BY revenue DESC, sales DESC, id LIMIT \(rankingSize))
                UNION ALL
                (SELECT 'sales', row_number() OVER (ORDER BY sales DESC, revenue DESC, id), *
                 FROM totals ORDER BY sales DESC, revenue DESC, id LIMIT \(rankingSize))
            )
            SELECT top.list, \(unescaped: releases
                ? "coalesce(r.title, r.page_title, r.album_title, r.url) AS name, a.name AS detail, r.url"
                : "a.name, a.page_url AS detail, a.page_url AS url"), top.sales, top.revenue
            FROM top \(unescaped: releases
                ? "JOIN release r ON r.id = top.id JOIN artist a ON a.id = r.artist_id"
                : "JOIN artist a ON a.id = top.id")
            ORDER BY top.list, top.place
            """)
        var result: (byRevenue: [Ranked], bySales: [Ranked]) = ([], [])
        for row in rows {
            let detail: String = try row.decode("detail")
            let entry = Ranked(
                name: try row.decode("name"), detail: releases ? detail : ReleaseURL.host(of: detail),
                url: try row.decode("url"), sales: try row.decode("sales"), revenueUSD: try row.decode("revenue"))
            if try row.decode("list", as: String.self) == "revenue" {
                result.byRevenue.append(entry)
            } else {
                result.bySales.append(entry)
            }
        }
        return result
    }

    private func taggedSales(_ day: CalendarDay, _ db: PostgresConnection) async throws -> Int {
        try await db.query(
            """
            SELECT count(*) FROM sale s
            WHERE \(Self.within(day)) AND EXISTS (SELECT 1 FROM release_tag rt WHERE rt.release_id = s.release_id)
            """
        ).scalar()
    }

    private func genres(_ day: CalendarDay, _ week: CalendarDay, _ db: PostgresConnection) async throws -> [GenreRow] {
        try await db.query(
            """
            WITH counts AS (
                SELECT t.id, t.name,
                    count(*) FILTER (WHERE \(Self.within(day))) AS sales,
                    round(coalesce(sum(s.amount_paid_usd) FILTER (WHERE \(Self.within(day))), 0), 2) AS revenue,
                    count(*) FILTER (WHERE \(Self.within(week))) AS week_sales
                FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id JOIN tag t ON t.id = rt.tag_id
                WHERE (\(Self.within(day))) OR (\(Self.within(week)))
                GROUP BY t.id
            ), ranked AS (
                SELECT *, rank() OVER (ORDER BY sales DESC) AS day_rank,
                    rank() OVER (ORDER BY week_sales DESC) AS week_rank
                FROM counts
            )
            SELECT name, sales, revenue, week_sales, day_rank,
                CASE WHEN week_sales > 0 THEN week_rank END AS week_rank
            FROM ranked WHERE sales > 0
            ORDER BY sales DESC, revenue DESC, name, id
            LIMIT \(genreCount)
            """
        ).map { row in
            GenreRow(
                name: try row.decode("name"), sales: try row.decode("sales"), revenueUSD: try row.decode("revenue"),
                salesWeekEarlier: try row.decode("week_sales"), rank: try row.decode("day_rank"),
                rankWeekEarlier: try row.decode("week_rank"))
        }
    }

    private func formats(_ day: CalendarDay, _ week: CalendarDay, _ db: PostgresConnection) async throws
        -> [FormatRow]
    {
        try await db.query(
            """
            WITH counts AS (
                SELECT s.item_type, count(*) FILTER (WHERE \(Self.within(day))) AS sales,
                    sum(s.amount_paid_usd) FILTER (WHERE \(Self.within(day))) AS revenue,
                    count(*) FILTER (WHERE \(Self.within(week))) AS week_sales
                FROM sale s WHERE (\(Self.within(day))) OR (\(Self.within(week)))
                GROUP BY 1
            )
            SELECT t.type::text AS type, coalesce(c.sales, 0) AS sales, round(coalesce(c.revenue, 0), 2) AS revenue,
                coalesce(c.week_sales, 0) AS week_sales
            FROM unnest(enum_range(NULL::item_type)) AS t(type) LEFT JOIN counts c ON c.item_type = t.type
            ORDER BY t.type
            """
        ).map { row in
            FormatRow(
                type: try row.decode("type"), sales: try row.decode("sales"), revenueUSD: try row.decode("revenue"),
                salesWeekEarlier: try row.decode("week_sales"))
        }
    }

    private func countries(_ day: CalendarDay, _ db: PostgresConnection) async throws -> [CountryRow] {
        try await db.query(
            """
            WITH top AS (
                SELECT s.buyer_country_code AS code, count(*) AS sales,
                    round(coalesce(sum(s.amount_paid_usd), 0), 2) AS revenue
                FROM sale s WHERE \(Self.within(day)) AND s.buyer_country_code IS NOT NULL
                GROUP BY 1 ORDER BY sales DESC, revenue DESC, code LIMIT \(rankingSize)
            ), genre AS (
                SELECT s.buyer_country_code AS code, rt.tag_id, count(*) AS sales
                FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id
                WHERE \(Self.within(day)) AND s.buyer_country_code IN (SELECT code FROM top)
                GROUP BY 1, 2
            ), best AS (
                SELECT DISTINCT ON (g.code) g.code, t.name, g.sales
                FROM genre g JOIN tag t ON t.id = g.tag_id
                ORDER BY g.code, g.sales DESC, t.name
            )
            SELECT top.code, c.name, top.sales, top.revenue, g.name AS genre, coalesce(g.sales, 0) AS genre_sales
            FROM top JOIN country c ON c.code = top.code
            LEFT JOIN best g ON g.code = top.code
            ORDER BY top.sales DESC, top.revenue DESC, top.code
            """
        ).map { row in
            CountryRow(
                code: try row.decode("code"), name: try row.decode("name"), sales: try row.decode("sales"),
                revenueUSD: try row.decode("revenue"), leadingGenre: try row.decode("genre"),
                leadingGenreSales: try row.decode("genre_sales"))
        }
    }

    private func hours(_ day: CalendarDay, _ db: PostgresConnection) async throws -> [Int] {
        var result = [Int](repeating: 0, count: 24)
        for row in try await db.query(
            """
            SELECT extract(hour FROM s.sold_at AT TIME ZONE 'UTC')::int AS hour, count(*) AS sales
            FROM sale s WHERE \(Self.within(day)) GROUP BY 1
            """
        ) {
            let hour: Int = try row.decode("hour")
            guard (0..<24).contains(hour) else { throw PostgresError.unexpected("hour \(hour) of a day") }
            result[hour] = try row.decode("sales")
        }
        return result
    }

    private func coverage(_ day: CalendarDay, now: Int64, _ db: PostgresConnection) async throws -> Coverage {
        // The day up to now, less the union of the windows loaded that overlap it.
        let end = max(day.start, min(day.end, now))
        let range: SQLQuery = "tstzrange(to_timestamp(\(day.start)), to_timestamp(\(end)))"
        let windows: Int =
            try await db.query(
                """
                SELECT count(*) FROM feed_window f
                WHERE tstzrange(f.start_at, f.end_at, '[]') && \(range)
                """
            ).scalar()
        var gaps: [(start: Int64, end: Int64)] = try await db.query(
            """
            WITH span AS (SELECT \(range) AS r)
            SELECT extract(epoch FROM lower(m.r))::bigint AS gap_start, extract(epoch FROM upper(m.r))::bigint AS gap_end
            FROM span, unnest(tstzmultirange(span.r) - coalesce(
                (SELECT range_agg(tstzrange(f.start_at, f.end_at, '[]')) FROM feed_window f
                 WHERE tstzrange(f.start_at, f.end_at, '[]') && span.r),
                '{}'::tstzmultirange)) AS m(r)
            """
        ).map { row in (try row.decode("gap_start"), try row.decode("gap_end")) }
        gaps.sort { ($0.end - $0.start, $1.start) > ($1.end - $1.start, $0.start) }
        let span = Int(end - day.start)
        let missing = gaps.reduce(0) { $0 + Int($1.end - $1.start) }
        return Coverage(coveredSeconds: span - missing, daySeconds: span, gaps: gaps, windows: windows)
    }
}
