import Postgres
import Tracker
import Trends

/// The dashboard's reads of the warehouse, for a filter. Every value is a parameter; every list is bounded.
public struct DashboardQuery: Sendable {
    public let db: PostgresConnection
    /// Whether figures are read from the summaries where they hold them (otherwise always from `sale`, as the
    /// tests do to compare the two).
    public var useSummaries: Bool

    public init(db: PostgresConnection, useSummaries: Bool = true) {
        self.db = db
        self.useSummaries = useSummaries
    }

    /// `summary_day`'s condition for a filter, when the summaries are read and answer it.
    func summaryDay(_ filter: DashboardFilter) -> SQLQuery? { useSummaries ? filter.summaryDay : nil }

    /// Whether the summaries are read and nothing but days narrows the filter.
    func onlyDays(_ filter: DashboardFilter) -> Bool { useSummaries && filter.onlyDays }

    /// The buyer country or item type, when the summaries are read and it and the days are all that narrow the
    /// filter: what the windows by that slice answer.
    func onlySlice(_ filter: DashboardFilter) -> SalesSlice? { useSummaries ? SalesSlice(filter) : nil }

    /// The genre's tag id (SQL), when the summaries are read and the genre and the days are all that narrow the
    /// filter: what the genre summaries, and the release windows and summaries joined with its tags, answer.
    func onlyGenre(_ filter: DashboardFilter) -> SQLQuery? { useSummaries && filter.onlyGenre ? filter.genreID : nil }

    /// The day of the latest sale (today when there is none), where the default range ends.
    public func latestDay(now: Int64) async throws -> CalendarDay {
        let latest: Int64? = try await db.query(
            "SELECT floor(date_part('epoch', max(sold_at)) / 86400)::bigint AS day FROM sale"
        ).scalar()
        return latest.map { CalendarDay(daysSinceEpoch: $0) } ?? CalendarDay(containing: now)
    }

    /// The figures of a filtered range.
    public func totals(_ filter: DashboardFilter) async throws -> Totals {
        let row: PostgresRow
        if onlyDays(filter) {
            row = try await db.query(
                Self.summaryTotals(
                    filter.days("d"),
                    artists: Self.windowed(
                        filter,
                        window: "SELECT w.artists FROM summary_window_size w WHERE \(Self.inWindow(filter, "w"))",
                        days: "SELECT count(DISTINCT a.artist_id) FROM summary_artist_day a WHERE \(filter.days("a"))"),
                    releases: Self.windowed(
                        filter,
                        window: "SELECT w.releases FROM summary_window_size w WHERE \(Self.inWindow(filter, "w"))",
                        days: "SELECT count(DISTINCT r.release_id) FROM summary_release_day r WHERE \(filter.days("r"))"
                    ),
                    median: Self.medianPaid(filter))
            ).single()
        } else if let slice = onlySlice(filter), let summary = filter.summaryDay {
            // One country or item type: from its rolling windows when one holds the range, else from `sale`.
            let inSlice: SQLQuery = "\(Self.inWindow(filter, "w")) AND \(slice.picks("w"))"
            row = try await db.query(
                Self.windowedRows(
                    filter,
                    window: Self.summaryTotals(
                        summary,
                        artists: "SELECT count(*) FROM \(slice.table("artist")) w WHERE \(inSlice)",
                        releases: "SELECT count(*) FROM \(slice.table("release")) w WHERE \(inSlice)",
                        median: Self.median("SELECT w.cents, w.sales FROM \(slice.table("amount")) w WHERE \(inSlice)")),
                    days: Self.saleTotals(filter))
            ).single()
        } else if let tag = onlyGenre(filter) {
            row = try await db.query(Self.genreTotals(filter, tag: tag)).single()
        } else {
            row = try await db.query(Self.saleTotals(filter)).single()
        }
        return Totals(
            sales: try row.decode("sales"), revenueUSD: try row.decode("revenue"), artists: try row.decode("artists"),
            releases: try row.decode("releases"), countries: try row.decode("countries"),
            medianPaidUSD: try row.decode("median_paid"), paidMoreShare: try row.decode("paid_more"))
    }

    /// The figures of the `summary_day d` rows that `days` selects, in the columns `totals` decodes, with its
    /// distinct `artists` and `releases` and its `median` paid (scalar subqueries of the summaries that hold them).
    static func summaryTotals(_ days: SQLQuery, artists: SQLQuery, releases: SQLQuery, median: SQLQuery) -> SQLQuery {
        """
        SELECT coalesce(sum(d.sales), 0)::bigint AS sales, round(coalesce(sum(d.revenue), 0), 2) AS revenue,
            (\(artists)) AS artists, (\(releases)) AS releases,
            count(DISTINCT d.country) FILTER (WHERE d.country <> '') AS countries, (\(median)) AS median_paid,
            sum(d.priced_more)::numeric / nullif(sum(d.priced_known), 0) AS paid_more
        FROM summary_day d WHERE \(days)
        """
    }

