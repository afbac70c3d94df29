import Postgres
import Tracker
import Trends

/// What the filter bar offers: countries and genres, and a genre's name.
extension DashboardQuery {
    /// Countries that bought anything, for the filter's list: code and name, by name.
    public func countryNames() async throws -> [(code: String, name: String)] {
        try await db.query("SELECT code, name FROM country ORDER BY name").map { row in
            (try row.decode("code"), try row.decode("name"))
        }
    }

    /// The filter list's genres: first those the alert runs found rising in the week to the latest sale (marked),
    /// then the `limit` that sold most in the year to it (from the summaries: cheap at any size). Any other genre
    /// can be typed; an unknown one is named in a notice.
    public func genreChoices(limit: Int = 300) async throws -> [(key: String, name: String, rising: Bool)] {
        try await db.query(
            """
            WITH latest AS (SELECT max(day) AS day FROM summary_genre_day),
            rising AS (
                SELECT a.entity_id AS tag_id, max(a.lower_bound) AS strength FROM alert a, latest
                WHERE a.entity_type = 'genre'
                    AND a.evaluated_at > ((latest.day - 6)::timestamp AT TIME ZONE 'UTC')
                    AND a.evaluated_at <= ((latest.day + 1)::timestamp AT TIME ZONE 'UTC')
                GROUP BY a.entity_id
            ),
            selling AS (
                SELECT g.tag_id, sum(g.sales) AS sales FROM summary_genre_day g, latest
                WHERE g.day > latest.day - 365
                GROUP BY g.tag_id ORDER BY 2 DESC, g.tag_id LIMIT \(limit)
            )
            SELECT t.key, t.name, r.tag_id IS NOT NULL AS rising
            FROM tag t LEFT JOIN rising r ON r.tag_id = t.id LEFT JOIN selling s ON s.tag_id = t.id
            WHERE r.tag_id IS NOT NULL OR s.tag_id IS NOT NULL
            ORDER BY r.strength DESC NULLS LAST, s.sales DESC NULLS LAST, t.key
            """
        ).map { row in (try row.decode("key"), try row.decode("name"), try row.decode("rising")) }
    }

    /// The filter with its genre's tag id looked up (see `DashboardFilter.genreTagID`), and the genre's name (nil
    /// for a key no tag has).
    public func resolvingGenre(_ filter: DashboardFilter) async throws -> (filter: DashboardFilter, genreName: String?)
    {
        guard let genre = filter.genre else { return (filter, nil) }
        var resolved = filter
        let row = try await db.query("SELECT id, name FROM tag WHERE key = \(genre)").first
        resolved.genreTagID = try row?.decode("id") ?? 0
        return (resolved, try row?.decode("name"))
    }

    /// A genre's display name, by its key.
    public func genreName(_ key: String) async throws -> String? {
        try await db.query("SELECT name FROM tag WHERE key = \(key)").scalarIfPresent()
    }
}
