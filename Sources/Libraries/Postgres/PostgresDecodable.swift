/// A Swift value read from a column in PostgreSQL's text form.
public protocol PostgresDecodable: Sendable {
    /// The value of the text, or `nil` when the text is not a value of this type.
    init?(postgresText: String)
    /// Whether SQL NULL reads as a value (only `Optional` says yes).
    static var acceptsNull: Bool { get }
    /// The value of SQL NULL, for the types that accept it.
    static var null: Self? { get }
}

extension PostgresDecodable {
    public static var acceptsNull: Bool { false }
    public static var null: Self? { nil }
}

extension String: PostgresDecodable {
    public init?(postgresText: String) { self = postgresText }
}

extension Int: PostgresDecodable {
    public init?(postgresText: String) { self.init(postgresText) }
}

extension Int64: PostgresDecodable {
    public init?(postgresText: String) { self.init(postgresText) }
}

extension Int32: PostgresDecodable {
    public init?(postgresText: String) { self.init(postgresText) }
}

extension Double: PostgresDecodable {
    /// Also `NaN` and `±Infinity`, which PostgreSQL writes for such doubles.
    public init?(postgresText: String) {
        switch postgresText {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default: self.init(postgresText)
        }
    }
}

extension Bool: PostgresDecodable {
    public init?(postgresText: String) {
        switch postgresText {
        case "t": self = true
        case "f": self = false
        default: return nil
        }
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public init?(postgresText: String) {
        guard let value = Wrapped(postgresText: postgresText) else { return nil }
        self = .some(value)
    }

    public static var acceptsNull: Bool { true }
    public static var null: Self? { .some(.none) }
}

extension Array: PostgresDecodable where Element: PostgresDecodable {
    /// A one-dimensional array (`{a,"b c",NULL}`); NULL elements only where `Element` is optional.
    public init?(postgresText: String) {
        guard let elements = PostgresArray.elements(of: postgresText) else { return nil }
        var values: [Element] = []
        values.reserveCapacity(elements.count)
        for element in elements {
            if let element {
                guard let value = Element(postgresText: element) else { return nil }
                values.append(value)
            } else {
                guard let null = Element.null else { return nil }
                values.append(null)
            }
        }
        self = values
    }
}

extension PostgresDecodable where Self: RawRepresentable, RawValue == String {
    /// An enum read from its raw value (a `CHECK (status IN (…))` column); text outside it is an error.
    public init?(postgresText: String) {
        self.init(rawValue: postgresText)
    }
}
