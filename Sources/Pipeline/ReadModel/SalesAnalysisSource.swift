import Postgres
import Tracker

/// Where an analysis is read from: rows shaped as the analysis summaries', from the summaries of a range (of one
/// buyer country or item type too), from the genre summaries of one genre, or from the sales of any filter, each
/// sale a row of its own.
struct SalesAnalysisSource {
    /// `WITH` items the rows read (the filtered sales, read once), or nil.
    var with: SQLQuery?
    /// Rows with `summary_analysis_day`'s columns but the day: item_type, format, currency, country, sales,
    /// revenue, priced, paid_more, paid_exactly, overpaid, overpaid_more, overpaid_more_known, free, free_paid,
    /// free_paid_usd, free_paid_known, ratio_band_0 … ratio_band_5.
    var kinds: SQLQuery
    /// Rows of `country` ('' unknown), `sales`, `revenue`, `priced` and `paid_more`, where the kinds' rows have no
    /// country (all ''); nil: the kinds' rows by their country.
    var countries: SQLQuery? = nil
    /// Rows of `ratio` (paid ÷ price) and `sales`.
    var ratios: SQLQuery
    /// Rows of `day` (a date), `sales` and `revenue`.
    var days: SQLQuery
    /// Rows of `tag_id`, `sales` and `revenue` (a sale counts for each genre of its release).
    var genres: SQLQuery

    /// The summaries of the days `from` to `to`, of one buyer country or item type (`slice`) or of every sale.
    static func summaries(from: CalendarDay, to: CalendarDay, slice: SalesSlice?) -> SalesAnalysisSource {
        var days: SQLQuery = "a.day >= \(from.iso)::date AND a.day <= \(to.iso)::date"
        if let slice { days = "\(days) AND \(slice.picks("a"))" }
        let ratios: SQLQuery = slice == nil ? "summary_ratio_day" : "summary_ratio_slice_day"
        return SalesAnalysisSource(
            kinds: "SELECT a.* FROM summary_analysis_day a WHERE \(days)",
            ratios: "SELECT a.ratio, a.sales FROM \(ratios) a WHERE \(days)",
            days: "SELECT a.day, a.sales, a.revenue FROM summary_day a WHERE \(days)",
            genres:
                "SELECT a.tag_id, a.sales, a.revenue FROM \(slice?.genreDays ?? "summary_genre_day") a WHERE \(days)")
    }

    /// The sales of the genre whose tag id is `tag` over `filter`'s days (which nothing else narrows), from the
    /// genre summaries alone: its kinds, buyer countries and ratios by day, its days, and the genres its sales
    /// count in (over a preset range from the pair window; otherwise its releases' days joined with their tags).
    /// Read from its sales, a genre of 68,407 sales in a month took 295 ms (now 14); of 290,543, over a second
    /// (13 ms).
    static func genre(_ filter: DashboardFilter, tag: SQLQuery) -> SalesAnalysisSource {
        let days: SQLQuery = "a.tag_id = \(tag) AND \(filter.days("a"))"
        return SalesAnalysisSource(
            kinds: "SELECT a.*, '' AS country FROM summary_genre_analysis_day a WHERE \(days)",
            countries: """
                SELECT a.country, a.sales, a.revenue, a.priced, a.paid_more FROM summary_genre_analysis_country_day a
                WHERE \(days)
                """,
            ratios: "SELECT a.ratio, a.sales FROM summary_genre_ratio_day a WHERE \(days)",
            days: "SELECT a.day, a.sales, a.revenue FROM summary_genre_day a WHERE \(days)",
            genres: DashboardQuery.genreNeighbours(filter, tag: tag))
    }

    /// The sales that satisfy `condition` (SQL on `sale s`), read once and counted as `summary_add_analysis()`
    /// counts them.
    static func sales(_ condition: SQLQuery) -> SalesAnalysisSource {
        let asked: SQLQuery = "s.asked_local > 0"
        let more: SQLQuery = "s.asked_local > 0 AND s.paid_local > s.asked_local"
        let free: SQLQuery = "s.asked_local = 0 AND s.paid_local > 0"
        return SalesAnalysisSource(
            with: """
                s AS MATERIALIZED (
                    SELECT (s.sold_at AT TIME ZONE 'UTC')::date AS day, s.release_id, s.item_type,
                        CASE WHEN s.item_type = 'physical' THEN physical_format(s.item_description) ELSE '' END AS format,
                        coalesce(s.currency, '') AS currency, coalesce(s.buyer_country_code, '') AS country,
                        s.amount_paid_usd AS paid, s.price_asked AS asked_local, s.amount_paid AS paid_local,
                        s.overpaid_usd AS overpaid, s.paid_to_price_ratio AS ratio
                    FROM sale s WHERE \(condition)
                )
                """,
            kinds: """
                SELECT s.item_type, s.format, s.currency, s.country, count(*) AS sales,
                    coalesce(sum(s.paid), 0) AS revenue,
                    count(*) FILTER (WHERE \(asked) AND s.paid_local IS NOT NULL) AS priced,
                    count(*) FILTER (WHERE \(more)) AS paid_more,
                    count(*) FILTER (WHERE \(asked) AND s.paid_local = s.asked_local) AS paid_exactly,
                    coalesce(sum(s.overpaid) FILTER (WHERE \(asked)), 0) AS overpaid,
                    coalesce(sum(s.overpaid) FILTER (WHERE \(more)), 0) AS overpaid_more,
                    count(s.overpaid) FILTER (WHERE \(more)) AS overpaid_more_known,
                    count(*) FILTER (WHERE s.asked_local = 0) AS free, count(*) FILTER (WHERE \(free)) AS free_paid,
                    coalesce(sum(s.paid) FILTER (WHERE \(free)), 0) AS free_paid_usd,
                    count(s.paid) FILTER (WHERE \(free)) AS free_paid_known,
                    count(*) FILTER (WHERE s.ratio <= 0.999999) AS ratio_band_0,
                    count(*) FILTER (WHERE s.ratio > 0.999999 AND s.ratio <= 1) AS ratio_band_1,
                    count(*) FILTER (WHERE s.ratio > 1 AND s.ratio <= 1.5) AS ratio_band_2,
                    count(*) FILTER (WHERE s.ratio > 1.5 AND s.ratio <= 2) AS ratio_band_3,
                    count(*) FILTER (WHERE s.ratio > 2 AND s.ratio <= 5) AS ratio_band_4,
                    count(*) FILTER (WHERE s.ratio > 5) AS ratio_band_5
                FROM s GROUP BY 1, 2, 3, 4
                """,
            ratios: "SELECT s.ratio, count(*) AS sales FROM s WHERE s.ratio IS NOT NULL GROUP BY 1",
            days: "SELECT s.day, count(*) AS sales, coalesce(sum(s.paid), 0) AS revenue FROM s GROUP BY 1",
            // By release first: a release's tags are then joined once, not once a sale.
            genres: """
                SELECT rt.tag_id, x.sales, x.revenue FROM (
                    SELECT s.release_id, count(*) AS sales, coalesce(sum(s.paid), 0) AS revenue FROM s GROUP BY 1
                ) x JOIN release_tag rt ON rt.release_id = x.release_id
                """)
    }
}