    /// The figures of a filtered range from `sale`, in the columns `totals` decodes.
    static func saleTotals(_ filter: DashboardFilter) -> SQLQuery {
        """
        SELECT count(*) AS sales, round(coalesce(sum(s.amount_paid_usd), 0), 2) AS revenue,
            count(DISTINCT s.artist_id) AS artists, count(DISTINCT s.release_id) AS releases,
            count(DISTINCT s.buyer_country_code) AS countries,
            round(percentile_cont(0.5) WITHIN GROUP (ORDER BY round(s.amount_paid_usd, 2))::numeric, 2)
                AS median_paid,
            avg((s.overpaid_usd > 0)::int) FILTER (WHERE s.price_asked_usd > 0) AS paid_more
        FROM sale s WHERE \(filter.condition)
        """
    }

    /// A count from the rolling window that holds the filter's days when one does (`window`), else from the day
    /// summaries (`days`): only the one taken is run.
    static func windowed(_ filter: DashboardFilter, window: SQLQuery, days: SQLQuery) -> SQLQuery {
        "CASE WHEN \(filter.windowPeriod) IS NOT NULL THEN (\(window)) ELSE (\(days)) END"
    }

    /// The rows of the rolling window `alias` that holds the filter's days.
    static func inWindow(_ filter: DashboardFilter, _ alias: String) -> SQLQuery {
        "\(unescaped: alias).span = \(filter.days)::integer AND \(unescaped: alias).period = \(filter.windowPeriod)"
    }

    /// The rolling window table of `entity` (`artist`, `release`): the whole site's, or by a `slice` (whose rows
    /// `inSlice` then picks).
    static func windowTable(_ entity: String, slice: SalesSlice?) -> SQLQuery {
        slice?.table(entity) ?? "summary_window_\(unescaped: entity)"
    }

    /// The condition on a sliced window's rows `alias` that picks `slice`'s (none without one).
    static func inSlice(_ slice: SalesSlice?, _ alias: String) -> SQLQuery {
        slice.map { "AND \($0.picks(alias))" } ?? ""
    }

    /// The rows of `window` (which reads `inWindow`) when a rolling window holds the filter's days, else those of
    /// `days`: in one statement, and only the one taken is run (the other's condition is a one-time filter).
    static func windowedRows(_ filter: DashboardFilter, window: SQLQuery, days: SQLQuery) -> SQLQuery {
        """
        SELECT * FROM (\(window)) w WHERE \(filter.windowPeriod) IS NOT NULL
        UNION ALL
        SELECT * FROM (\(days)) d WHERE \(filter.windowPeriod) IS NULL
        """
    }

    /// The median paid (to the cent) over the days of a filter, from how many paid each amount each day.
    static func medianPaid(_ filter: DashboardFilter) -> SQLQuery {
        median("SELECT m.cents, sum(m.sales) AS sales FROM summary_amount_day m WHERE \(filter.days("m")) GROUP BY 1")
    }

    /// The median paid (to the cent) of the sales that `amounts` (`cents`, `sales`: how many paid each amount, one
    /// row an amount) counts: the mean of the two middle amounts when there are two, as `percentile_cont(0.5)`.
    static func median(_ amounts: SQLQuery) -> SQLQuery {
        """
        WITH placed AS (
            SELECT a.cents, sum(a.sales) OVER (ORDER BY a.cents) AS upto, sum(a.sales) OVER () AS total
            FROM (\(amounts)) a
        )
        SELECT round((min(cents) FILTER (WHERE upto > floor((total - 1) / 2))
            + min(cents) FILTER (WHERE upto > ceil((total - 1) / 2.0))) / 200.0, 2)
        FROM placed
        """
    }

    /// Sales in a filtered range (what `totals` counts first, without its distinct counts and median).
    public func salesCount(_ filter: DashboardFilter) async throws -> Int {
        if let summary = summaryDay(filter) {
            return try await db.query("SELECT coalesce(sum(d.sales), 0)::bigint FROM summary_day d WHERE \(summary)")
                .scalar()
        }
        return try await db.query("SELECT count(*) FROM sale s WHERE \(filter.condition)").scalar()
    }

