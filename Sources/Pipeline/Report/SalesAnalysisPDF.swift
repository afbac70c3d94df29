import PDF
import ReadModel
import Tracker

/// Draws a `SalesAnalysis` as an A4 PDF: the one-off report of any date range (Components' analysis).
public struct SalesAnalysisPDF {
    let fonts: PDFFontFiles

    public init(fonts: PDFFontFiles) {
        self.fonts = fonts
    }

    /// The PDF's bytes and its page count.
    public func render(_ analysis: SalesAnalysis, builtAt: Int64) throws -> (bytes: [UInt8], pages: Int) {
        let range = "\(analysis.from.iso) to \(analysis.to.iso)"
        let document = try PDFDocument(
            fonts: fonts, title: "Bandcamp sales analysis, \(range)", author: "bandcamp-tracker",
            subject:
                "Sales per day, digital and physical, overpayment, paid-to-price ratio, countries, currencies and "
                + "genres, \(range) (UTC)")
        var layout = try Layout(document: document)
        try layout.titleBand(
            kicker: "BANDCAMP SALES · ANALYSIS", title: analysis.from == analysis.to ? analysis.from.long : range,
            subtitle: "UTC days \(range) · \(Format.count(analysis.sales)) items sold · "
                + "\(Format.usd(analysis.revenueUSD)) paid · built \(Format.timestamp(builtAt))")
        if analysis.sales == 0 {
            try layout.heading("No sales")
            try layout.paragraph("The warehouse holds no sale in this range.")
        } else {
            try summary(analysis, &layout)
            try daily(analysis, &layout)
            try parts(
                "Digital, physical and bundles", analysis.itemTypes, first: "Kind",
                caption: "Paid more: the share of items with a price above 0 whose buyer paid more than asked.",
                &layout)
            if !analysis.physicalFormats.isEmpty {
                try parts(
                    "Physical formats", analysis.physicalFormats, first: "Format",
                    caption: "Read from the item's description; shares are of physical items.", &layout)
            }
            try overpayment(analysis, &layout)
            try ratio(analysis, &layout)
            try parts(
                "Top buyer countries", analysis.countries, first: "Country",
                caption: "\(Format.count(analysis.countryCount, "country", "countries")) in all.", &layout)
            try parts(
                "Seller currencies", analysis.currencies, first: "Currency",
                caption: "Revenue is what buyers paid, in USD as the feed converted it.", &layout)
            if !analysis.genres.isEmpty {
                try parts(
                    "Top genres", analysis.genres, first: "Genre",
                    caption: "A sale counts for each genre of its release, so the shares may add up to more than all.",
                    &layout)
            }
        }
        try layout.heading("About these figures", need: 60)
        for line in [
            "Source: the warehouse's sales, one row per item (the live feed, and Components' dataset where it has "
                + "been backfilled: a sale in both is counted once). Times are UTC.",
            "The price asked is the item's price in the seller's currency (for tracks bought together, their total); "
                + "the paid-to-price ratio is what was paid over it, for items with a price above 0.",
        ] {
            try layout.paragraph(line, size: 7.5, color: Palette.muted)
        }
        let pages = document.pages
        for (index, page) in pages.enumerated() {
            try Layout.footer(page, "bandcamp-tracker · analysis \(range)", number: index + 1, of: pages.count)
        }
        return (try document.data(), pages.count)
    }

    private func summary(_ analysis: SalesAnalysis, _ layout: inout Layout) throws {
        try layout.heading("In brief")
        let overpayment = analysis.overpayment
        var lines = [
            "\(Format.percent(analysis.digitalShare)) of the items sold were digital (albums and tracks).",
            "\(overpayment.paidMoreShare.map(Format.percent) ?? "—") of the buyers of an item with a price paid "
                + "more than asked, \(Format.usd(overpayment.overpaidUSD)) above the prices in all.",
        ]
        if let median = analysis.medianRatio {
            lines.append("The median buyer paid \(Format.decimal(median, places: 2)) × the price.")
        }
        if let country = analysis.countries.first, let currency = analysis.currencies.first {
            lines.append(
                "\(country.label) bought the most (\(Format.percent(country.salesShare))); "
                    + "\(currency.label) was the most used currency (\(Format.percent(currency.salesShare))), "
                    + "of \(analysis.currencies.count) in all.")
        }
        for line in lines { try layout.paragraph("• " + line) }
    }

