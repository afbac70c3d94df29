import Postgres
import Tracker

extension Money: PostgresDecodable {
    /// A `numeric` as PostgreSQL writes it.
    public init?(postgresText: String) {
        guard Double(postgresText) != nil else { return nil }
        self.init(postgresText)
    }
}
