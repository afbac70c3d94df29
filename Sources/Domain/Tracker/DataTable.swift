/// A table people read on a page and take away as CSV: its columns, its rows in the order they were ranked, and
/// a sort by any column. The page and the download are made from the same rows, so they cannot disagree.
public struct DataTable: Sendable, Equatable {
    /// A column: its key (in sort links), its title (on the page and in the CSV's header), and whether it holds
    /// figures (right-aligned, sorted largest first).
    public struct Column: Sendable, Equatable {
        public var key: String
        public var title: String
        public var numeric: Bool
        /// The title of a second CSV column holding each cell's web address (a Bandcamp page), if any.
        public var addressTitle: String?
        /// Whether a phone's narrow screen may leave it out (it is always in the CSV).
        public var secondary: Bool

        public init(
            _ key: String, _ title: String, numeric: Bool = false, addressTitle: String? = nil, secondary: Bool = false
        ) {
            self.key = key
            self.title = title
            self.numeric = numeric
            self.addressTitle = addressTitle
            self.secondary = secondary
        }
    }

    /// What a cell holds, as sorted and as written to CSV.
    public enum Value: Sendable, Equatable {
        case text(String)
        case integer(Int)
        /// Exact decimal text, as PostgreSQL gave it (`1234.50`).
        case decimal(String)
        /// A figure worked out here (a share, a ratio).
        case number(Double)
        /// No figure (a change from nothing, a median of no sale).
        case missing
    }

    /// One cell: what the page shows, what it is, and what goes around it.
    public struct Cell: Sendable, Equatable {
        public var shown: String
        public var value: Value
        /// Where the shown text links on the page (another dashboard page, or the Bandcamp page).
        public var link: String?
        /// The Bandcamp address the CSV gives beside it.
        public var address: String?
        /// A second, smaller line (an artist's page host, a release's artist).
        public var detail: String?
        /// A bar behind the cell, as a share of the largest (0 to 1).
        public var meter: Double?
        /// The colour of a change.
        public var direction: Change.Direction?

        public init(
            _ shown: String, _ value: Value, link: String? = nil, address: String? = nil, detail: String? = nil,
            meter: Double? = nil, direction: Change.Direction? = nil
        ) {
            self.shown = shown
            self.value = value
            self.link = link
            self.address = address
            self.detail = detail
            self.meter = meter
            self.direction = direction
        }

        /// Text, shown as it is.
        public static func text(_ text: String, link: String? = nil, address: String? = nil, detail: String? = nil)
            -> Cell
        {
            Cell(text, .text(text), link: link, address: address, detail: detail)
        }

        /// A count: `12,345`.
        public static func count(_ value: Int) -> Cell { Cell(Format.count(value), .integer(value)) }

        /// A figure with a fixed count of decimals, after a prefix (`×2.50`); a dash when there is none.
        public static func decimal(_ value: Double?, places: Int, prefix: String = "") -> Cell {
            value.map { Cell(prefix + Format.decimal($0, places: places), .number($0)) } ?? Cell("—", .missing)
        }

        /// Dollars: `$1,234.50`.
        public static func usd(_ money: Money) -> Cell { Cell(Format.usd(money), .decimal(money.text)) }

        /// Dollars or a dash.
        public static func usd(_ money: Money?) -> Cell { money.map(usd) ?? Cell("—", .missing) }

        /// A share: `12.3%` (0.123 in the CSV).
        public static func percent(_ share: Double?) -> Cell {
            share.map { Cell(Format.percent($0), .number($0)) } ?? Cell("—", .missing)
        }

        /// A change against the period before: `+12.3%` (0.123 in the CSV), `new` (no figure), coloured; a dash
        /// when the period before is not wholly loaded (the page says so once, not in every row).
        public static func change(_ change: Change) -> Cell {
            if case .notComparable = change { return Cell("—", .missing) }
            let value: Value =
                switch change {
                case .relative(let ratio): .number(ratio)
                case .points(let points): .number(points)
                case .new, .none, .notComparable: .missing
                }
            return Cell(Format.change(change), value, direction: change.direction)
        }

        /// A day: `2026-11-20`.
        public static func day(_ day: CalendarDay) -> Cell { Cell(day.iso, .text(day.iso)) }
    }

    /// Which column a table is sorted by, and which way.
    public struct Sort: Sendable, Equatable {
        public var column: String
        public var ascending: Bool

        public init(column: String, ascending: Bool) {
            self.column = column
            self.ascending = ascending
        }
    }

    /// The table's name on its page (in its sort and download links): `artists`, `movers-artists`.
    public var id: String
    public var caption: String
    public var columns: [Column]
    public var rows: [[Cell]]
    /// What the page says when there is no row.
    public var empty: String
    /// Whether each row shows its place in the ranking the rows came in (`#`; kept when sorted otherwise).
    public var numbered: Bool
    /// The sort applied, if any (the rows' own order otherwise).
    public private(set) var sort: Sort?
    /// Each row's place in the ranking the rows came in, 1 first.
    public private(set) var places: [Int]

    public init(
        id: String, caption: String, columns: [Column], rows: [[Cell]], empty: String, numbered: Bool = false
    ) {
        precondition(rows.allSatisfy { $0.count == columns.count }, "a row of \(id) does not fit its columns")
        self.id = id
        self.caption = caption
        self.columns = columns
        self.rows = rows
        self.empty = empty
        self.numbered = numbered
        self.places = rows.indices.map { $0 + 1 }
    }

    /// The same table sorted by a column (a key no column has leaves it as it is). Rows that tie keep their order;
    /// a cell without a figure goes last whichever way.
    public func sorted(_ sort: Sort?) -> DataTable {
        guard let sort, let index = columns.firstIndex(where: { $0.key == sort.column }) else { return self }
        var table = self
        let order = rows.indices.sorted { left, right in
            switch Self.compare(rows[left][index].value, rows[right][index].value) {
            case .some(let less): return sort.ascending ? less : !less
            case .none:
                // Equal, or not comparable (missing): missing last, then the ranking's order.
                let leftMissing = rows[left][index].value == .missing
                let rightMissing = rows[right][index].value == .missing
                if leftMissing != rightMissing { return rightMissing }
                return left < right
            }
        }
        table.rows = order.map { rows[$0] }
        table.places = order.map { places[$0] }
        table.sort = sort
        return table
    }

    /// Whether `left` comes before `right` in ascending order; nil when they are equal or either has no figure.
    static func compare(_ left: Value, _ right: Value) -> Bool? {
        switch (left.sortKey, right.sortKey) {
        case (.number(let a), .number(let b)): return a == b ? nil : a < b
        case (.text(let a), .text(let b)): return a == b ? nil : a < b
        case (.number, .text): return true
        case (.text, .number): return false
        default: return nil
        }
    }

    /// Which way a column sorts first: figures largest first, text from A.
    public func firstSort(_ column: Column) -> Sort { Sort(column: column.key, ascending: !column.numeric) }
}

extension DataTable.Value {
    /// What it sorts by: a number, folded text, or nothing.
    enum SortKey {
        case number(Double)
        case text(String)
        case missing
    }

    var sortKey: SortKey {
        switch self {
        case .text(let text): .text(text.lowercased())
        case .integer(let value): .number(Double(value))
        case .decimal(let text): Double(text).map { .number($0) } ?? .text(text)
        case .number(let value): value.isNaN ? .missing : .number(value)
        case .missing: .missing
        }
    }
}
