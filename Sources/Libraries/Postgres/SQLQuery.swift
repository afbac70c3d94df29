/// A statement and its values, built by string interpolation: every interpolated value becomes a bound
/// parameter (`$1`, `$2`, …), never SQL text, so a value cannot change what the statement does.
///
/// ```swift
/// let rows = try await db.query("SELECT name FROM artist WHERE id = \(id) LIMIT \(limit)")
/// ```
/// Pieces of SQL are put together by interpolating another `SQLQuery` (its values come along, renumbered).
/// SQL text known to be safe (an identifier the program chose, never a value from outside) is interpolated
/// with `\(unescaped: text)`.
public struct SQLQuery: Sendable, Hashable, ExpressibleByStringInterpolation {
    enum Part: Sendable, Hashable {
        case text(String)
        case value(String?)
    }

    var parts: [Part]

    init(parts: [Part]) {
        self.parts = parts
    }

    public init(stringLiteral value: String) {
        parts = [.text(value)]
    }

    public init(stringInterpolation: StringInterpolation) {
        parts = stringInterpolation.parts
    }

    /// SQL the program wrote itself, with values for its `$n` placeholders, for SQL kept as text (migrations'
    /// statements, tests). Values in `bindings` are still parameters.
    public init(unescaped sql: String, bindings: [String?] = []) {
        // The placeholders in `sql` count from 1 on their own: such a statement is never a piece of another.
        parts = [.text(sql)]
        prebound = bindings
    }

    /// Values bound by `init(unescaped:bindings:)`, placed before the interpolated ones.
    private var prebound: [String?] = []

    /// The statement with `$n` placeholders.
    public var sql: String {
        var text = ""
        var number = prebound.count
        for part in parts {
            switch part {
            case .text(let piece): text += piece
            case .value:
                number += 1
                text += "$\(number)"
            }
        }
        return text
    }

    /// The values, in placeholder order (`nil` is SQL NULL), as PostgreSQL's text.
    public var bindings: [String?] {
        prebound
            + parts.compactMap { part in
                if case .value(let value) = part { return .some(value) }
                return nil
            }
    }

    /// True when nothing but whitespace.
    public var isEmpty: Bool { sql.allSatisfy(\.isWhitespace) }

    /// Pieces joined with a separator (`AND`, `, `), each keeping its values.
    public static func joined(_ pieces: [SQLQuery], separator: String) -> SQLQuery {
        var parts: [Part] = []
        for (index, piece) in pieces.enumerated() {
            precondition(piece.prebound.isEmpty, "an unescaped statement with bindings cannot be a piece")
            if index > 0 { parts.append(.text(separator)) }
            parts += piece.parts
        }
        return SQLQuery(parts: parts)
    }

    /// The interpolation that binds values.
    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var parts: [Part] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            parts.reserveCapacity(2 * interpolationCount + 1)
        }

        public mutating func appendLiteral(_ literal: String) {
            parts.append(.text(literal))
        }

        /// A value, bound as a parameter.
        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            parts.append(.value(value.postgresText))
        }

        /// A value that may be missing, bound as a parameter (NULL when `nil`).
        public mutating func appendInterpolation(_ value: (some PostgresEncodable)?) {
            parts.append(.value(value?.postgresText))
        }

        /// An array whose elements may be missing (`{"1",NULL}`), bound as one parameter.
        public mutating func appendInterpolation<Element: PostgresEncodable>(_ values: [Element?]) {
            parts.append(.value(PostgresArray.literal(values.map { $0?.postgresText })))
        }

        /// A piece of SQL with its own values.
        public mutating func appendInterpolation(_ piece: SQLQuery) {
            precondition(piece.prebound.isEmpty, "an unescaped statement with bindings cannot be a piece")
            parts += piece.parts
        }

        /// SQL text that the program chose (an identifier, a keyword): never a value from outside.
        public mutating func appendInterpolation(unescaped text: String) {
            parts.append(.text(text))
        }
    }
}
