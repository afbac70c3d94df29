import ReadModel
import Tracker

/// The artists and genres alerts were raised for in the range, strongest first: one card each (as the overview's
/// "Rising now" shows them) with every alert behind it, the statistics in words and figures.
struct AlertsPage: TablePage {
    var filter: DashboardFilter
    var breakouts: [Breakout]
    /// Subscribers told of each alert, by its id.
    var told: [Int64: Int]

    static func fetch(_ query: DashboardQuery, _ filter: DashboardFilter, now: Int64) async throws -> AlertsPage {
        let found = try await query.alertBreakouts(filter, now: now)
        return AlertsPage(filter: filter, breakouts: found.breakouts, told: found.told)
    }

    var tables: [DataTable] {
        breakouts.enumerated().map { index, breakout in
            let alerts = breakout.alerts.sorted {
                ($0.evaluatedAt, $0.windowHours) > ($1.evaluatedAt, $1.windowHours)
            }
            return DataTable(
                id: "alerts-\(index + 1)", caption: "\(breakout.name): every alert, latest first",
                columns: [
                    .init("when", "When"), .init("over", "Over"), .init("sold", "Sold", numeric: true),
                    .init("before", "Before /day", numeric: true, secondary: true),
                    .init("now", "Now /day", numeric: true, secondary: true), .init("rise", "Rise", numeric: true),
                    .init("bound", "At least", numeric: true, secondary: true), .init("sure", "How sure"),
                    .init("q", "q", numeric: true, secondary: true),
                    .init("told", "Told", numeric: true, secondary: true),
                ],
                rows: alerts.map { alert in
                    let signal = alert.signal
                    return [
                        .text(Format.timestamp(alert.evaluatedAt)),
                        .text(Breakout.span(alert.windowHours) + (signal.kind == .emerging ? " · emerging" : "")),
                        .count(signal.current), .decimal(signal.perDayBefore, places: 1),
                        .decimal(signal.perDayNow, places: 1),
                        DataTable.Cell(Breakout.times(signal.estimate), .number(signal.estimate)),
                        DataTable.Cell(Breakout.times(signal.lowerBound), .number(signal.lowerBound)),
                        .text(Breakout.certainty(alert)),
                        DataTable.Cell(Breakout.q(Breakout.q(alert)), .number(Breakout.q(alert))),
                        .count(told[alert.id] ?? 0),
                    ]
                }, empty: "No alert.")
        }
    }

    func render(_ view: TableView) -> HTML {
        let tables = tables
        var html: HTML = "<h1>Alerts</h1>\n"
        guard !breakouts.isEmpty else {
            let narrowed = filter.genre != nil || filter.artist != nil ? " for this genre or artist" : ""
            return html + "<p class=\"empty\">No alert was raised in this range\(narrowed).</p>\n"
        }
        let found = breakouts.count == 1 ? "1 artist or genre" : "\(Format.count(breakouts.count)) artists and genres"
        html += """
            <p class="scope">\(found) found rising in the range, strongest first. Rise: the share of all of Bandcamp's \
            sales against the share in the four weeks before, allowing for chance; at least: its lower bound with 95% \
            confidence. How sure: the false discovery rate across every artist (or genre) tested, in the window and \
            in the one a day earlier, where the rise had to hold too.</p>
            <div class="risers alerts">
            """
        for (index, breakout) in breakouts.enumerated() {
            let count = Format.count(breakout.alerts.count, "alert", "alerts")
            let history: HTML = """
                <details\(filter.artist != nil || filter.genre != nil ? " open" : "")><summary>\(count)</summary>\
                \(view.html(tables.named("alerts-\(index + 1)"), tableClass: "history"))</details>
                """
            html += RisingPanel.card(breakout, filter, more: history)
        }
        return html + "</div>\n"
    }
}
