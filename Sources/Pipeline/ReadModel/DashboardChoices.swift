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

    /// The genres that sold most in the year up to the latest sale, for the filter's list (from the summaries:
    /// cheap at any size).
    public func genreChoices(limit: Int = 60) async throws -> [(key: String, name: String)] {
        try await db.query(
            """
            SELECT t.key, t.name FROM (
                SELECT g.tag_id, sum(g.sales) AS sales FROM summary_genre_day g
                WHERE g.day > (SELECT max(day) FROM summary_genre_day) - 365
                GROUP BY g.tag_id ORDER BY 2 DESC, g.tag_id LIMIT \(limit)
            ) x JOIN tag t ON t.id = x.tag_id ORDER BY x.sales DESC, t.key
            """
        ).map { row in (try row.decode("key"), try row.decode("name")) }
    }

    /// The filter with its genre's tag id looked up (see `DashboardFilter.genreTagID`).
    public func resolvingGenre(_ filter: DashboardFilter) async throws -> DashboardFilter {
        guard let genre = filter.genre else { return filter }
        var resolved = filter
        resolved.genreTagID = try await db.query("SELECT id FROM tag WHERE key = \(genre)").scalarIfPresent() ?? 0
        return resolved
    }

    /// A genre's display name, by its key.
    public func genreName(_ key: String) async throws -> String? {
        try await db.query("SELECT name FROM tag WHERE key = \(key)").scalarIfPresent()
    }
}
