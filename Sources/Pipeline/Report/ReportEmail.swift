import Adapters
import ReadModel
import Tracker

/// The daily report's email: the day's headline figures, leading artists and genres, and how complete the
/// data is, as HTML (every value escaped) and as plain text, with the PDF attached.
public struct ReportEmail: Sendable {
    /// The sender.
    public var from: String
    /// The base of the unsubscribe link (`https://…/unsubscribe`), when there is a page that serves it.
    public var unsubscribeBase: String?
    /// The dashboard's address (no trailing slash), for links to each riser's statistics and to the dashboard.
    public var dashboardBase: String?

    public init(from: String, unsubscribeBase: String?, dashboardBase: String? = nil) {
        self.from = from
        self.unsubscribeBase = unsubscribeBase
        self.dashboardBase = dashboardBase
    }

    /// A change's colour, as the PDF's: green up, red down, grey for none or not comparable.
    static func colour(_ change: Change) -> String {
        switch change.direction {
        case .up: "#17803d"
        case .down: "#b42318"
        case .flat: "#5f6b7a"
        }
    }

    /// The dashboard page of a breakout's alerts, when the dashboard's address is known.
    func more(_ breakout: Breakout) -> String? {
        dashboardBase.map { $0 + breakout.alertsPath }
    }

    /// The subject line.
    public func subject(_ report: DailyReport) -> String {
        let day = report.summary
        let rising = report.breakouts.prefix(2).map { "\($0.name) (\($0.multiplier))" }
        let more = report.breakouts.count > 2 ? " and \(report.breakouts.count - 2) more" : ""
        return (rising.isEmpty ? "" : "Rising: " + rising.joined(separator: ", ") + more + " · ")
            + "Bandcamp sales, \(report.day.short) \(report.day.parts.year): "
            + (report.isEmpty ? "no sales" : "\(Format.count(day.sales)) items, \(Format.usd(day.revenueUSD))")
    }

    /// The message to one subscriber.
    public func message(_ report: DailyReport, pdf: [UInt8], pages: Int, to address: String, token: String)
        -> EmailMessage
    {
        let (unsubscribe, headers) = EmailMessage.unsubscribe(base: unsubscribeBase, token: token)
        return EmailMessage(
            from: from, to: [address], subject: subject(report),
            text: text(report, pages: pages, to: address, unsubscribe: unsubscribe),
            html: html(report, pages: pages, to: address, unsubscribe: unsubscribe),
            attachments: [
                EmailAttachment(
                    filename: "bandcamp-sales-\(report.day.iso).pdf", contentType: "application/pdf", data: pdf)
            ], headers: headers)
    }

    private func coverageSentence(_ report: DailyReport) -> String? {
        let coverage = report.coverage
        guard coverage.missingSeconds > 0 else { return nil }
        return coverage.windows == 0
            ? "No window of the sales feed was loaded for this day."
            : "The loaded feed covers \(Format.percent(coverage.fraction)) of the day "
                + "(\(Format.duration(coverage.missingSeconds)) missing); sales in the gaps are not counted."
    }

