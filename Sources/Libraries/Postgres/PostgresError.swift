/// A failure of PostgreSQL: connecting, a statement (with its SQLSTATE), or reading a result.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// Connecting, or the connection lost.
        case connection
        /// The server refused a statement.
        case statement
        /// A result is not what the code reads from it: a missing column, an unexpected NULL, a bad value.
        case decoding
    }

    public var code: Code
    public var message: String
    /// The SQLSTATE, e.g. `23505` for a unique violation.
    public var sqlState: String?

    init(_ code: Code, _ message: String, sqlState: String? = nil) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
    }

    public var description: String { message }

    /// A result that breaks what the caller's SQL promises (a row that should be there and is not).
    public static func unexpected(_ message: String) -> PostgresError {
        PostgresError(.decoding, message)
    }
}
