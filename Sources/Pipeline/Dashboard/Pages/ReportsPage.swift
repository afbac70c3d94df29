import Adapters
import Tracker

/// The PDFs the report function stored: every daily report and every analysis, newest first, each a link that
/// downloads it (from S3 by a presigned link, or from this machine's folder).
struct ReportsPage {
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

    func render() -> HTML {
        var html: HTML = "<h1>Reports</h1>\n"
        let daily = files.filter { if case .daily = $0.file { true } else { false } }
        let analyses = files.filter { if case .analysis = $0.file { true } else { false } }
        html += PageParts.panel(
            "Daily reports",
            daily.isEmpty
                ? "<p class=\"empty\">No daily report yet: the report function writes one each morning at 06:00 UTC.</p>"
                : table(daily, caption: "The day's report as mailed: who broke out, then the day's figures."))
        html += PageParts.panel(
            "Analyses",
            analyses.isEmpty
                ? """
                <p class="empty">No analysis yet. The report function writes one for any range it is asked for: \
                {"command": "analysis", "from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}.</p>
                """
                : table(analyses, caption: "Sales analyses of a range of days."))
        if others > 0 {
            html +=
                "<p class=\"detail\">\(others) other files under reports/ are not listed: their names are no report's.</p>\n"
        }
        return html
    }

    private func table(_ rows: [(file: ReportFile, bytes: Int)], caption: String) -> HTML {
        var body = HTML()
        for (file, bytes) in rows {
            body += """
                <tr><td><a href="\(Self.link(file))">\(file.title)</a></td>\
                <td class="num">\(Format.count((bytes + 1023) / 1024)) KB</td></tr>
                """
        }
        return """
            <div class="scroll"><table><caption>\(caption)</caption><thead><tr><th scope="col">Covers</th>\
            <th scope="col" class="num">Size</th></tr></thead><tbody>\(body)</tbody></table></div>

            """
    }
}
