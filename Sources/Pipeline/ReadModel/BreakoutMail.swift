import Tracker
import Trends

/// How a breakout reads in an email: an HTML entry whose 30 days are a strip of bars mail clients draw (table
/// cells of fixed heights; no image, no script), and the same in plain text with a line of block characters.
extension Breakout {
    /// The HTML entry; `more` is a link to what stands behind it (the dashboard's statistics), when there is one.
    public func mailHTML(more: String? = nil, first: Bool = false) -> HTML {
        let colour = emerging ? "#2f9e44" : "#1a7fa0"
        var out: HTML = """
            <table role="presentation" style="width:100%;border-collapse:collapse;\
            \(first ? "" : "border-top:1px solid #e8ebef")"><tr>
            <td style="vertical-align:top;padding:12px 8px 12px 0">
            <div style="font-size:11px;font-weight:bold;color:\(colour)">\(label.uppercased()) · \(spans)</div>
            <div style="font-size:17px;font-weight:bold;margin:3px 0 5px">\
            <a href="\(url)" style="color:#0e3a4a;text-decoration:none">\(name)</a></div>
            <div style="font-size:13px;margin:2px 0">\(headline)</div>
            <div style="font-size:13px;margin:2px 0">\(rise)</div>

            """
        var facts: [HTML] = []
        if entityType == .artist, !lead.details.releases.isEmpty {
            // The releases as links to their pages, as `selling` names them.
            facts.append(
                "Selling "
                    + lead.details.releases.prefix(2).map { release -> HTML in
                        let title: HTML =
                            release.url.hasPrefix("https://")
                            ? "<a href=\"\(release.url)\" style=\"color:#5f6b7a\">\(release.title)</a>"
                            : "\(release.title)"
                        return title + " (\(Format.count(release.sales)))"
                    }.joined(separator: ", "))
        } else if let selling {
            facts.append("\(selling)")
        }
        if let buyers { facts.append("\(buyers)") }
        if !facts.isEmpty {
            out += "<div style=\"font-size:12px;color:#5f6b7a;margin:4px 0\">\(facts.joined(separator: " · "))</div>\n"
        }
        if let more {
            out += "<div style=\"font-size:12px;margin:4px 0\"><a href=\"\(more)\" style=\"color:#1a7fa0\">"
            out += "How sure, and why</a></div>\n"
        }
        out += """
            </td>
            <td style="vertical-align:top;text-align:right;width:128px;padding:12px 0">
            <div style="font-size:24px;font-weight:bold;color:\(colour)">\(multiplier)</div>
            <div style="font-size:10px;color:#5f6b7a;margin-bottom:6px">usual share · \(certainty)</div>
            \(strip())</td></tr></table>

            """
        return out
    }

    /// The days as bars 3 px wide and up to 28 px high, the last in the accent colour.
    func strip() -> HTML {
        guard !daily.isEmpty else { return "" }
        let peak = max(1, daily.max() ?? 1)
        var out: HTML = """
            <table role="presentation" cellpadding="0" cellspacing="0" style="border-collapse:collapse;\
            margin-left:auto" title="\(dailyCaption)"><tr>
            """
        for (index, count) in daily.enumerated() {
            let height = count == 0 ? 1 : max(2, Int((28 * Double(count) / Double(peak)).rounded()))
            let colour = count == 0 ? "#e8ebef" : index == daily.count - 1 ? "#1da0c3" : "#a8d8e8"
            out += """
                <td style="vertical-align:bottom;height:28px;padding:0 1px 0 0">\
                <div style="width:3px;height:\(height)px;background:\(colour);font-size:0;\
                line-height:0">&nbsp;</div></td>
                """
        }
        return out
            + "</tr></table>\n<div style=\"font-size:10px;color:#5f6b7a\">\(dailyShortCaption) · peak \(peak)</div>\n"
    }

    /// The entry in plain text.
    public func mailText(more: String? = nil) -> [String] {
        var lines = ["\(name): \(label.lowercased()), \(spans)"]
        lines += [headline, rise]
        lines += [selling, buyers].compactMap { $0 }
        if !daily.isEmpty { lines.append(dailyCaption + ": " + sparkline) }
        lines.append("Page: \(url)")
        if let more { lines.append("How sure, and why: \(more)") }
        return lines
    }

    /// The days as block characters, `▁▁▂▁█`.
    public var sparkline: String {
        let blocks = Array("▁▂▃▄▅▆▇█")
        let peak = max(1, daily.max() ?? 1)
        return String(daily.map { blocks[min(7, Int((7 * Double($0) / Double(peak)).rounded()))] })
    }
}
