#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A number from the feed, kept as exact decimal text in one canonical form (no exponent, no leading zeros,
/// no trailing zeros after the point: `1749583861.50` and `"1749583861.5"` are the same number). Exact to any
/// precision, read without floating point, and written into PostgreSQL `numeric` as it is.
public struct FeedNumber: Sendable, Hashable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// The canonical text, e.g. `1749583861.7284331`, `-2`, `0.83`.
    public let text: String

    /// A number from its text (JSON's grammar, or a decimal in a string, spaces around allowed).
    /// - Returns: `nil` when it is no finite number (`NaN`, `abc`, an empty string).
    public init?(_ raw: some StringProtocol) {
        if let text = Self.canonical(raw.utf8) {
            self.text = text
            return
        }
        // Exponents and other spellings (`1.5e9`, `.5`): through Decimal, which reads them exactly.
        let trimmed = String(raw).trimmingSpaces()
        guard trimmed.wholeMatch(of: /-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/) != nil, let value = Decimal(string: trimmed),
            !value.isNaN, let text = Self.canonical(value.description.utf8)
        else { return nil }
        self.text = text
    }

    public init(integerLiteral value: Int) {
        text = String(value)
    }

    public var description: String { text }

    public var isNegative: Bool { text.utf8.first == UInt8(ascii: "-") }

    /// The number to the cent (half away from zero) when it carries more than `beyond` decimals: the float
    /// noise of a price written through single precision (`9.98999977111816` is 9.99); itself otherwise.
    public func roundedToCents(beyond decimals: Int = 4) -> FeedNumber {
        guard let point = text.firstIndex(of: "."), text.distance(from: point, to: text.endIndex) - 1 > decimals,
            let whole = Int64(text[..<point].filter { $0 != "-" })
        else { return self }
        let digits = Array(text[text.index(after: point)...].utf8).map { Int64($0) - 0x30 }
        // A number too large for cents in 64 bits is left as it is (the sale's domain refuses it).
        let (hundreds, overflow) = whole.multipliedReportingOverflow(by: 100)
        guard !overflow, hundreds <= Int64.max - 100 else { return self }
        var cents = hundreds + digits[0] * 10 + digits[1]
        if digits[2] >= 5 { cents += 1 }
        let sign = isNegative && cents > 0 ? "-" : ""
        let fraction = cents % 100
        return FeedNumber("\(sign)\(cents / 100).\(fraction < 10 ? "0" : "")\(fraction)") ?? self
    }

    /// The whole part, toward zero (0 when it does not fit).
    public var wholePart: Int64 {
        Int64(text.prefix { $0 != "." }) ?? 0
    }

    /// The canonical form of `-?digits(.digits)?`, or `nil` for any other text.
    static func canonical(_ bytes: some Collection<UInt8>) -> String? {
        var negative = false
        var integer: [UInt8] = []
        var fraction: [UInt8] = []
        var index = bytes.startIndex
        while index != bytes.endIndex, bytes[index] == 0x20 { index = bytes.index(after: index) }
        if index != bytes.endIndex, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index = bytes.index(after: index)
        }
        var inFraction = false
        var sawDigit = false
        var trailing = false
        while index != bytes.endIndex {
            let byte = bytes[index]
            index = bytes.index(after: index)
            if trailing {
                guard byte == 0x20 else { return nil }
                continue
            }
            switch byte {
            case 0x30...0x39:
                sawDigit = true
                if inFraction {
                    fraction.append(byte)
                } else if !(integer.isEmpty && byte == 0x30) {
                    integer.append(byte)
                }
            case UInt8(ascii: "."):
                guard !inFraction, sawDigit else { return nil }
                inFraction = true
            case 0x20:
                trailing = true
            default:
                return nil
            }
        }
        guard sawDigit, !(inFraction && fraction.isEmpty) else { return nil }
        while fraction.last == 0x30 { fraction.removeLast() }
        if integer.isEmpty { integer = [0x30] }
        var result = negative && !(integer == [0x30] && fraction.isEmpty) ? "-" : ""
        result += String(decoding: integer, as: UTF8.self)
        if !fraction.isEmpty { result += "." + String(decoding: fraction, as: UTF8.self) }
        return result
    }
}

extension FeedNumber: Comparable {
    /// Exact order of the decimal texts (no floating point: any size compares right).
    public static func < (lhs: FeedNumber, rhs: FeedNumber) -> Bool {
        switch (lhs.isNegative, rhs.isNegative) {
        case (true, false): return true
        case (false, true): return false
        case (true, true): return magnitudeLess(rhs.magnitude, lhs.magnitude)
        case (false, false): return magnitudeLess(lhs.magnitude, rhs.magnitude)
        }
    }

    /// The digits without a sign, split at the point.
    private var magnitude: (whole: Substring, fraction: Substring) {
        let digits = isNegative ? text.dropFirst() : Substring(text)
        guard let point = digits.firstIndex(of: ".") else { return (digits, "") }
        return (digits[..<point], digits[digits.index(after: point)...])
    }

    private static func magnitudeLess(
        _ lhs: (whole: Substring, fraction: Substring), _ rhs: (whole: Substring, fraction: Substring)
    ) -> Bool {
        // Canonical: no leading zeros, so a longer whole part is larger.
        if lhs.whole.count != rhs.whole.count { return lhs.whole.count < rhs.whole.count }
        if lhs.whole != rhs.whole { return lhs.whole < rhs.whole }
        let width = max(lhs.fraction.count, rhs.fraction.count)
        let pad = { (text: Substring) in String(text) + String(repeating: "0", count: width - text.count) }
        return pad(lhs.fraction) < pad(rhs.fraction)
    }
}
