import Postgres
import Tracker
import Trends

/// The rankings of a range: genres, artists, releases, countries, item types, and each genre's leaders and buyers.
extension DashboardQuery {
    /// The top genres by sales (a sale counts for each genre of its release).
    public func genres(_ filter: DashboardFilter, limit: Int = 10) async throws -> [RankedRow] {
        // The genre day summaries: of the whole site, of one country, or of one item type.
        if useSummaries, filter.genre == nil, filter.artist == nil, let genreDays = Self.genreDays(filter) {
            return try await ranked(
                """
                SELECT t.key, t.name, NULL AS detail, NULL AS url, x.sales, x.revenue FROM (
                    SELECT g.tag_id, sum(g.sales)::bigint AS sales, round(sum(g.revenue), 2) AS revenue
                    FROM \(genreDays) g WHERE \(filter.days("g")) GROUP BY 1
                ) x JOIN tag t ON t.id = x.tag_id ORDER BY 5 DESC, 6 DESC, t.key LIMIT \(limit)
                """)
        }
        // One genre: the genres its releases carry, from the release window or days of its releases.
        if let tag = onlyGenre(filter) {
            return try await ranked(
                """
                SELECT t.key, t.name, NULL AS detail, NULL AS url, x.sales, x.revenue
                FROM (\(Self.genreNeighbours(filter, tag: tag))) x JOIN tag t ON t.id = x.tag_id
                ORDER BY 5 DESC, 6 DESC, t.key LIMIT \(limit)
                """)
        }
        return try await ranked(
            """
            SELECT t.key, t.name, NULL AS detail, NULL AS url, count(*) AS sales,
                round(coalesce(sum(s.amount_paid_usd), 0), 2) AS revenue
            FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id JOIN tag t ON t.id = rt.tag_id
            WHERE \(filter.condition) GROUP BY t.id ORDER BY 5 DESC, 6 DESC, t.key LIMIT \(limit)
            """)
    }

    /// The top artists by sales.
    public func artists(_ filter: DashboardFilter, limit: Int = 10) async throws -> [RankedRow] {
        try await ranked(
            """
            SELECT a.id::text AS key, a.name, a.page_url AS detail, a.page_url AS url, x.sales, x.revenue
            FROM (\(leaders(filter, limit: limit, "artist"))) x JOIN artist a ON a.id = x.artist_id
            ORDER BY x.sales DESC, x.revenue DESC, a.id
            """)
    }

    /// The top releases by sales.
    public func releases(_ filter: DashboardFilter, limit: Int = 10) async throws -> [RankedRow] {
        try await ranked(
            """
            SELECT r.id::text AS key, coalesce(r.title, r.album_title, r.url) AS name, a.name AS detail, r.url,
                x.sales, x.revenue
            FROM (\(leaders(filter, limit: limit, "release"))) x JOIN release r ON r.id = x.release_id
                JOIN artist a ON a.id = r.artist_id
            ORDER BY x.sales DESC, x.revenue DESC, r.id
            """)
    }

    /// The `limit` leading artists or releases (`entity`) of a range: `ENTITY_id`, sales and revenue (rounded to
    /// the cent, which ranks ties), from the rolling window that holds the range, else its day summaries, else
    /// `sale` when the filter narrows by more than days (by a country or an item type alone: its rolling window,
    /// else `sale`; by a genre alone: its window or release days).
    private func leaders(_ filter: DashboardFilter, limit: Int, _ entity: String) -> SQLQuery {
        let id: SQLQuery = "\(unescaped: entity)_id"
        let sale: SQLQuery = """
            SELECT s.\(id), count(*) AS sales, round(coalesce(sum(s.amount_paid_usd), 0), 2) AS revenue
            FROM sale s WHERE \(filter.condition) GROUP BY s.\(id)
            ORDER BY 2 DESC, 3 DESC, s.\(id) LIMIT \(limit)
            """
        if let tag = onlyGenre(filter) { return Self.genreLeaders(filter, tag: tag, limit: limit, entity) }
        let slice = onlySlice(filter)
        guard onlyDays(filter) || slice != nil else { return sale }
        return Self.windowedRows(
            filter,
            window: """
                SELECT w.\(id), w.sales, round(w.revenue, 2) AS revenue
                FROM \(Self.windowTable(entity, slice: slice)) w
                WHERE \(Self.inWindow(filter, "w")) \(Self.inSlice(slice, "w"))
                ORDER BY w.sales DESC, round(w.revenue, 2) DESC, w.\(id) LIMIT \(limit)
                """,
            // No day summary by country or item type and seller: their other ranges read `sale`.
            days: slice != nil
                ? sale
                : """
                SELECT d.\(id), sum(d.sales)::bigint AS sales, round(sum(d.revenue), 2) AS revenue
                FROM summary_\(unescaped: entity)_day d WHERE \(filter.days("d")) GROUP BY d.\(id)
                ORDER BY 2 DESC, 3 DESC, d.\(id) LIMIT \(limit)
                """)
    }

