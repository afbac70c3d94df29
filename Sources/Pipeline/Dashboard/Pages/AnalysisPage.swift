import Adapters
import ReadModel
import Tracker

/// Components' analysis of the filtered sales (digital and physical, overpayment, paid-to-price, countries,
/// currencies), with the datasets backfilled as ranges to pick.
struct AnalysisPage {
    var filter: DashboardFilter
    var analysis: SalesAnalysis
    var backfills: [BackfillRow]
    /// The stored PDF of this very range, when the report function has made one.
    var storedPDF: ReportFile?

    static func fetch(_ query: DashboardQuery, _ filter: DashboardFilter, reports: any ObjectStore) async throws
        -> AnalysisPage
    {
        let file = ReportFile.analysis(from: filter.from, to: filter.to)
        return AnalysisPage(
            filter: filter, analysis: try await query.analysis(filter), backfills: try await query.backfills(),
            storedPDF: try await reports.head(file.key) == nil ? nil : file)
    }

    func render() -> HTML {
        let filter = filter
        let o = analysis.overpayment
        var html: HTML = "<h1>Analysis</h1>\n"
        if !backfills.isEmpty {
            var items = HTML()
            for backfill in backfills {
                let span = backfill.first.flatMap { first in
                    backfill.last.map { (CalendarDay(containing: first), CalendarDay(containing: $0)) }
                }
                let link = span.map { span in
                    filter.link("/analysis") {
                        $0.from = span.0
                        $0.to = span.1
                    }
                }
                let label =
                    "\(backfill.key): \(Format.count(backfill.records)) rows, \(Format.count(backfill.inserted)) new sales"
                    + (span.map { ", \($0.0.iso) to \($0.1.iso)" } ?? "")
                    + (backfill.status == .loaded ? "" : " (\(backfill.status.rawValue))")
                let item: HTML = link.map { "<a href=\"\($0)\">\(label)</a>" } ?? "\(label)"
                items += "<li>\(item)</li>"
            }
            html +=
                "<p class=\"scope\">Datasets backfilled (links show their period):</p><ul class=\"scope\">\(items)</ul>\n"
        }
        guard analysis.sales > 0 else {
            return html + "<p class=\"empty\">No sales in this range.</p>\n"
        }
        html += PageParts.cards(
            [
                ("Sales", Format.count(analysis.sales), .none), ("Revenue", Format.usd(analysis.revenueUSD), .none),
                ("Digital", Format.percent(analysis.digitalShare), .none),
                ("Paid more than asked", o.paidMoreShare.map(Format.percent) ?? "—", .none),
                (
                    "Median paid ÷ price", analysis.medianRatio.map { Format.decimal($0, places: 2) + " ×" } ?? "—",
                    .none
                ),
                ("Currencies", Format.count(analysis.currencies.count), .none),
            ], compare: false)
        // Two panels a row on a desktop: the parts' tables have six columns.
        html += "<div class=\"grid wide\">"
        html += PageParts.panel("Digital, physical and bundles", partsTable(analysis.itemTypes, first: "Kind"))
        html += PageParts.panel(
            "Physical formats",
            analysis.physicalFormats.isEmpty
                ? "<p class=\"empty\">No physical items in this range.</p>\n"
                : partsTable(analysis.physicalFormats, first: "Format")
                    + "<p class=\"scope\">Read from the item's description; shares are of physical items.</p>")
        let share = { (part: Int, whole: Int) in whole > 0 ? Format.percent(Double(part) / Double(whole)) : "—" }
        var rows = HTML()
        for (label, value) in [
            ("Items with a price above 0", Format.count(o.priced)),
            ("… paid more than asked", "\(Format.count(o.paidMore)) (\(share(o.paidMore, o.priced)))"),
            ("… paid exactly the price", "\(Format.count(o.paidExactly)) (\(share(o.paidExactly, o.priced)))"),
            ("Paid above the prices, in all", Format.usd(o.overpaidUSD)),
            ("Mean overpayment of those who paid more", o.meanOverpaidUSD.map(Format.usd) ?? "—"),
            ("Items with no price (name your price)", Format.count(o.free)),
            ("… for which the buyer paid something", "\(Format.count(o.freePaid)) (\(share(o.freePaid, o.free)))"),
            ("… paying on average", o.freeMeanPaidUSD.map(Format.usd) ?? "—"),
        ] {
            rows += "<tr><td>\(label)</td><td class=\"num\">\(value)</td></tr>"
        }
        html += PageParts.panel("Paying more than asked", "<table><tbody>\(rows)</tbody></table>\n")
        html += PageParts.panel(
            "Paid-to-price ratio",
            Charts.bands(
                analysis.ratioBands,
                caption: "Items with a price above 0 by what was paid over the price; median "
                    + "\(analysis.medianRatio.map { Format.decimal($0, places: 2) } ?? "—") ×, 90th percentile "
                    + "\(analysis.ratio90.map { Format.decimal($0, places: 2) } ?? "—") ×"))
        html += PageParts.panel(
            "Top buyer countries",
            partsTable(analysis.countries, first: "Country")
                + "<p class=\"scope\">\(Format.count(analysis.countryCount)) countries in all.</p>")
        html += PageParts.panel("Seller currencies", partsTable(analysis.currencies, first: "Currency"))
        html += "</div>\n"
        if let storedPDF {
            html += """
                <p class="scope"><a href="\(ReportsPage.link(storedPDF))">This analysis as a PDF</a> (made for this \
                range; every stored one is on <a href="/reports">Reports</a>).</p>

                """
        } else {
            html += """
                <p class="scope">No PDF of this range is stored (those that are: <a href="/reports">Reports</a>). The \
                report function makes one for any range: \
                <code>{"command": "analysis", "from": "\(filter.from.iso)", "to": "\(filter.to.iso)"}</code> \
                (scripts/analysis-report locally).</p>

                """
        }
        return html
    }

    /// Parts of the sales with their shares, as a table; the share that paid more than asked where the parts
    /// have one (item types and formats, not countries or currencies).
    private func partsTable(_ parts: [SalesAnalysis.Part], first: String) -> HTML {
        let paidMore = parts.contains { $0.paidMoreShare != nil }
        var html: HTML = """
            <div class="scroll"><table><thead><tr><th scope="col">\(first)</th><th scope="col" class="num">Sales</th>\
            <th scope="col" class="num">Share</th><th scope="col" class="num">Revenue</th>\
            <th scope="col" class="num">Of revenue</th>
            """
        if paidMore { html += "<th scope=\"col\" class=\"num\">Paid more</th>" }
        html += "</tr></thead><tbody>\n"
        for part in parts {
            html += """
                <tr><td>\(part.label)</td><td class="num">\(Format.count(part.sales))</td>\
                <td class="num">\(Format.percent(part.salesShare))</td>\
                <td class="num">\(Format.usd(part.revenueUSD))</td>\
                <td class="num">\(Format.percent(part.revenueShare))</td>
                """
            if paidMore { html += "<td class=\"num\">\(part.paidMoreShare.map(Format.percent) ?? "—")</td>" }
            html += "</tr>\n"
        }
        return html + "</tbody></table></div>\n"
    }
}
