import Postgres

/// One genre's figures from the summaries, for a filter that a genre and the days alone narrow: its sales,
/// countries and item types from the genre day summaries, its median and the share that paid more from its
/// amounts by day, its artists from the genre-artist window, and its releases (and the other genres they carry)
/// from the release window joined with the genre's releases; for a range no window holds, from the release day
/// summary joined with them. None of it reads `sale` (a genre of 67,717 sales in a month: 1.3 s from it).
extension DashboardQuery {
    /// The totals of the genre whose tag id is `tag` over the filter's days, in the columns `totals` decodes.
    static func genreTotals(_ filter: DashboardFilter, tag: SQLQuery) -> SQLQuery {
        let amounts: SQLQuery = "FROM summary_genre_amount_day m WHERE m.tag_id = \(tag) AND \(filter.days("m"))"
        let artists = windowed(
            filter,
            window: "SELECT count(*) \(genreArtistWindow(filter, tag: tag))",
            days: "SELECT count(DISTINCT r.artist_id) \(genreReleaseDays(filter, tag: tag))")
        let releases = windowed(
            filter, window: "SELECT count(*) \(genreReleaseWindow(filter, tag: tag))",
            days: "SELECT count(DISTINCT r.release_id) \(genreReleaseDays(filter, tag: tag))")
        return """
            SELECT coalesce(sum(g.sales), 0)::bigint AS sales, round(coalesce(sum(g.revenue), 0), 2) AS revenue,
                (\(artists)) AS artists, (\(releases)) AS releases,
                (SELECT count(DISTINCT c.country) FROM summary_genre_country_day c
                    WHERE c.tag_id = \(tag) AND \(filter.days("c")) AND c.country <> '') AS countries,
                (\(median("SELECT m.cents, sum(m.sales) AS sales \(amounts) AND m.cents IS NOT NULL GROUP BY 1")))
                    AS median_paid,
                (SELECT sum(m.priced_more)::numeric / nullif(sum(m.priced_known), 0) \(amounts)) AS paid_more
            FROM summary_genre_day g WHERE g.tag_id = \(tag) AND \(filter.days("g"))
            """
    }

    /// The genre's `limit` leading artists or releases (`entity`): `ENTITY_id`, sales and revenue (rounded to the
    /// cent, which ranks ties), in ranking order.
    static func genreLeaders(_ filter: DashboardFilter, tag: SQLQuery, limit: Int, _ entity: String) -> SQLQuery {
        let id: SQLQuery = "\(unescaped: entity)_id"
        let window = entity == "artist" ? genreArtistWindow(filter, tag: tag) : genreReleaseWindow(filter, tag: tag)
        return windowedRows(
            filter,
            window: """
                SELECT w.\(id), w.sales, round(w.revenue, 2) AS revenue \(window)
                ORDER BY w.sales DESC, round(w.revenue, 2) DESC, w.\(id) LIMIT \(limit)
                """,
            days: """
                SELECT r.\(id), sum(r.sales)::bigint AS sales, round(sum(r.revenue), 2) AS revenue
                \(genreReleaseDays(filter, tag: tag)) GROUP BY r.\(id)
                ORDER BY 2 DESC, 3 DESC, r.\(id) LIMIT \(limit)
                """)
    }

    /// Every genre the genre's sales count in (itself too, a sale counting for each genre of its release):
    /// `tag_id`, sales and revenue (rounded to the cent).
    static func genreNeighbours(_ filter: DashboardFilter, tag: SQLQuery) -> SQLQuery {
        windowedRows(
            filter,
            window: """
                SELECT o.tag_id, sum(w.sales)::bigint AS sales, round(sum(w.revenue), 2) AS revenue
                \(genreReleaseWindow(filter, tag: tag, joining: "JOIN release_tag o ON o.release_id = w.release_id")) GROUP BY 1
                """,
            days: """
                SELECT o.tag_id, sum(r.sales)::bigint AS sales, round(sum(r.revenue), 2) AS revenue
                \(genreReleaseDays(filter, tag: tag, joining: "JOIN release_tag o ON o.release_id = r.release_id")) GROUP BY 1
                """)
    }

    /// The genre's sales by item type: `key` (the type), sales and revenue (rounded to the cent).
    static func genreItemTypes(_ filter: DashboardFilter, tag: SQLQuery) -> SQLQuery {
        """
        SELECT g.item_type::text AS key, sum(g.sales)::bigint AS sales, round(sum(g.revenue), 2) AS revenue
        FROM summary_genre_type_day g WHERE g.tag_id = \(tag) AND \(filter.days("g")) GROUP BY 1
        """
    }

    /// `FROM` the genre's rows `w` of the genre-artist window that holds the filter's days.
    private static func genreArtistWindow(_ filter: DashboardFilter, tag: SQLQuery) -> SQLQuery {
        "FROM summary_window_genre_artist w WHERE \(inWindow(filter, "w")) AND w.tag_id = \(tag)"
    }

    /// `FROM` the rows `w` of the release window that holds the filter's days (or the rows `rows` picks), of
    /// the genre's releases (and what `joining` joins to them).
    static func genreReleaseWindow(
        _ filter: DashboardFilter, tag: SQLQuery, joining: SQLQuery = "", rows: SQLQuery? = nil
    ) -> SQLQuery {
        """
        FROM summary_window_release w JOIN release_tag rt ON rt.release_id = w.release_id AND rt.tag_id = \(tag)
        \(joining) WHERE \(rows ?? inWindow(filter, "w"))
        """
    }

    /// `FROM` the release day rows `r` of the filter's days, of the genre's releases (and what `joining` joins
    /// to them).
    static func genreReleaseDays(_ filter: DashboardFilter, tag: SQLQuery, joining: SQLQuery = "")
        -> SQLQuery
    {
        """
        FROM summary_release_day r JOIN release_tag rt ON rt.release_id = r.release_id AND rt.tag_id = \(tag)
        \(joining) WHERE \(filter.days("r"))
        """
    }
}
