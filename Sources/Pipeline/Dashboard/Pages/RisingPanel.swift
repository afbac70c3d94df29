import ReadModel
import Tracker
import Trends

/// "Rising now": the artists and genres the hourly checks found rising in the 24 hours to the range's end, one
/// card each, in plain words with a bar a day of their last 30 days; or why there is none.
struct RisingPanel {
    var breakouts: [Breakout]
    /// Evaluations of the trend rules in those 24 hours.
    var evaluations: Int
    /// The end of those 24 hours, seconds since 1970.
    var through: Int64
    var filter: DashboardFilter

    /// The 24 hours the panel shows: to the range's end, or to now when the range ends later.
    static func span(_ filter: DashboardFilter, now: Int64) -> (after: Int64, through: Int64) {
        let through = min(filter.to.end, now - now % 3600)
        return (through - 86_400, through)
    }

    func render() -> HTML {
        var html: HTML = "<section class=\"panel rising\"><h2>Rising now</h2>\n"
        let when = Format.timestamp(through)
        guard !breakouts.isEmpty else {
            html +=
                evaluations == 0
                ? "<p class=\"empty\">The trend rules have not run in the 24 hours to \(when): nothing to tell yet.</p>"
                : "<p class=\"empty\">No artist or genre rose beyond chance in the \(evaluations) hourly checks of the "
                    + "24 hours to \(when).</p>"
            return html + "</section>\n"
        }
        html += """
            <p class="scope">Found by the hourly checks in the 24 hours to \(when), strongest first: the multiplier \
            is the share of all of Bandcamp's sales against its usual share. Bars: items sold a day.</p>
            <div class="risers">
            """
        for breakout in breakouts { html += Self.card(breakout, filter) }
        return html + "</div></section>\n"
    }

    /// A breakout's card: what it is, its multiplier and how sure, what sold against what is usual, its days,
    /// what sells and where, and links to its alerts and its Bandcamp page; `more` (its history) at the end.
    static func card(_ breakout: Breakout, _ filter: DashboardFilter, more: HTML = "") -> HTML {
        /// A page of the dashboard narrowed to the breakout's artist or genre.
        func narrowed(_ path: String) -> String {
            filter.link(path) {
                if breakout.entityType == .artist {
                    $0.artist = breakout.entityID
                } else {
                    $0.genre = breakout.genreKey
                }
            }
        }
        let link = narrowed(breakout.entityType == .artist ? "/artists" : "/genres")
        let alerts = narrowed("/alerts")
        let facts = [breakout.selling, breakout.buyers].compactMap { $0 }.joined(separator: " · ")
        return """
            <div class="riser\(breakout.emerging ? " emerging" : "")">\
            <div class="kind">\(breakout.label) · \(breakout.spans)</div>\
            <div class="name"><a href="\(link)">\(breakout.name)</a> <span class="times">\(breakout.multiplier)\
            </span> <span class="detail">\(breakout.certainty)</span></div>\
            <div>\(breakout.headline)</div>\(Self.spark(breakout.daily, name: breakout.name))\
            <div class="detail">\(breakout.dailyShortCaption). \(facts)</div>\
            <div class="detail">\(more.isEmpty ? HTML("<a href=\"\(alerts)\">How sure, and why</a> · ") : "")\
            <a href="\(breakout.url)">On Bandcamp</a></div>\(more)</div>

            """
    }

    /// A bar a day as inline SVG, the last in the accent colour, each with its count as a tooltip.
    static func spark(_ daily: [Int], name: String) -> HTML {
        guard !daily.isEmpty else { return "" }
        let peak = Double(max(1, daily.max() ?? 1))
        let step = 240.0 / Double(daily.count)
        var svg: HTML = """
            <svg class="spark" viewBox="0 0 240 32" role="img" aria-label="\(name): items sold a day, \
            last \(daily.count) days"><line x1="0" x2="240" y1="31.5" y2="31.5" class="grid"/>
            """
        for (index, count) in daily.enumerated() {
            let height = count == 0 ? 0 : max(1.5, 30 * Double(count) / peak)
            let back = daily.count - 1 - index
            let when = back == 0 ? "last day" : back == 1 ? "the day before" : "\(back) days before"
            svg += """
                <rect x="\(Charts.fixed(Double(index) * step + 0.5))" y="\(Charts.fixed(31 - height))" \
                width="\(Charts.fixed(max(step - 1.5, 1)))" height="\(Charts.fixed(max(height, 0.01)))" \
                class="\(back == 0 ? "bar last" : "bar")"><title>\(when): \(count)</title></rect>
                """
        }
        return svg + "</svg>"
    }
}