    /// Sales by buyer country (unknown countries left out), most first.
    public func countries(_ filter: DashboardFilter, limit: Int = 250) async throws -> [RankedRow] {
        let totals: SQLQuery
        if let summary = summaryDay(filter) {
            totals = """
                SELECT d.country AS code, sum(d.sales)::bigint AS sales, round(sum(d.revenue), 2) AS revenue
                FROM summary_day d WHERE \(summary) AND d.country <> '' GROUP BY 1
                """
        } else if useSummaries, let genre = filter.genre, filter.artist == nil, filter.itemType == nil {
            var condition = filter.days("g")
            if let country = filter.country { condition = "\(condition) AND g.country = \(country)" }
            totals = """
                SELECT g.country AS code, sum(g.sales)::bigint AS sales, round(sum(g.revenue), 2) AS revenue
                FROM summary_genre_country_day g JOIN tag t ON t.id = g.tag_id
                WHERE \(condition) AND t.key = \(genre) AND g.country <> '' GROUP BY 1
                """
        } else {
            totals = """
                SELECT s.buyer_country_code AS code, count(*) AS sales,
                    round(coalesce(sum(s.amount_paid_usd), 0), 2) AS revenue
                FROM sale s WHERE \(filter.condition) AND s.buyer_country_code IS NOT NULL GROUP BY 1
                """
        }
        return try await ranked(
            """
            SELECT c.code AS key, c.name, NULL AS detail, NULL AS url, x.sales, x.revenue FROM (\(totals)) x
            JOIN country c ON c.code = x.code ORDER BY x.sales DESC, x.revenue DESC, c.code LIMIT \(limit)
            """)
    }

    /// Sales by item type.
    public func itemTypes(_ filter: DashboardFilter) async throws -> [RankedRow] {
        let totals: SQLQuery =
            if let summary = summaryDay(filter) {
                """
                SELECT d.item_type::text AS key, sum(d.sales)::bigint AS sales, round(sum(d.revenue), 2) AS revenue
                FROM summary_day d WHERE \(summary) GROUP BY 1
                """
            } else if let tag = onlyGenre(filter) {
                Self.genreItemTypes(filter, tag: tag)
            } else {
                """
                SELECT s.item_type::text AS key, count(*) AS sales, round(coalesce(sum(s.amount_paid_usd), 0), 2) AS revenue
                FROM sale s WHERE \(filter.condition) GROUP BY 1
                """
            }
        let rows = try await ranked(
            """
            SELECT x.key, x.key AS name, NULL AS detail, NULL AS url, x.sales, x.revenue FROM (\(totals)) x
            ORDER BY x.sales DESC, x.key
            """)
        return rows.map { row in
            var named = row
            named.name = DashboardFilter.itemTypes.first { $0.0 == row.key }?.1 ?? row.key
            return named
        }
    }

    /// Sales of each (genre, country) pair among the given genres and countries.
    public func heatmap(_ filter: DashboardFilter, genres: [String], countries: [String]) async throws -> [String:
        [String: Int]]
    {
        guard !genres.isEmpty, !countries.isEmpty else { return [:] }
        func sale() -> SQLQuery {
            """
            WITH s AS MATERIALIZED (
                SELECT s.release_id, s.buyer_country_code FROM sale s
                WHERE \(filter.condition) AND s.buyer_country_code = ANY(\(countries)::text[])
            )
            SELECT t.key, s.buyer_country_code AS country, count(*) AS sales
            FROM s JOIN release_tag rt ON rt.release_id = s.release_id JOIN tag t ON t.id = rt.tag_id
            WHERE t.key = ANY(\(genres)::text[])
            GROUP BY 1, 2
            """
        }
        let query: SQLQuery =
            if useSummaries, filter.genre == nil, filter.artist == nil, filter.itemType == nil {
                """
                SELECT t.key, g.country, sum(g.sales)::bigint AS sales
                FROM tag t CROSS JOIN generate_series(\(filter.from.iso)::date, \(filter.to.iso)::date, '1 day') d (day)
                -- A day and genre at a time, by the key's first columns (the fence keeps the planner from
                -- scanning every genre's rows of the range: 30 days of a year, 57 ms against 5).
                CROSS JOIN LATERAL (
                    SELECT g.country, g.sales FROM summary_genre_country_day g
                    WHERE g.day = d.day::date AND g.tag_id = t.id
                        AND g.country = ANY(\(countries.filter { filter.country == nil || $0 == filter.country })::text[])
                    OFFSET 0
                ) g
                WHERE t.key = ANY(\(genres)::text[])
                GROUP BY 1, 2
                """
            } else if let tag = onlyGenre(filter) {
                Self.windowedRows(
                    filter, window: Self.genreHeatmap(filter, tag: tag, genres: genres, countries: countries),
                    days: sale())
            } else {
                sale()
            }
        var cells: [String: [String: Int]] = [:]
        let rows = try await db.query(query)
        for row in rows {
            cells[try row.decode("key"), default: [:]][try row.decode("country")] = try row.decode("sales")
        }
        return cells
    }