    func html(_ report: DailyReport, pages: Int, to address: String, unsubscribe: String?) -> HTML {
        var out = EmailPage.open(title: subject(report), label: "DAILY REPORT", heading: report.day.long)
        out += "<div style=\"padding:18px 26px\">\n"
        if let sentence = coverageSentence(report) {
            out += """
                <p style="background:#fff4e0;border-left:3px solid #e09a1f;padding:8px 12px;font-size:13px">\
                \(sentence)</p>

                """
        }
        out += "<h3 style=\"font-size:15px;margin:6px 0 4px\">Breaking out</h3>\n"
        if report.breakouts.isEmpty {
            out += "<p style=\"font-size:13px\">\(Breakout.quiet(evaluations: report.evaluations))</p>\n"
        }
        for (index, breakout) in report.breakouts.enumerated() {
            out += breakout.mailHTML(more: more(breakout), first: index == 0)
        }
        if report.isEmpty {
            out += "<p>No sale was recorded for this day.</p>\n"
        } else {
            out += """
                <h3 style="font-size:15px;margin:20px 0 6px">The day in figures</h3>
                <table style="width:100%;border-collapse:collapse;font-size:13px">
                <tr style="color:#5f6b7a;font-size:11px;text-align:right"><th style="text-align:left;padding:4px 0">\
                </th><th>\(report.day.short)</th><th>vs \(report.previousDay.day.short)</th>\
                <th>vs \(report.weekEarlier.day.short)</th></tr>

                """
            for figure in report.headlines {
                out += """
                    <tr style="border-top:1px solid #e8ebef"><td style="padding:5px 0">\(figure.label)</td>\
                    <td style="text-align:right;font-weight:bold">\(figure.value)</td>\
                    <td style="text-align:right;color:\(Self.colour(figure.versusDayBefore))">\
                    \(Format.change(figure.versusDayBefore))</td>\
                    <td style="text-align:right;color:\(Self.colour(figure.versusWeekEarlier))">\
                    \(Format.change(figure.versusWeekEarlier))</td></tr>

                    """
            }
            out += "</table>\n"
            out += list("Top artists by revenue", report.artistsByRevenue.prefix(5), withDetail: false)
            out += list(
                "Top releases by revenue", report.releasesByRevenue.prefix(5), withDetail: true)
            if !report.genres.isEmpty {
                out +=
                    "<h3 style=\"font-size:15px;margin:20px 0 6px\">Leading genres</h3>\n<p style=\"font-size:13px\">"
                out += report.genres.prefix(6).map { "\($0.name) (\(Format.count($0.sales)))" as HTML }.joined(
                    separator: " · ")
                out += "</p>\n"
            }
        }
        out += """
            <p style="font-size:13px;margin-top:20px">The full report is attached (PDF, \(pages) \
            \(pages == 1 ? "page" : "pages")): hours, formats, releases, genres and buyer countries.</p>

            """
        if let dashboardBase {
            out += """
                <p style="font-size:13px"><a href="\(dashboardBase)/?from=\(report.day.adding(days: -29).iso)&amp;\
                to=\(report.day.iso)" style="color:#1a7fa0">Open the dashboard</a> for the 30 days to \(report.day.short).</p>

                """
        }
        out += """
            </div>

            """
        return out
            + EmailPage.close(
                note: "Sent to \(address) by bandcamp-tracker, from Bandcamp's public sales feed. Times are UTC.",
                unsubscribe: unsubscribe)
    }

    /// A ranking as a list of links to Bandcamp; a release's name followed by its artist (`withDetail`).
    private func list(_ title: String, _ entries: ArraySlice<Ranked>, withDetail: Bool) -> HTML {
        guard !entries.isEmpty else { return "" }
        var out: HTML = "<h3 style=\"font-size:15px;margin:20px 0 6px\">\(title)</h3>\n<ol style=\"font-size:13px\">\n"
        for entry in entries {
            let name = withDetail ? "\(entry.name) · \(entry.detail)" : entry.name
            let shown: HTML =
                entry.url.hasPrefix("https://") || entry.url.hasPrefix("http://")
                ? "<a href=\"\(entry.url)\" style=\"color:#0e3a4a\">\(name)</a>" : "\(name)"
            out += "<li>\(shown): \(Format.usd(entry.revenueUSD)), \(Format.count(entry.sales)) items</li>\n"
        }
        return out + "</ol>\n"
    }

    func text(_ report: DailyReport, pages: Int, to address: String, unsubscribe: String?) -> String {
        var lines = ["Bandcamp sales, \(report.day.long) (UTC)", ""]
        if let sentence = coverageSentence(report) { lines += [sentence, ""] }
        lines += ["BREAKING OUT", ""]
        if report.breakouts.isEmpty { lines += [Breakout.quiet(evaluations: report.evaluations), ""] }
        for breakout in report.breakouts { lines += breakout.mailText(more: more(breakout)) + [""] }
        if report.isEmpty {
            lines.append("No sale was recorded for this day.")
        } else {
            for figure in report.headlines {
                lines.append(
                    "\(figure.label): \(figure.value) (\(Format.change(figure.versusDayBefore)) vs "
                        + "\(report.previousDay.day.short), \(Format.change(figure.versusWeekEarlier)) vs "
                        + "\(report.weekEarlier.day.short))")
            }
            lines += ["", "Top artists by revenue:"]
            for (index, artist) in report.artistsByRevenue.prefix(5).enumerated() {
                lines.append("\(index + 1). \(artist.name): \(Format.usd(artist.revenueUSD)), \(artist.sales) items")
            }
        }
        lines += ["", "The full report is attached (PDF, \(pages) \(pages == 1 ? "page" : "pages")).", ""]
        lines.append("Sent to \(address) by bandcamp-tracker.")
        if let unsubscribe { lines.append("Unsubscribe: \(unsubscribe)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
