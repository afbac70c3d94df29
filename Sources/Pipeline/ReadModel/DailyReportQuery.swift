import Postgres
import Tracker

/// Reads a day's report from the warehouse: a handful of queries of the summaries of the day (and of the day
/// before and a week earlier), which the warehouse keeps exact as it stores the sales.
public struct DailyReportQuery: Sendable {
    /// How many artists, releases, genres and countries the rankings keep.
    public var rankingSize = 10
    public var genreCount = 12
    /// How many breakouts the first page leads with.
    public var breakoutCount = 6

    public init() {}

    /// The report of `day`, as of `now` (seconds since 1970: a day not yet over is covered up to then).
    public func read(_ day: CalendarDay, now: Int64, from db: PostgresConnection) async throws -> DailyReport {
        let week = day.adding(days: -7)
        let summaries = try await summaries([day, day.adding(days: -1), week], db)
        let artists = try await rankings(day, releases: false, db)
        let releases = try await rankings(day, releases: true, db)
        let breakouts = BreakoutQuery()
        return DailyReport(
            day: day, builtAt: now,
            breakouts: try await breakouts.read(after: day.start, through: day.end, limit: breakoutCount, db),
            evaluations: try await breakouts.evaluations(after: day.start, through: day.end, db), summary: summaries[0],
            previousDay: summaries[1], weekEarlier: summaries[2],
            artistsByRevenue: artists.byRevenue, artistsBySales: artists.bySales,
            releasesByRevenue: releases.byRevenue, releasesBySales: releases.bySales,
            genres: try await genres(day, week, db), taggedSales: try await taggedSales(day, db),
            formats: try await formats(day, week, db), countries: try await countries(day, db),
            hours: try await hours(day, db), hoursWeekEarlier: try await hours(week, db),
            coverage: try await coverage(day, now: now, db))
    }

    /// A day's rows of a summary table `alias`.
    private static func on(_ day: CalendarDay, _ alias: String) -> SQLQuery {
        "\(unescaped: alias).day = \(day.iso)::date"
    }

