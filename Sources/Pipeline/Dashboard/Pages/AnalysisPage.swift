import Adapters
import ReadModel
import Tracker

/// Components' analysis of the filtered sales (digital and physical, overpayment, paid-to-price, countries,
/// currencies), with the datasets backfilled as ranges to pick.
struct AnalysisPage: TablePage {
    var filter: DashboardFilter
    var analysis: SalesAnalysis
    var backfills: [BackfillRow]
    /// The PDF of this very range: stored, asked for, or neither.
    var pdf: PDFState
    /// Whether the store delivers its events (S3: the report function starts on a request); a folder does not.
    var eventsDelivered: Bool
    /// The form's token field, for the button that asks for the PDF.
    var formField: HTML = ""

    enum PDFState: Equatable {
        case stored(ReportFile)
        case requested
        case none
    }

    static func fetch(_ query: DashboardQuery, _ filter: DashboardFilter, reports: any ObjectStore) async throws
        -> AnalysisPage
    {
        AnalysisPage(
            filter: filter, analysis: try await query.analysis(filter), backfills: try await query.backfills(),
            pdf: try await pdfState(filter, reports), eventsDelivered: reports.hasWebLinks)
    }

    /// Whether the range's PDF is stored, or asked for.
    static func pdfState(_ filter: DashboardFilter, _ reports: any ObjectStore) async throws -> PDFState {
        let file = ReportFile.analysis(from: filter.from, to: filter.to)
        if try await reports.head(file.key) != nil { return .stored(file) }
        guard let request = AnalysisRequest(from: filter.from, to: filter.to) else { return .none }
        return try await reports.head(request.key) != nil ? .requested : .none
    }

    /// Asks the report function for the range's PDF (an object under requests/analysis/), unless it is stored or
    /// asked for already.
    static func request(_ filter: DashboardFilter, _ reports: any ObjectStore) async throws {
        guard try await pdfState(filter, reports) == .none,
            let request = AnalysisRequest(from: filter.from, to: filter.to)
        else { return }
        _ = try await reports.put(
            request.key, body: Array("{}".utf8), contentType: "application/json", contentEncoding: nil)
    }

    /// The line about the range's PDF: a link to it, that it is being made, or a button that asks for it.
    var pdfLine: HTML {
        let range = "\(filter.from.iso) to \(filter.to.iso)"
        // A PDF is of every sale of its range: a narrowed page says so.
        let everySale: HTML? =
            filter.isNarrowed
            ? "every sale from \(range): the PDF is not narrowed by genre, artist, country or type" : nil
        let whole: HTML = everySale.map { " (of \($0))" } ?? ""
        let covers: HTML = everySale ?? "\(range)"
        switch pdf {
        case .stored(let file):
            return """
                <p class="scope"><a href="\(ReportsPage.link(file))">This analysis as a PDF</a>\(whole); every \
                stored one is on <a href="/reports">Reports</a>.</p>

                """
        case .requested:
            let local: HTML =
                eventsDelivered
                ? ""
                : """
                 On this machine nothing delivers the store's events to it: the report function's scheduled run \
                makes it, or now: <code>scripts/analysis-report \(filter.from.iso) \(filter.to.iso)</code>.
                """
            return """
                <p class="notice" role="status">A PDF of this analysis\(whole) was asked for: the report function \
                is making it, and it will be linked here and on <a href="/reports">Reports</a>.\(local)</p>

                """
        case .none:
            return """
                <form class="pdf" method="post" action="\(filter.link("/analysis"))">\(formField)\
                <button type="submit">Make a PDF of this analysis</button> <span class="scope">\(covers); \
                stored ones are on <a href="/reports">Reports</a></span></form>

                """
        }
    }

