/// A piece of HTML, safe by construction: text the program wrote in literals is markup, and every value
/// interpolated into it is escaped, unless it is itself `HTML`.
///
/// ```swift
/// let row: HTML = "<td>\(artist.name)</td>"      // the name is escaped
/// let table: HTML = "<table>\(rows)</table>"     // rows is HTML: kept as it is
/// ```
/// Text that is markup but not a literal (a generated SVG path, a stylesheet kept in a constant) is made HTML
/// with `HTML(unescaped:)`, which says so where it is done.
public struct HTML: Sendable, Equatable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The markup.
    public private(set) var markup: String

    /// Nothing.
    public init() {
        markup = ""
    }

    /// Markup the program made itself (never a value from outside).
    public init(unescaped markup: String) {
        self.markup = markup
    }

    /// Text shown as text: escaped.
    public init(text: String) {
        markup = HTML.escaped(text)
    }

    public init(stringLiteral markup: String) {
        self.markup = markup
    }

    public init(stringInterpolation: StringInterpolation) {
        markup = stringInterpolation.markup
    }

    public var description: String { markup }

    public var isEmpty: Bool { markup.isEmpty }

    /// Appends another piece.
    public static func += (lhs: inout HTML, rhs: HTML) {
        lhs.markup += rhs.markup
    }

    /// Two pieces in a row.
    public static func + (lhs: HTML, rhs: HTML) -> HTML {
        HTML(unescaped: lhs.markup + rhs.markup)
    }

    /// The interpolation that escapes values.
    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var markup = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            markup.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        /// Markup, as written in the literal.
        public mutating func appendLiteral(_ literal: String) {
            markup += literal
        }

        /// Text: escaped.
        public mutating func appendInterpolation(_ text: String) {
            markup += HTML.escaped(text)
        }

        /// Text: escaped.
        public mutating func appendInterpolation(_ text: Substring) {
            markup += HTML.escaped(String(text))
        }

        /// A piece of HTML: as it is.
        public mutating func appendInterpolation(_ html: HTML) {
            markup += html.markup
        }

        /// A piece of HTML or nothing.
        public mutating func appendInterpolation(_ html: HTML?) {
            markup += html?.markup ?? ""
        }

        /// A number, as digits.
        public mutating func appendInterpolation(_ number: some BinaryInteger) {
            markup += String(number)
        }

        /// A number, as Swift writes it (`52.0`, `nan`): never markup.
        public mutating func appendInterpolation(_ number: Double) {
            markup += String(number)
        }
    }

    /// Text safe between tags and inside a double- or single-quoted attribute value.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }
}

extension Sequence where Element == HTML {
    /// The pieces one after another, with `separator` between them.
    public func joined(separator: HTML = "") -> HTML {
        var result = HTML()
        for (index, piece) in enumerated() {
            if index > 0 { result += separator }
            result += piece
        }
        return result
    }
}
