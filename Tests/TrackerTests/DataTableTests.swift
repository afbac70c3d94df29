import Testing
import Tracker

@Suite("Tables: sorted by any column, written as CSV")
struct DataTableTests {
    /// Three artists ranked by sales, one without a median and one whose name a spreadsheet would run.
    static let table = DataTable(
        id: "artists", caption: "Top artists",
        columns: [
            .init("artist", "Artist", addressTitle: "Bandcamp page"), .init("sales", "Sales", numeric: true),
            .init("median", "Median", numeric: true), .init("share", "Share", numeric: true),
        ],
        rows: [
            [
                .text("Zed, \"the\" band", address: "https://zed.bandcamp.com"), .count(30), .usd(Money("7.50")),
                .percent(0.5),
            ],
            [.text("=HYPERLINK(\"http://x\")"), .count(20), .usd(nil), .percent(1.0 / 3)],
            [
                .text("alpha\nbeta", address: "https://a.bandcamp.com"), .count(20), .usd(Money("12.00")),
                .percent(1.0 / 6),
            ],
        ],
        empty: "None.", numbered: true)

    @Test("a sort by figures or by text, either way; ties keep the ranking's order, a missing figure goes last")
    func sorting() {
        let byName = Self.table.sorted(.init(column: "artist", ascending: true))
        #expect(byName.rows.map { $0[0].shown } == ["=HYPERLINK(\"http://x\")", "alpha\nbeta", "Zed, \"the\" band"])
        // Each row keeps its place in the ranking.
        #expect(byName.places == [2, 3, 1])
        let fewest = Self.table.sorted(.init(column: "sales", ascending: true))
        #expect(fewest.places == [2, 3, 1])
        let most = Self.table.sorted(.init(column: "sales", ascending: false))
        #expect(most.places == [1, 2, 3])
        for ascending in [true, false] {
            let median = Self.table.sorted(.init(column: "median", ascending: ascending))
            #expect(median.places == (ascending ? [1, 3, 2] : [3, 1, 2]))
        }
        #expect(Self.table.sorted(.init(column: "nothing", ascending: true)) == Self.table)
        #expect(Self.table.sorted(.init(column: "sales", ascending: true)).sort?.column == "sales")
    }

    @Test("CSV: a byte-order mark, CRLF, quoting where needed, plain figures, formulas neutralised, addresses")
    func csv() {
        let lines = Self.table.csv.split(separator: "\r\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "\u{FEFF}Rank,Artist,Bandcamp page,Sales,Median,Share")
        #expect(lines[1] == "1,\"Zed, \"\"the\"\" band\",https://zed.bandcamp.com,30,7.50,0.5")
        #expect(lines[2] == "2,\"'=HYPERLINK(\"\"http://x\"\")\",,20,,0.333333")
        #expect(lines[3] == "3,\"alpha\nbeta\",https://a.bandcamp.com,20,12.00,0.166667")
        #expect(lines.count == 5 && lines[4] == "")
        // Sorted, the CSV follows the page's order.
        let sorted = Self.table.sorted(.init(column: "sales", ascending: true)).csv
        #expect(sorted.split(separator: "\r\n")[1].hasPrefix("2,"))
    }

    @Test("figures in the CSV: no grouping, no exponent, at most six decimals, signs kept")
    func plainFigures() {
        let cases: [(Double, String)] = [
            (0, "0"), (0.1, "0.1"), (-2.5, "-2.5"), (1_234_567.125, "1234567.125"), (1e-9, "0"), (-1e-9, "0"),
            (0.0000015, "0.000002"), (42, "42"),
        ]
        for (value, text) in cases {
            let table = DataTable(
                id: "t", caption: "", columns: [.init("v", "V", numeric: true)], rows: [[.init("", .number(value))]],
                empty: "")
            #expect(table.csv == "\u{FEFF}V\r\n\(text)\r\n", "\(value)")
        }
        let nan = DataTable(
            id: "t", caption: "", columns: [.init("v", "V")], rows: [[.init("", .number(.nan))], [.change(.new)]],
            empty: "")
        #expect(nan.csv == "\u{FEFF}V\r\n\r\n\r\n")
        #expect(DataTable.Cell.change(.relative(0.25)).value == .number(0.25))
        #expect(DataTable.Cell.change(.relative(-0.1)).direction == .down)
    }
}
