import ReadModel
import Tracker

/// The alerts raised in the range (for a genre or artist filter, theirs), latest first.
struct AlertsPage {
    var filter: DashboardFilter
    var alerts: [AlertRow]

    static func fetch(_ query: DashboardQuery, _ filter: DashboardFilter) async throws -> AlertsPage {
        AlertsPage(filter: filter, alerts: try await query.alerts(filter))
    }

    func render() -> HTML {
        let filter = filter
        let html: HTML = "<h1>Alerts</h1>\n"
        guard !alerts.isEmpty else {
            let narrowed = filter.genre != nil || filter.artist != nil ? " for this genre or artist" : ""
            return html + "<p class=\"empty\">No alert was raised in this range\(narrowed).</p>\n"
        }
        var rows = HTML()
        for alert in alerts {
            let link =
                alert.entityType == .genre
                ? alert.key.map { key in filter.link("/genres") { $0.genre = key } }
                : filter.link("/artists") { $0.artist = alert.entityID }
            let name: HTML = link.map { "<a href=\"\($0)\">\(alert.name)</a>" } ?? "\(alert.name)"
            rows += """
                <tr><td>\(Format.timestamp(alert.evaluatedAt))</td><td>\(name)<span class="detail">\
                \(alert.entityType.rawValue) · \(alert.rule)</span></td><td>\(alert.kind.rawValue)</td>\
                <td class="num">\(Format.count(alert.current))</td><td class="num">\(Format.count(alert.baseline))</td>\
                <td class="num">\(Format.decimal(alert.perDayBefore, places: 1)) → \
                \(Format.decimal(alert.perDayNow, places: 1))</td>\
                <td class="num">×\(Format.decimal(alert.estimate, places: 2)) (≥ ×\
                \(Format.decimal(alert.lowerBound, places: 2)))</td>\
                <td class="num">\(Format.decimal(alert.qValue, places: 4))</td>\
                <td class="num">\(alert.sent)</td></tr>

                """
        }
        return html
            + PageParts.panel(
                "Recent alerts",
                """
                <div class="scroll"><table><caption>Latest first, up to 100. Sales in the recent window and the \
                baseline; the rate a day before and now; the rise (estimated ratio of shares, with its lower bound); q: \
                the false discovery rate; sent: subscribers told.</caption><thead><tr><th>When</th><th>What</th>\
                <th>Kind</th><th class="num">Now</th><th class="num">Baseline</th><th class="num">Per day</th>\
                <th class="num">Rise</th><th class="num">q</th><th class="num">Sent</th></tr></thead><tbody>
                \(rows)</tbody></table></div>

                """)
    }
}