    /// Sales and revenue of each day of the range (days without sales are there, at zero).
    public func daily(_ filter: DashboardFilter) async throws -> [DayPoint] {
        var byDay: [Int64: (Int, Double)] = [:]
        let rows =
            if let genre = filter.genre, useSummaries, filter.artist == nil, let genreDays = Self.genreDays(filter) {
                // A genre's days (in one country, or of one item type): its summaries by day.
                try await db.query(
                    """
                    SELECT (g.day - date '1970-01-01')::bigint AS day, sum(g.sales)::bigint AS sales,
                        sum(g.revenue) AS revenue
                    FROM \(genreDays) g JOIN tag t ON t.id = g.tag_id
                    WHERE \(filter.days("g")) AND t.key = \(genre) GROUP BY 1
                    """)
            } else if let summary = summaryDay(filter) {
                try await db.query(
                    """
                    SELECT (d.day - date '1970-01-01')::bigint AS day, sum(d.sales)::bigint AS sales,
                        sum(d.revenue) AS revenue
                    FROM summary_day d WHERE \(summary) GROUP BY 1
                    """)
            } else {
                try await db.query(
                    """
                    SELECT floor(date_part('epoch', s.sold_at) / 86400)::bigint AS day, count(*) AS sales,
                        coalesce(sum(s.amount_paid_usd), 0) AS revenue
                    FROM sale s WHERE \(filter.condition) GROUP BY 1
                    """)
            }
        for row in rows {
            byDay[try row.decode("day")] = (try row.decode("sales"), try row.decode("revenue"))
        }
        return (filter.from.daysSinceEpoch...filter.to.daysSinceEpoch).map { day in
            let value = byDay[day] ?? (0, 0)
            return DayPoint(day: CalendarDay(daysSinceEpoch: day), sales: value.0, revenueUSD: value.1)
        }
    }

    /// The genres' sales by day as `day`, `tag_id`, `sales` and `revenue`: in the filter's buyer country or of
    /// its item type if it has one; nil when it has both (no summary holds them).
    static func genreDays(_ filter: DashboardFilter) -> SQLQuery? {
        if filter.country == nil, filter.itemType == nil { return "summary_genre_day" }
        guard let slice = SalesSlice(country: filter.country, itemType: filter.itemType) else { return nil }
        return "(SELECT c.day, c.tag_id, c.sales, c.revenue FROM \(slice.genreDays) c WHERE \(slice.picks("c")))"
    }

    /// The feed windows loaded for the range, as the share of its seconds they cover (up to `now`).
    public func coverage(_ filter: DashboardFilter, now: Int64) async throws -> Double {
        let end = min(filter.to.end, now)
        guard end > filter.from.start else { return 1 }
        let covered: Double = try await db.query(
            """
            SELECT coalesce(sum(date_part('epoch', upper(r) - lower(r))), 0) AS covered FROM unnest((
                SELECT range_agg(tstzrange(greatest(f.start_at, to_timestamp(\(filter.from.start)::float8)),
                    least(f.end_at, to_timestamp(\(end)::float8)), '[]'))
                FROM feed_window f
                WHERE f.end_at > to_timestamp(\(filter.from.start)::float8) AND f.start_at < to_timestamp(\(end)::float8)
            )) AS r
            """
        ).scalar()
        return min(1, covered / Double(end - filter.from.start))
    }

    /// How many days of the filter's range have sales loaded, whatever else the filter narrows to (Bandcamp sells
    /// every minute: a day without a sale is a day the warehouse lacks).
    public func loadedDays(_ filter: DashboardFilter) async throws -> Int {
        try await db.query(
            """
            SELECT count(DISTINCT d.day) AS days FROM summary_day d
            WHERE d.day >= \(filter.from.iso)::date AND d.day <= \(filter.to.iso)::date
            """
        ).single().decode("days")
    }

    /// `artist.bandcamp.com` of `https://artist.bandcamp.com`; other text as it is.
    public static func host(_ text: String) -> String {
        text.hasPrefix("https://") ? String(text.dropFirst(8)) : text
    }

}

extension RankedRow: PostgresRowDecodable {
    /// From `key`, `name`, `detail` (a page URL is shown as its host), `url`, `sales` and `revenue`.
    public init(row: PostgresRow) throws {
        self.init(
            key: try row.decode("key"), name: try row.decode("name"),
            detail: try row.decode("detail", as: String?.self).map(DashboardQuery.host), url: try row.decode("url"),
            sales: try row.decode("sales"), revenueUSD: try row.decode("revenue"))
    }
}
