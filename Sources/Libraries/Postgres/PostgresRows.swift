/// The rows of a result. Values are read by column name and type (`row.decode("sales", as: Int.self)`): a
/// missing column, a NULL where the type takes none, or text that is not a value of the type is an error that
/// names the column, never a default.
public struct PostgresRows: Sendable, Equatable, RandomAccessCollection {
    /// The column names, in the statement's order.
    public let columns: [String]
    /// Rows inserted, updated or deleted (for commands).
    public let affected: Int
    let index: ColumnIndex
    let values: [[String?]]

    init(columns: [String], values: [[String?]], affected: Int) {
        self.columns = columns
        self.values = values
        self.affected = affected
        index = ColumnIndex(columns)
    }

    public var startIndex: Int { values.startIndex }
    public var endIndex: Int { values.endIndex }

    public subscript(position: Int) -> PostgresRow {
        PostgresRow(index: index, values: values[position])
    }

    /// The one row of a result that has exactly one.
    /// - Throws: `PostgresError` `.decoding` when there are none or several.
    public func single() throws -> PostgresRow {
        guard count == 1 else {
            throw PostgresError(.decoding, "expected one row, got \(count)")
        }
        return self[0]
    }

    /// The value of a result of one row and one column (an aggregate, a `RETURNING id`).
    /// - Throws: `PostgresError` `.decoding` when the shape is not one row of one column, or the value is not
    ///   of the type.
    public func scalar<T: PostgresDecodable>(_ type: T.Type = T.self) throws -> T {
        guard columns.count == 1 else {
            throw PostgresError(
                .decoding, "expected one column, got \(columns.count) (\(columns.joined(separator: ", ")))")
        }
        return try single().decode(columns[0], as: type)
    }

    /// The value of a result of at most one row of one column (`INSERT … RETURNING id` that may insert
    /// nothing), `nil` when there is no row.
    /// - Throws: `PostgresError` `.decoding` when the shape is other, or the value is not of the type.
    public func scalarIfPresent<T: PostgresDecodable>(_ type: T.Type = T.self) throws -> T? {
        isEmpty ? nil : try scalar(type)
    }

    /// Every value as PostgreSQL's text, by position. For tests and diagnostics: the code reads by name.
    public var rawText: [[String?]] { values }

    public static func == (lhs: PostgresRows, rhs: PostgresRows) -> Bool {
        lhs.columns == rhs.columns && lhs.values == rhs.values && lhs.affected == rhs.affected
    }
}

/// Column names to positions, shared by a result's rows.
struct ColumnIndex: Sendable {
    let positions: [String: Int]

    init(_ columns: [String]) {
        var positions: [String: Int] = [:]
        // A name used twice reads its first column, as PostgreSQL's own record access does.
        for (position, name) in columns.enumerated() where positions[name] == nil {
            positions[name] = position
        }
        self.positions = positions
    }
}

/// A row of a result, read by column name.
public struct PostgresRow: Sendable {
    let index: ColumnIndex
    let values: [String?]

    /// The value of a column.
    /// - Throws: `PostgresError` `.decoding` naming the column when it is missing, NULL where `T` is not
    ///   optional, or not a value of `T`.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let position = index.positions[column] else {
            let known = index.positions.sorted { $0.value < $1.value }.map(\.key).joined(separator: ", ")
            throw PostgresError(.decoding, "no column '\(column)' in the result (\(known))")
        }
        guard let text = values[position] else {
            guard let null = T.null else {
                throw PostgresError(.decoding, "column '\(column)' is NULL, expected \(T.self)")
            }
            return null
        }
        guard let value = T(postgresText: text) else {
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            throw PostgresError(.decoding, "column '\(column)' holds '\(shown)', not a \(T.self)")
        }
        return value
    }

    /// Whether the result has the column (for reads shared by statements of different shapes).
    public func has(_ column: String) -> Bool {
        index.positions[column] != nil
    }
}

/// A type read whole from a row, by its columns' names.
public protocol PostgresRowDecodable: Sendable {
    /// - Throws: `PostgresError` `.decoding` for a missing column or a bad value.
    init(row: PostgresRow) throws
}

extension PostgresRows {
    /// Every row read into a type.
    public func decode<T: PostgresRowDecodable>(_ type: T.Type = T.self) throws -> [T] {
        try map { try T(row: $0) }
    }
}