    var tables: [DataTable] {
        guard analysis.sales > 0 else { return [] }
        let o = analysis.overpayment
        let share = { (part: Int, whole: Int) in whole > 0 ? Format.percent(Double(part) / Double(whole)) : "—" }
        let withShare = { (part: Int, whole: Int) in
            DataTable.Cell.text("\(Format.count(part)) (\(share(part, whole)))")
        }
        let overpayment: [(String, DataTable.Cell)] = [
            ("Items with a price above 0", .count(o.priced)),
            ("… paid more than asked", withShare(o.paidMore, o.priced)),
            ("… paid exactly the price", withShare(o.paidExactly, o.priced)),
            ("Paid above the prices, in all", .usd(o.overpaidUSD)),
            ("Mean overpayment of those who paid more", .usd(o.meanOverpaidUSD)),
            ("Items with no price (name your price)", .count(o.free)),
            ("… for which the buyer paid something", withShare(o.freePaid, o.free)),
            ("… paying on average", .usd(o.freeMeanPaidUSD)),
        ]
        return [
            Self.parts("types", analysis.itemTypes, first: "Kind", caption: "Sales by kind of item"),
            Self.parts(
                "formats", analysis.physicalFormats, first: "Format",
                caption: "Read from the item's description; shares are of physical items"),
            DataTable(
                id: "overpayment", caption: "What buyers paid against the price asked",
                columns: [.init("measure", "Measure"), .init("value", "Value", numeric: true)],
                rows: overpayment.map { [.text($0.0), $0.1] }, empty: "No sales."),
            Charts.bands(
                "ratio", analysis.ratioBands, title: "Paid ÷ price",
                caption: "Items with a price above 0 by what was paid over the price; median "
                    + "\(analysis.medianRatio.map { Format.decimal($0, places: 2) } ?? "—") ×, 90th percentile "
                    + "\(analysis.ratio90.map { Format.decimal($0, places: 2) } ?? "—") ×"),
            Self.parts(
                "countries", analysis.countries, first: "Country",
                caption: "\(Format.count(analysis.countryCount, "country", "countries")) in all; the leading ones"),
            Self.parts("currencies", analysis.currencies, first: "Currency", caption: "The sellers' currencies"),
            Self.parts(
                "genres", analysis.genres, first: "Genre",
                caption: "A sale counts for each genre of its release, so the shares may add up to more than all"),
        ]
    }

    func render(_ view: TableView) -> HTML {
        let tables = tables
        let filter = filter
        let o = analysis.overpayment
        var html: HTML = "<h1>Analysis</h1>\n"
        html += pdfLine
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
        html += PageParts.panel(
            "Sales per day",
            // A panel of its own: drawn for a desktop's whole width, and for a phone's.
            [1100.0, 520].map { width in
                Charts.daily(
                    analysis.daily, value: { Double($0.sales) }, label: { Format.decimal($0, places: 0) },
                    title: "Items sold per day", width: width)
            }.enumerated().map {
                "<div class=\"\($0.offset == 0 ? "wide-only" : "narrow-only")\">\($0.element)</div>" as HTML
            }
            .joined())
        // Two panels a row on a desktop: the parts' tables have six columns.
        html += "<div class=\"grid wide\">"
        html += PageParts.panel("Digital, physical and bundles", view.html(tables.named("types")))
        html += PageParts.panel(
            "Physical formats",
            analysis.physicalFormats.isEmpty
                ? "<p class=\"empty\">No physical items in this range.</p>\n" : view.html(tables.named("formats")))
        html += PageParts.panel("Paying more than asked", view.html(tables.named("overpayment")))
        html += PageParts.panel("Paid-to-price ratio", view.html(tables.named("ratio")))
        html += PageParts.panel("Top buyer countries", view.html(tables.named("countries")))
        html += PageParts.panel("Seller currencies", view.html(tables.named("currencies")))
        html += PageParts.panel("Top genres", view.html(tables.named("genres")))
        html += "</div>\n"
        return html
    }

    /// Parts of the sales with their shares, as a table; the share that paid more than asked where the parts
    /// have one (item types and formats, not countries or currencies).
    static func parts(_ id: String, _ parts: [SalesAnalysis.Part], first: String, caption: String) -> DataTable {
        let paidMore = parts.contains { $0.paidMoreShare != nil }
        var columns: [DataTable.Column] = [
            .init("part", first), .init("sales", "Sales", numeric: true), .init("share", "Share", numeric: true),
            .init("revenue", "Revenue", numeric: true),
            .init("revenue-share", "Of revenue", numeric: true, secondary: true),
        ]
        if paidMore { columns.append(.init("more", "Paid more", numeric: true)) }
        return DataTable(
            id: id, caption: caption, columns: columns,
            rows: parts.map { part in
                [
                    .text(part.label), .count(part.sales), .percent(part.salesShare), .usd(part.revenueUSD),
                    .percent(part.revenueShare),
                ] + (paidMore ? [.percent(part.paidMoreShare)] : [])
            }, empty: "No sales.")
    }
}
