import Postgres

/// One genre's figures from the summaries, for a filter that a genre and the days alone narrow: its sales,
/// countries and item types from the genre day summaries, its median and the share that paid more from its
/// amounts by day, its artists from the genre-artist window, its releases from the release window joined with the
/// genre's releases, the other genres they carry from the genre pair window and where those sell from the
/// pair-country window; for a range no window holds, from the release day summary joined with them. None of it
/// reads `sale` (a genre of 67,717 sales in a month: 1.3 s from it).
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
    /// `tag_id`, sales and revenue (rounded to the cent); over a preset range, the genre's rows of the pair window.
    static func genreNeighbours(_ filter: DashboardFilter, tag: SQLQuery) -> SQLQuery {
        windowedRows(
            filter,
            window: """
                SELECT p.other_id AS tag_id, p.sales, round(p.revenue, 2) AS revenue
                FROM summary_window_genre_pair p WHERE \(inWindow(filter, "p")) AND p.tag_id = \(tag)
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

    /// The sales of the genre's releases by each genre among `genres` that they carry and each buyer country
    /// among `countries`: `key` (the genre), `country` and sales, the genre's rows of the pair-country window that
    /// holds the filter's days (a genre of 7% of a year's sales: 120 rows, where its releases in the
    /// country-release window joined with their tags took 0.35 s for 30 days and 3 s for the year).
    static func genreHeatmap(_ filter: DashboardFilter, tag: SQLQuery, genres: [String], countries: [String])
        -> SQLQuery
    {
        """
        SELECT t.key, p.country, p.sales FROM summary_window_genre_pair_country p JOIN tag t ON t.id = p.other_id
        WHERE \(inWindow(filter, "p")) AND p.tag_id = \(tag) AND t.key = ANY(\(genres)::text[])
            AND p.country = ANY(\(countries)::text[])
        """
    }

    /// The artists of the genre's releases by each genre among `genres` that those releases carry, the `each`
    /// leading ones of each: `genre`, `artist_id`, sales, revenue (rounded to the cent) and `place` (1 for the
    /// genre's leader). Over a preset range, walked from the genre's artists in its genre-artist window, each
    /// one's sales in the pairs from its own releases of the genre in the genre-seller-release window, until the
    /// leaders are settled (a genre of 7% of a year's sales: a few hundred artists); else from the release day
    /// summary (a release's sales may name more than one artist, which no release window tells apart).
    static func genreCoArtists(_ filter: DashboardFilter, tag: SQLQuery, genres: [String], each: Int) -> SQLQuery {
        windowedRows(
            filter,
            window: """
                SELECT t.key AS genre, c.artist_id, c.sales, round(c.revenue, 2) AS revenue, c.place
                FROM summary_genre_co_artists(
                    \(filter.days)::integer, \(filter.windowPeriod), \(tag),
                    ARRAY(SELECT t.id FROM tag t WHERE t.key = ANY(\(genres)::text[])), \(each)::integer) c
                JOIN tag t ON t.id = c.other_id
                """,
            days: """
                SELECT t.key AS genre, r.artist_id, sum(r.sales)::bigint AS sales, round(sum(r.revenue), 2) AS revenue,
                    row_number() OVER (
                        PARTITION BY t.key ORDER BY sum(r.sales) DESC, sum(r.revenue) DESC, r.artist_id) AS place
                FROM (
                    SELECT r.release_id, r.artist_id, sum(r.sales) AS sales, sum(r.revenue) AS revenue
                    \(genreReleaseDays(filter, tag: tag)) GROUP BY 1, 2
                    OFFSET 0
                ) r \(releaseGenres("r", among: genres))
                GROUP BY t.key, r.artist_id
                """)
    }

    /// Joins each row of `alias` with the genres `t` among `keys` that its release carries, a release at a time
    /// by its key (the fence keeps the planner from hashing every release of those genres: 1.3 million rows for
    /// twelve).
    private static func releaseGenres(_ alias: String, among keys: [String]) -> SQLQuery {
        """
        CROSS JOIN LATERAL (
            SELECT o.tag_id FROM release_tag o WHERE o.release_id = \(unescaped: alias).release_id OFFSET 0
        ) o
        JOIN tag t ON t.id = o.tag_id AND t.key = ANY(\(keys)::text[])
        """
    }

    /// `FROM` the genre's rows `w` of the genre-artist window that holds the filter's days.
    private static func genreArtistWindow(_ filter: DashboardFilter, tag: SQLQuery) -> SQLQuery {
        "FROM summary_window_genre_artist w WHERE \(inWindow(filter, "w")) AND w.tag_id = \(tag)"
    }

    /// `FROM` the rows `w` of the release window that holds the filter's days, of the genre's releases.
    private static func genreReleaseWindow(_ filter: DashboardFilter, tag: SQLQuery) -> SQLQuery {
        """
        FROM summary_window_release w JOIN release_tag rt ON rt.release_id = w.release_id AND rt.tag_id = \(tag)
        WHERE \(inWindow(filter, "w"))
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
