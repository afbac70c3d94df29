/// An amount of money as exact decimal text with two places (`1234.50`), as PostgreSQL rounded it.
public struct Money: Sendable, Equatable {
    /// The decimal text.
    public var text: String

    public init(_ text: String) {
        self.text = text
    }

    /// The amount as a double, for arithmetic on figures already rounded (changes, chart heights).
    public var value: Double { Double(text) ?? 0 }

    /// An amount of whole cents, as exact decimal text.
    public init(cents: Int) {
        let magnitude = cents.magnitude
        let rest = magnitude % 100
        self.init("\(cents < 0 ? "-" : "")\(magnitude / 100).\(rest < 10 ? "0" : "")\(rest)")
    }

    /// The amount in whole cents (of text PostgreSQL rounded to two places: `1234.5`, `-0.07`; further places
    /// are cut), for exact sums.
    public var cents: Int {
        let negative = text.hasPrefix("-")
        let parts = text.drop { $0 == "-" }.split(separator: ".", omittingEmptySubsequences: false)
        let whole = Int(parts.first ?? "0") ?? 0
        var fraction = parts.count > 1 ? String(parts[1].prefix(2)) : ""
        while fraction.count < 2 { fraction += "0" }
        let cents = whole * 100 + (Int(fraction) ?? 0)
        return negative ? -cents : cents
    }
}
