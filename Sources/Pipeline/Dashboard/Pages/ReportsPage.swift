import Adapters
import Tracker

/// The PDFs the report function stored: every daily report and every analysis, newest first, each a link that
/// downloads it (from S3 by a presigned link, or from this machine's folder).
struct ReportsPage: TablePage {
    var files: [(file: ReportFile, bytes: Int)]
    /// Objects under `reports/` that are no report (named as nothing the report function writes).
    var others: Int

    static func fetch(_ store: any ObjectStore) async throws -> ReportsPage {
        var files: [(file: ReportFile, bytes: Int)] = []
        var others = 0
        for object in try await store.listAll(prefix: "reports/") {
            if let file = ReportFile(key: object.key) {
                files.append((file, object.size))
            } else {
                others += 1
            }
        }
        return ReportsPage(files: files.sorted { $0.file < $1.file }, others: others)
    }

    /// The dashboard's address of a file's download.
    static func link(_ file: ReportFile) -> String { "/" + file.key }

    var tables: [DataTable] {
        let daily = files.filter { if case .daily = $0.file { true } else { false } }
        let analyses = files.filter { if case .analysis = $0.file { true } else { false } }
        return [
            Self.table(
                "daily", daily, caption: "The day's report as mailed: who broke out, then the day's figures",
                empty: "No daily report yet: the report function writes one each morning at 06:00 UTC."),
            Self.table(
                "analyses", analyses, caption: "Sales analyses of a range of days",
                empty: """
                    No analysis yet. The report function writes one for any range it is asked for: \
                    {"command": "analysis", "from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}.
                    """),
        ]
    }

    func render(_ view: TableView) -> HTML {
        let tables = tables
        var html: HTML = "<h1>Reports</h1>\n"
        html += PageParts.panel("Daily reports", view.html(tables.named("daily")))
        html += PageParts.panel("Analyses", view.html(tables.named("analyses")))
        if others > 0 {
            html +=
                "<p class=\"detail\">\(others) other files under reports/ are not listed: their names are no report's.</p>\n"
        }
        return html
    }

    private static func table(
        _ id: String, _ rows: [(file: ReportFile, bytes: Int)], caption: String, empty: String
    ) -> DataTable {
        DataTable(
            id: id, caption: caption,
            columns: [.init("covers", "Covers"), .init("size", "Size (KB)", numeric: true)],
            rows: rows.map { [.text($0.file.title, link: link($0.file)), .count(($0.bytes + 1023) / 1024)] },
            empty: empty)
    }
}
