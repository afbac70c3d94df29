import Postgres

// The tests' raw SQL: statements as text with `$n` values, and results as text by position, to compare figures
// with the code's typed reads. The code under test never reads a result this way.

extension PostgresConnection {
    /// Runs SQL written as text (a test's own statement), its `$n` values as text.
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = []) async throws -> PostgresRows {
        try await query(SQLQuery(unescaped: sql, bindings: parameters))
    }
}

extension PostgresRows {
    /// Every value as text, by position.
    public var rows: [[String?]] { rawText }

    /// The first value of the first row, as text.
    public var scalarText: String? { rawText.first?.first ?? nil }
}