    private func parts(
        _ title: String, _ parts: [SalesAnalysis.Part], first: String, caption: String, _ layout: inout Layout
    ) throws {
        try layout.heading(title, need: 40 + Float(min(parts.count, 12)) * Table.rowHeight)
        // The share that paid more where the parts have it (not genres: a sale counts for several).
        let paidMore = parts.contains { $0.paidMoreShare != nil }
        var table = Table(
            columns: [
                .init(first, width: paidMore ? 160 : 231), .init("Items", width: 70, align: .right),
                .init("Share", width: 60, align: .right), .init("Revenue (USD)", width: 90, align: .right),
                .init("Of revenue", width: 60, align: .right),
            ] + (paidMore ? [.init("Paid more", width: 71, align: .right)] : []))
        for part in parts {
            table.rows.append(
                [
                    part.label, Format.count(part.sales), Format.percent(part.salesShare), Format.usd(part.revenueUSD),
                    Format.percent(part.revenueShare),
                ] + (paidMore ? [part.paidMoreShare.map(Format.percent) ?? "—"] : []))
        }
        table.bars = parts.map { $0.salesShare / max(parts.first?.salesShare ?? 1, 0.000_001) }
        try table.draw(&layout)
        try layout.caption(caption)
    }

    private func overpayment(_ analysis: SalesAnalysis, _ layout: inout Layout) throws {
        let o = analysis.overpayment
        try layout.heading("Paying more than asked", need: 120)
        var table = Table(columns: [.init("", width: 300), .init("", width: 211, align: .right)])
        let share = { (part: Int, whole: Int) in whole > 0 ? Format.percent(Double(part) / Double(whole)) : "—" }
        table.rows = [
            ["Items with a price above 0", Format.count(o.priced)],
            ["… paid more than asked", "\(Format.count(o.paidMore)) (\(share(o.paidMore, o.priced)))"],
            ["… paid exactly the price", "\(Format.count(o.paidExactly)) (\(share(o.paidExactly, o.priced)))"],
            ["Paid above the prices, in all", Format.usd(o.overpaidUSD)],
            ["Mean overpayment of those who paid more", o.meanOverpaidUSD.map(Format.usd) ?? "—"],
            ["Items with no price (name your price, 0 asked)", Format.count(o.free)],
            ["… for which the buyer paid something", "\(Format.count(o.freePaid)) (\(share(o.freePaid, o.free)))"],
            ["… paying on average", o.freeMeanPaidUSD.map(Format.usd) ?? "—"],
        ]
        try table.draw(&layout)
    }

    /// Items sold each day, with the first, middle and last days named.
    private func daily(_ analysis: SalesAnalysis, _ layout: inout Layout) throws {
        guard analysis.daily.count > 1 else { return }
        try layout.heading("Sales per day", need: 150)
        let points = analysis.daily
        let named = Set([0, points.count / 2, points.count - 1])
        let top = layout.y
        try BarChart(
            values: points.map { Double($0.sales) }, comparison: nil,
            labels: points.indices.map { named.contains($0) ? points[$0].day.iso : "" },
            valueLabel: { Format.decimal($0, places: 0) }
        ).draw(on: layout.page, x: Layout.margin, y: top, width: Layout.contentWidth, height: 110)
        layout.y = top + 118
        let busiest = points.max { $0.sales < $1.sales }!
        try layout.caption(
            "Items sold each UTC day; the busiest was \(busiest.day.long) with \(Format.count(busiest.sales)).")
    }

    private func ratio(_ analysis: SalesAnalysis, _ layout: inout Layout) throws {
        try layout.heading("Paid-to-price ratio", need: 150)
        let total = analysis.ratioBands.reduce(0) { $0 + $1.sales }
        let top = layout.y
        try BarChart(
            values: analysis.ratioBands.map { Double($0.sales) }, comparison: nil,
            labels: analysis.ratioBands.map(\.label), valueLabel: { Format.decimal($0, places: 0) },
            barLabels: analysis.ratioBands.map { band in
                Format.count(band.sales) + " · " + Format.percent(total > 0 ? Double(band.sales) / Double(total) : 0)
            }
        ).draw(on: layout.page, x: Layout.margin, y: top + 10, width: Layout.contentWidth, height: 110)
        layout.y = top + 128
        try layout.caption(
            "Items with a price above 0, by what was paid over the price (\(Format.count(total)) items). Median "
                + "\(analysis.medianRatio.map { Format.decimal($0, places: 2) } ?? "—") ×, 90th percentile "
                + "\(analysis.ratio90.map { Format.decimal($0, places: 2) } ?? "—") ×.")
    }
}
