import ReadModel
import Tracker

/// The artists and genres alerts were raised for in the range, strongest first: one card each (as the overview's
/// "Rising now" shows them) with every alert behind it, the statistics in words and figures.
struct AlertsPage {
    var filter: DashboardFilter
    var breakouts: [Breakout]
    /// Subscribers told of each alert, by its id.
    var told: [Int64: Int]

    static func fetch(_ query: DashboardQuery, _ filter: DashboardFilter, now: Int64) async throws -> AlertsPage {
        let found = try await query.alertBreakouts(filter, now: now)
        return AlertsPage(filter: filter, breakouts: found.breakouts, told: found.told)
    }

    func render() -> HTML {
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
        for breakout in breakouts {
            html += RisingPanel.card(breakout, filter, more: history(breakout))
        }
        return html + "</div>\n"
    }

    /// Every alert of a breakout, latest first.
    func history(_ breakout: Breakout) -> HTML {
        var rows = HTML()
        for alert in breakout.alerts.sorted(by: { ($0.evaluatedAt, $0.windowHours) > ($1.evaluatedAt, $1.windowHours) })
        {
            let signal = alert.signal
            rows += """
                <tr><td>\(Format.timestamp(alert.evaluatedAt))</td><td>\(Breakout.span(alert.windowHours))\
                \(signal.kind == .emerging ? " · emerging" : "")</td>\
                <td class="num">\(Format.count(signal.current))</td>\
                <td class="num">\(Format.decimal(signal.perDayBefore, places: 1)) → \
                \(Format.decimal(signal.perDayNow, places: 1))</td>\
                <td class="num">\(Breakout.times(signal.estimate)) (≥ \(Breakout.times(signal.lowerBound)))</td>\
                <td>\(Breakout.certainty(alert)) (q \(Breakout.q(Breakout.q(alert))))</td>\
                <td class="num">\(told[alert.id] ?? 0)</td></tr>

                """
        }
        return """
            <details\(filter.artist != nil || filter.genre != nil ? " open" : "")><summary>\
            \(breakout.alerts.count == 1 ? "1 alert" : "\(breakout.alerts.count) alerts")</summary>\
            <div class="scroll"><table class="history"><thead><tr><th>When</th><th>Over</th><th class="num">Sold</th>\
            <th class="num">A day, before → now</th><th class="num">Rise (at least)</th><th>How sure</th>\
            <th class="num">Told</th></tr></thead><tbody>
            \(rows)</tbody></table></div></details>
            """
    }
}