    /// Each of the given genres' top artists.
    public func topArtists(_ filter: DashboardFilter, genres: [String], each: Int = 3) async throws -> [String:
        [RankedRow]]
    {
        guard !genres.isEmpty else { return [:] }
        let totals: SQLQuery =
            if let tag = onlyGenre(filter) {
                Self.genreCoArtists(filter, tag: tag, genres: genres, each: each)
            } else if onlyDays(filter) {
                Self.windowedRows(
                    filter,
                    window: """
                        SELECT t.key AS genre, x.artist_id, x.sales, x.revenue, x.place
                        FROM tag t CROSS JOIN LATERAL (
                            SELECT g.artist_id, g.sales, round(g.revenue, 2) AS revenue,
                                row_number() OVER (ORDER BY g.sales DESC, g.revenue DESC, g.artist_id) AS place
                            FROM summary_window_genre_artist g WHERE \(Self.inWindow(filter, "g")) AND g.tag_id = t.id
                            ORDER BY g.sales DESC, g.revenue DESC, g.artist_id LIMIT \(each)
                        ) x
                        WHERE t.key = ANY(\(genres)::text[])
                        """,
                    days: """
                        SELECT t.key AS genre, r.artist_id, sum(r.sales)::bigint AS sales,
                            round(sum(r.revenue), 2) AS revenue,
                            row_number() OVER (
                                PARTITION BY t.key ORDER BY sum(r.sales) DESC, sum(r.revenue) DESC, r.artist_id) AS place
                        FROM summary_release_day r JOIN release_tag rt ON rt.release_id = r.release_id
                            JOIN tag t ON t.id = rt.tag_id
                        WHERE \(filter.days("r")) AND t.key = ANY(\(genres)::text[])
                        GROUP BY t.key, r.artist_id
                        """)
            } else {
                """
                WITH s AS MATERIALIZED (
                    SELECT s.artist_id, s.release_id, s.amount_paid_usd FROM sale s WHERE \(filter.condition)
                )
                SELECT t.key AS genre, s.artist_id, count(*) AS sales,
                    round(coalesce(sum(s.amount_paid_usd), 0), 2) AS revenue,
                    row_number() OVER (
                        PARTITION BY t.key ORDER BY count(*) DESC, coalesce(sum(s.amount_paid_usd), 0) DESC, s.artist_id)
                        AS place
                FROM s JOIN release_tag rt ON rt.release_id = s.release_id JOIN tag t ON t.id = rt.tag_id
                WHERE t.key = ANY(\(genres)::text[])
                GROUP BY t.key, s.artist_id
                """
            }
        var result: [String: [RankedRow]] = [:]
        for row in try await db.query(
            """
            SELECT x.genre, a.id::text AS key, a.name, a.page_url AS detail, a.page_url AS url, x.sales, x.revenue
            FROM (\(totals)) x
            -- Each artist by its key (the fence keeps the planner, which guesses thousands of rows from the
            -- day summaries' branch, from hashing every artist: 63 ms for a year's 159,000).
            CROSS JOIN LATERAL (SELECT a.id, a.name, a.page_url FROM artist a WHERE a.id = x.artist_id OFFSET 0) a
            WHERE x.place <= \(each) ORDER BY x.genre, x.place
            """)
        {
            result[try row.decode("genre"), default: []].append(try RankedRow(row: row))
        }
        return result
    }

    /// Artists whose names hold `text` (any case), with their sales in the filter's range, most first.
    public func searchArtists(_ text: String, _ filter: DashboardFilter, limit: Int = 50) async throws -> [RankedRow] {
        var unnamed = filter
        unnamed.artist = nil
        return try await ranked(
            """
            SELECT a.id::text AS key, a.name, a.page_url AS detail, a.page_url AS url, count(s.sale_key) AS sales,
                round(coalesce(sum(s.amount_paid_usd), 0), 2) AS revenue
            FROM artist a LEFT JOIN sale s ON s.artist_id = a.id AND \(unnamed.condition)
            WHERE strpos(lower(a.name), lower(\(text))) > 0
            GROUP BY a.id ORDER BY 5 DESC, 6 DESC, a.name, a.id LIMIT \(limit)
            """)
    }

    /// Rows of `key`, `name`, `detail`, `url`, `sales` and `revenue`.
    func ranked(_ query: SQLQuery) async throws -> [RankedRow] {
        try await db.query(query).decode(RankedRow.self)
    }
}
