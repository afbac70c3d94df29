/// An amount of money as exact decimal text with two places (`1234.50`), as PostgreSQL rounded it.
public struct Money: Sendable, Equatable {
    /// The decimal text.
    public var text: String

    public init(_ text: String) {
        self.text = text
    }

    /// The amount as a double, for arithmetic on figures already rounded (changes, chart heights).
    public var value: Double { Double(text) ?? 0 }
}
