/// A Swift value that can be sent as a query parameter, in PostgreSQL's text form.
public protocol PostgresEncodable: Sendable {
    /// The value as PostgreSQL reads it from text.
    var postgresText: String { get }
}

extension String: PostgresEncodable {
    public var postgresText: String { self }
}

extension Substring: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Int: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Int64: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Int32: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Double: PostgresEncodable {
    /// `NaN` and `±Infinity` as PostgreSQL spells them (a column's constraint, not a trap, refuses them).
    public var postgresText: String {
        if isNaN { return "NaN" }
        if isInfinite { return self > 0 ? "Infinity" : "-Infinity" }
        return String(self)
    }
}

extension Bool: PostgresEncodable {
    public var postgresText: String { self ? "t" : "f" }
}

extension Array: PostgresEncodable where Element: PostgresEncodable {
    /// An array literal (`{"a","b"}`), for `$1::text[]` or `$1::bigint[]`: one parameter, never SQL text.
    public var postgresText: String { PostgresArray.literal(map(\.postgresText)) }
}

extension PostgresEncodable where Self: RawRepresentable, RawValue == String {
    /// An enum sent as its raw value.
    public var postgresText: String { rawValue }
}

extension Duration {
    /// Whole milliseconds (rounded down), as the ledgers' `duration_ms` columns keep them.
    public var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