    private func summaries(_ days: [CalendarDay], _ db: PostgresConnection) async throws -> [DaySummary] {
        var result: [DaySummary] = []
        for day in days {
            let row = try await db.query(
                """
                SELECT coalesce(sum(d.sales), 0)::bigint AS sales, round(coalesce(sum(d.revenue), 0), 2) AS revenue,
                    (\(DashboardQuery.medianPaid(DashboardFilter(from: day, to: day)))) AS median_paid,
                    sum(d.overpaid_more)::float8 / nullif(sum(d.overpaid_known), 0) AS paid_more,
                    (SELECT count(*) FROM summary_artist_day a WHERE \(Self.on(day, "a"))) AS artists,
                    (SELECT count(DISTINCT r.release_id) FROM summary_release_day r WHERE \(Self.on(day, "r")))
                        AS releases,
                    count(DISTINCT d.country) FILTER (WHERE d.country <> '') AS countries
                FROM summary_day d WHERE \(Self.on(day, "d"))
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

    /// The leading artists or releases, by revenue and by items sold: the day's sums by id, the two top lists
    /// taken from them, and only their names looked up.
    private func rankings(_ day: CalendarDay, releases: Bool, _ db: PostgresConnection) async throws
        -> (byRevenue: [Ranked], bySales: [Ranked])
    {
        let rows = try await db.query(
            """
            WITH totals AS (
                SELECT x.\(unescaped: releases ? "release_id" : "artist_id") AS id, sum(x.sales)::bigint AS sales,
                    round(sum(x.revenue), 2) AS revenue
                FROM \(unescaped: releases ? "summary_release_day" : "summary_artist_day") x
                WHERE \(Self.on(day, "x")) GROUP BY 1
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

    /// The day's sales of releases with genres.
    private func taggedSales(_ day: CalendarDay, _ db: PostgresConnection) async throws -> Int {
        try await db.query(
            """
            SELECT coalesce(sum(r.sales), 0)::bigint FROM summary_release_day r
            WHERE \(Self.on(day, "r")) AND EXISTS (SELECT 1 FROM release_tag rt WHERE rt.release_id = r.release_id)
            """
        ).scalar()
    }

    private func genres(_ day: CalendarDay, _ week: CalendarDay, _ db: PostgresConnection) async throws -> [GenreRow] {
        try await db.query(
            """
            WITH counts AS (
                SELECT t.id, t.name,
                    coalesce(sum(g.sales) FILTER (WHERE \(Self.on(day, "g"))), 0)::bigint AS sales,
                    round(coalesce(sum(g.revenue) FILTER (WHERE \(Self.on(day, "g"))), 0), 2) AS revenue,
                    coalesce(sum(g.sales) FILTER (WHERE \(Self.on(week, "g"))), 0)::bigint AS week_sales
                FROM summary_genre_day g JOIN tag t ON t.id = g.tag_id
                WHERE g.day IN (\(day.iso)::date, \(week.iso)::date)
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
                SELECT d.item_type, sum(d.sales) FILTER (WHERE \(Self.on(day, "d"))) AS sales,
                    sum(d.revenue) FILTER (WHERE \(Self.on(day, "d"))) AS revenue,
                    sum(d.sales) FILTER (WHERE \(Self.on(week, "d"))) AS week_sales
                FROM summary_day d WHERE d.day IN (\(day.iso)::date, \(week.iso)::date)
                GROUP BY 1
            )
            SELECT t.type::text AS type, coalesce(c.sales, 0)::bigint AS sales,
                round(coalesce(c.revenue, 0), 2) AS revenue, coalesce(c.week_sales, 0)::bigint AS week_sales
            FROM unnest(enum_range(NULL::item_type)) AS t(type) LEFT JOIN counts c ON c.item_type = t.type
            ORDER BY t.type
            """
        ).map { row in
            FormatRow(
                type: try row.decode("type"), sales: try row.decode("sales"), revenueUSD: try row.decode("revenue"),
                salesWeekEarlier: try row.decode("week_sales"))
        }
    }

    /// The fewest items of a genre a country must buy for the genre to say what the country buys above average.
    public static let leastGenreSales = 3

    private func countries(_ day: CalendarDay, _ db: PostgresConnection) async throws -> [CountryRow] {
        try await db.query(
            """
            WITH top AS (
                SELECT d.country AS code, sum(d.sales)::bigint AS sales, round(sum(d.revenue), 2) AS revenue
                FROM summary_day d WHERE \(Self.on(day, "d")) AND d.country <> ''
                GROUP BY 1 ORDER BY sales DESC, revenue DESC, code LIMIT \(rankingSize)
            ), genres AS (
                SELECT g.country, g.tag_id, g.sales FROM summary_genre_country_day g
                WHERE \(Self.on(day, "g")) AND g.country <> ''
            ), site AS (
                SELECT tag_id, sum(sales) AS sales, sum(sum(sales)) OVER () AS total FROM genres GROUP BY tag_id
            ), local AS (
                SELECT country, sum(sales) AS total FROM genres WHERE country IN (SELECT code FROM top) GROUP BY 1
            ), best AS (
                -- The genre each country buys most above the site's average: its share of the country's genre
                -- sales against its share of all of them, among genres with at least a few items there.
                SELECT DISTINCT ON (g.country) g.country AS code, t.name, g.sales,
                    (g.sales::float8 / l.total) / (s.sales::float8 / s.total) AS index
                FROM genres g JOIN local l ON l.country = g.country JOIN site s ON s.tag_id = g.tag_id
                JOIN tag t ON t.id = g.tag_id
                WHERE g.sales >= \(Self.leastGenreSales)
                ORDER BY g.country, index DESC, g.sales DESC, t.name
            )
            SELECT top.code, c.name, top.sales, top.revenue, g.name AS genre, coalesce(g.sales, 0) AS genre_sales,
                g.index AS genre_index
            FROM top JOIN country c ON c.code = top.code
            LEFT JOIN best g ON g.code = top.code
            ORDER BY top.sales DESC, top.revenue DESC, top.code
            """
        ).map { row in
            CountryRow(
                code: try row.decode("code"), name: try row.decode("name"), sales: try row.decode("sales"),
                revenueUSD: try row.decode("revenue"), leadingGenre: try row.decode("genre"),
                leadingGenreSales: try row.decode("genre_sales"), leadingGenreIndex: try row.decode("genre_index"))
        }
    }

    private func hours(_ day: CalendarDay, _ db: PostgresConnection) async throws -> [Int] {
        var result = [Int](repeating: 0, count: 24)
        for row in try await db.query(
            """
            SELECT ((date_part('epoch', h.hour)::bigint - \(day.start)) / 3600)::int AS hour, h.sales
            FROM summary_hour h WHERE h.hour >= to_timestamp(\(day.start)) AND h.hour < to_timestamp(\(day.end))
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
