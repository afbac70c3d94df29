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

    /// The genres with the most releases, for the filter's list (read from the releases' tags, not the sales:
    /// cheap at any range).
    public func genreChoices(limit: Int = 60) async throws -> [(key: String, name: String)] {
        try await db.query(
            """
            SELECT t.key, t.name FROM release_tag rt JOIN tag t ON t.id = rt.tag_id
            GROUP BY t.id ORDER BY count(*) DESC, t.key LIMIT \(limit)
            """
        ).map { row in (try row.decode("key"), try row.decode("name")) }
    }

    /// A genre's display name, by its key.
    public func genreName(_ key: String) async throws -> String? {
        try await db.query("SELECT name FROM tag WHERE key = \(key)").scalarIfPresent()
    }
}
