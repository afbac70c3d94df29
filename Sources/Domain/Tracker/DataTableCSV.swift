extension DataTable {
    /// The table as CSV (RFC 4180: fields with a comma, quote or line break quoted, quotes doubled, lines ended by
    /// CRLF), UTF-8 after a byte-order mark so that spreadsheets read accented names right. Figures are plain
    /// (`1234.50`, a share as `0.123`), every column the page shows is there under its title (`Rank` first when
    /// the rows are ranked), and a link to a Bandcamp page adds its address in a column of its own.
    ///
    /// Text that a spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
    /// return: an artist may call themselves `=HYPERLINK(...)`) is written after an apostrophe, as OWASP advises.
    public var csv: String {
        var header: [String] = numbered ? ["Rank"] : []
        for column in columns {
            header.append(column.title)
            if let address = column.addressTitle { header.append(address) }
        }
        var text = "\u{FEFF}" + Self.csvLine(header)
        for (place, row) in zip(places, rows) {
            var fields: [String] = numbered ? [String(place)] : []
            for (column, cell) in zip(columns, row) {
                fields.append(cell.value.csv)
                if column.addressTitle != nil { fields.append(Self.neutralised(cell.address ?? "")) }
            }
            text += Self.csvLine(fields)
        }
        return text
    }

    /// One line of fields, quoted where they need it.
    static func csvLine(_ fields: [String]) -> String {
        fields.map { field in
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + field.replacing("\"", with: "\"\"") + "\"" : field
        }.joined(separator: ",") + "\r\n"
    }

    /// Text a spreadsheet will show as text, not run as a formula.
    static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }
}

extension DataTable.Value {
    /// The field: text (neutralised), a whole number, exact decimal text, a figure to six places at most, or empty.
    var csv: String {
        switch self {
        case .text(let text): DataTable.neutralised(text)
        case .integer(let value): String(value)
        case .decimal(let text): text
        case .number(let value): value.isFinite ? Self.plain(value) : ""
        case .missing: ""
        }
    }

    /// A figure without grouping or exponent, to at most six decimals, trailing zeros dropped: `0.123`, `-2.5`.
    static func plain(_ value: Double) -> String {
        let scaled = (value.magnitude * 1_000_000).rounded()
        guard scaled < 9e15 else { return "\(value)" }
        let whole = Int64(scaled) / 1_000_000
        var fraction = String(Int64(scaled) % 1_000_000)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let sign = value < 0 && scaled != 0 ? "-" : ""
        return sign + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
    }
}
