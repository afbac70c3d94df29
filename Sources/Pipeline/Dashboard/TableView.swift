import LambdaEvents
import Tracker

/// How a page's tables are shown: sorted as the address asks (`sort=TABLE.COLUMN`, `order=asc|desc`), each
/// header a link that sorts by it, and a link under each table to the same rows as CSV (`csv=TABLE`). Links keep
/// the rest of the address (the filter, a search, the page's own choices), so a download is what the page shows.
struct TableView {
    /// The page's path.
    var path: String
    /// The address's query pairs, without the sort and download ones.
    var query: [(name: String, value: String)]
    /// The table sorted, and how.
    var sort: (table: String, sort: DataTable.Sort)?

    static let parameters: Set<String> = ["sort", "order", "csv"]

    init(path: String, query: [(name: String, value: String)]) {
        self.path = path
        self.query = query.filter { !Self.parameters.contains($0.name) }
        let value = { (name: String) in query.last { $0.name == name }?.value }
        if let sort = value("sort"), let dot = sort.firstIndex(of: ".") {
            let ascending = value("order").map { $0 == "asc" } ?? false
            self.sort = (
                String(sort[..<dot]),
                DataTable.Sort(column: String(sort[sort.index(after: dot)...]), ascending: ascending)
            )
        }
    }

    /// The table of the page that a download names, if any.
    static func requested(_ query: [(name: String, value: String)]) -> String? {
        query.last { $0.name == "csv" }?.value
    }

    /// The table as the address sorts it.
    func sorted(_ table: DataTable) -> DataTable {
        guard let sort, sort.table == table.id else { return table }
        return table.sorted(sort.sort)
    }

    /// A link to this page with other query pairs added.
    func link(_ extra: [(String, String)]) -> String {
        let encoded = Form.encode(query.filter { !$0.value.isEmpty }.map { ($0.name, $0.value) } + extra)
        return encoded.isEmpty ? path : path + "?" + encoded
    }

    /// The download's file name: the table, and the range when the address has one.
    func filename(_ table: DataTable) -> String {
        let range = ["from", "to"].compactMap { name in query.last { $0.name == name }?.value }
            .filter { CalendarDay(iso: $0) != nil }
        return (["bandcamp-tracker", table.id] + range).joined(separator: "-") + ".csv"
    }

    /// The table: caption with its download link, headers that sort, a row per row.
    func html(_ table: DataTable, tableClass: String? = nil) -> HTML {
        guard !table.rows.isEmpty else { return "<p class=\"empty\">\(table.empty)</p>\n" }
        let table = sorted(table)
        let classes: HTML = (tableClass ?? (table.numbered ? "ranking" : nil)).map { " class=\"\($0)\"" } ?? ""
        // The caption above the scrolling box, so that a phone shows it whole however wide the table is; both in
        // one box, which a grid places as one.
        var html: HTML = """
            <div class="data"><p class="caption" id="\(table.id)-caption">\(table.caption) \
            <a class="csv" href="\(link([("csv", table.id)]))" download>CSV</a></p>
            <div class="scroll"><table\(classes) id="\(table.id)" aria-describedby="\(table.id)-caption">
            <thead><tr>
            """
        if table.numbered { html += "<th scope=\"col\" class=\"rank\">#</th>" }
        for column in table.columns {
            let current = table.sort?.column == column.key ? table.sort : nil
            // A second press on the sorted column turns it round.
            let next =
                current.map { DataTable.Sort(column: $0.column, ascending: !$0.ascending) }
                ?? table.firstSort(column)
            let href = link([("sort", "\(table.id).\(column.key)"), ("order", next.ascending ? "asc" : "desc")])
            let numeric = Self.classes(column, [])
            let ariaSort: HTML = current.map { " aria-sort=\"\($0.ascending ? "ascending" : "descending")\"" } ?? ""
            let arrow: HTML = current.map { $0.ascending ? " ▲" : " ▼" } ?? ""
            html += """
                <th scope="col"\(numeric)\(ariaSort)><a class="sort" href="\(href)#\(table.id)">\(column.title)\(arrow)</a></th>
                """
        }
        html += "</tr></thead><tbody>\n"
        for (place, row) in zip(table.places, table.rows) {
            html += "<tr>"
            if table.numbered { html += "<td class=\"rank\">\(place)</td>" }
            for (column, cell) in zip(table.columns, row) {
                html += Self.cell(cell, column)
            }
            html += "</tr>\n"
        }
        return html + "</tbody></table></div></div>\n"
    }

    /// One cell: its text (a link where it has one), its second line, its bar, its colour.
    static func cell(_ cell: DataTable.Cell, _ column: DataTable.Column) -> HTML {
        let colour: [String] =
            switch cell.direction {
            case .up: ["up"]
            case .down: ["down"]
            case .flat, nil: []
            }
        let classAttribute = classes(column, colour)
        let shown: HTML = cell.link.map { "<a href=\"\($0)\">\(cell.shown)</a>" } ?? "\(cell.shown)"
        let detail: HTML = cell.detail.map { "<span class=\"detail\">\(Charts.breakable($0))</span>" } ?? ""
        let meter: HTML =
            cell.meter.map {
                "<span class=\"meter\" style=\"width:\(Charts.fixed(100 * min(max($0, 0), 1)))%\"></span>"
            }
            ?? ""
        return "<td\(classAttribute)>\(shown)\(detail)\(meter)</td>"
    }

    /// A cell's class attribute: figures aligned, columns a phone leaves out marked, and any more.
    static func classes(_ column: DataTable.Column, _ more: [String]) -> HTML {
        let classes = (column.numeric ? ["num"] : []) + (column.secondary ? ["opt"] : []) + more
        return classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\""
    }
}
