import Postgres

/// The distinct releases, buyer countries and artists of a window's sales, per artist or per genre, read from
/// when each release, artist-country, genre-artist and genre-country last sold (the `summary_last_*` tables)
/// rather than by grouping the window's sales. A row whose last sale falls in the window counts; one whose last
/// sale is later (sold again since the window ended) counts when `sale` holds one of its sales in the window,
/// checked for those rows alone. Exact, whenever the window ends.
struct LastSaleCounts: Sendable {
    /// The window, `[from, to)` in seconds since 1970.
    var from: Int64
    var to: Int64

    /// The distinct releases and buyer countries of each of `artists` with a sale in the window (others have
    /// none).
    func artists(_ artists: [Int64], _ db: PostgresConnection) async throws -> [Int64: DistinctCounts] {
        let releases = try await perEntity(
            "artist_id",
            """
            SELECT l.artist_id, count(*) AS n FROM summary_last_release l
            WHERE l.artist_id = ANY(\(artists)::bigint[])
                AND \(sold("x.release_id = l.release_id AND x.artist_id = l.artist_id"))
            GROUP BY 1
            """, db)
        let countries = try await perEntity(
            "artist_id",
            """
            SELECT l.artist_id, count(*) AS n FROM summary_last_artist_country l
            WHERE l.artist_id = ANY(\(artists)::bigint[])
                AND \(sold("x.artist_id = l.artist_id AND x.buyer_country_code = l.country"))
            GROUP BY 1
            """, db)
        var found: [Int64: DistinctCounts] = [:]
        for artist in Set(releases.keys).union(countries.keys) {
            found[artist] = DistinctCounts(releases: releases[artist] ?? 0, countries: countries[artist] ?? 0)
        }
        return found
    }

    /// The distinct artists, releases and buyer countries of each of `genres` (tag ids) in the window, by the
    /// releases' tags as they are now.
    func genres(_ genres: [Int64], _ db: PostgresConnection) async throws -> [Int64: DistinctCounts] {
        let tagged: SQLQuery =
            "EXISTS (SELECT 1 FROM release_tag t WHERE t.release_id = x.release_id AND t.tag_id = l.tag_id)"
        let artists = try await perEntity(
            "tag_id",
            """
            SELECT l.tag_id, count(*) AS n FROM summary_last_genre_artist l
            WHERE l.tag_id = ANY(\(genres)::bigint[]) AND \(sold("x.artist_id = l.artist_id AND \(tagged)"))
            GROUP BY 1
            """, db)
        let releases = try await perEntity(
            "tag_id",
            """
            SELECT rt.tag_id, count(*) AS n
            FROM (
                SELECT DISTINCT l.release_id FROM summary_last_release l
                WHERE \(sold("x.release_id = l.release_id AND x.artist_id = l.artist_id"))
            ) r
            JOIN release_tag rt ON rt.release_id = r.release_id
            WHERE rt.tag_id = ANY(\(genres)::bigint[])
            GROUP BY 1
            """, db)
        let countries = try await perEntity(
            "tag_id",
            """
            SELECT l.tag_id, count(*) AS n FROM summary_last_genre_country l
            WHERE l.tag_id = ANY(\(genres)::bigint[])
                AND \(sold("x.buyer_country_code = l.country AND \(tagged)"))
            GROUP BY 1
            """, db)
        var found: [Int64: DistinctCounts] = [:]
        for genre in Set(artists.keys).union(releases.keys).union(countries.keys) {
            found[genre] = DistinctCounts(
                releases: releases[genre] ?? 0, countries: countries[genre] ?? 0, artists: artists[genre] ?? 0)
        }
        return found
    }

    /// The count `n` of each entity (its id in the column `key`) that `query` gives.
    private func perEntity(_ key: String, _ query: SQLQuery, _ db: PostgresConnection) async throws -> [Int64: Int] {
        var counts: [Int64: Int] = [:]
        for row in try await db.query(query) { counts[try row.decode(key)] = try row.decode("n") }
        return counts
    }

    /// Whether the row `l` has a sale in the window: its last sale is in it, or it is later and one of the sales
    /// `x` that `matches` the row is in it.
    private func sold(_ matches: SQLQuery) -> SQLQuery {
        let (start, end): (SQLQuery, SQLQuery) = ("to_timestamp(\(from))", "to_timestamp(\(to))")
        return """
            l.last_at >= \(start) AND (l.last_at < \(end) OR EXISTS (
                SELECT 1 FROM sale x WHERE \(matches) AND x.sold_at >= \(start) AND x.sold_at < \(end)))
            """
    }
}
