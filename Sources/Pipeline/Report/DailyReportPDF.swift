import PDF
import ReadModel
import Tracker

/// Draws a `DailyReport` as an A4 PDF: a title block, who broke out, headline figures with their changes, sales by hour,
/// formats, rankings of artists and releases, genres with their movement, buyer countries, and notes on the
/// data (how much of the day the feed covers). Page numbers on every page.
public struct DailyReportPDF {
    let fonts: PDFFontFiles

    public init(fonts: PDFFontFiles) {
        self.fonts = fonts
    }

    /// The PDF's bytes and its page count.
    public func render(_ report: DailyReport) throws -> (bytes: [UInt8], pages: Int) {
        let document = try PDFDocument(
            fonts: fonts, title: "Bandcamp sales, \(report.day.long)", author: "bandcamp-tracker",
            subject: "Daily report of Bandcamp's sales feed for \(report.day.iso) (UTC)")
        var layout = try Layout(document: document)
        try titleBlock(report, &layout)
        try coverageNotice(report, &layout)
        try BreakoutSection(breakouts: report.breakouts, evaluations: report.evaluations, day: report.day).draw(
            &layout)
        if report.isEmpty {
            try layout.heading("No sales")
            try layout.paragraph(
                "No sale was recorded for \(report.day.long) (UTC)"
                    + (report.coverage.fraction < 1 ? " in the part of the day the feed covers." : "."))
        } else {
            try headlines(report, &layout)
            try hours(report, &layout)
            try formats(report, &layout)
            try rankings("Top artists", report.artistsByRevenue, report.artistsBySales, &layout)
            try rankings("Top releases", report.releasesByRevenue, report.releasesBySales, &layout)
            try genres(report, &layout)
            try countries(report, &layout)
        }
        try notes(report, &layout)
        let pages = document.pages
        for (index, page) in pages.enumerated() {
            try Layout.footer(
                page, "bandcamp-tracker · daily report \(report.day.iso)", number: index + 1, of: pages.count)
        }
        return (try document.data(), pages.count)
    }

    // MARK: Sections

    private func titleBlock(_ report: DailyReport, _ layout: inout Layout) throws {
        try layout.titleBand(
            kicker: "BANDCAMP SALES · DAILY REPORT", title: report.day.long,
            subtitle: "The UTC day \(report.day.iso) · built \(Format.timestamp(report.builtAt)) · feed coverage "
                + Format.percent(report.coverage.fraction))
    }

    private func coverageNotice(_ report: DailyReport, _ layout: inout Layout) throws {
        let coverage = report.coverage
        guard coverage.missingSeconds > 0 else { return }
        let gaps = coverage.gaps.prefix(4).map {
            Format.clock($0.start, day: report.day.start) + "–" + Format.clock($0.end, day: report.day.start)
        }
        let more = coverage.gaps.count > gaps.count ? " and \(coverage.gaps.count - gaps.count) more" : ""
        let text =
            coverage.windows == 0
            ? "No window of the sales feed has been loaded for this day: the figures below are not the day's."
            : "The feed windows loaded cover \(Format.percent(coverage.fraction)) of the day: "
                + "\(Format.duration(coverage.missingSeconds)) missing (\(gaps.joined(separator: ", "))\(more) UTC). "
                + "Sales in those spans are not counted."
        try layout.notice(text)
    }

    private func headlines(_ report: DailyReport, _ layout: inout Layout) throws {
        try layout.heading("The day in figures")
        let cards = report.headlines
        let before = report.previousDay.day.short
        let week = report.weekEarlier.day.short
        let columns = 4
        let gap: Float = 8
        let width = (Layout.contentWidth - gap * Float(columns - 1)) / Float(columns)
        let height: Float = 70
        try layout.need(height * 2 + gap + 18)
        let page = layout.page
        let top = layout.y
        for (index, card) in cards.enumerated() {
            let x = Layout.margin + Float(index % columns) * (width + gap)
            let y = top + Float(index / columns) * (height + gap)
            page.fillRectangle(x: x, y: y, width: width, height: height, color: Palette.card)
            page.fillRectangle(x: x, y: y, width: 3, height: height, color: Palette.accent)
            try page.text(card.label, x: x + 10, y: y + 15, size: 8, color: Palette.muted, maxWidth: width - 14)
            try page.text(
                card.value, x: x + 10, y: y + 36, size: 16, style: .bold, color: Palette.ink, maxWidth: width - 14)
            try changeLine("vs \(before)", card.versusDayBefore, x: x + 10, y: y + 51, width: width - 18, page)
            try changeLine("vs \(week)", card.versusWeekEarlier, x: x + 10, y: y + 62, width: width - 18, page)
        }
        // The eighth cell: what the comparisons are.
        let x = Layout.margin + 3 * (width + gap)
        let y = top + height + gap
        try page.text("Compared with", x: x + 10, y: y + 15, size: 8, color: Palette.muted)
        try page.text("the day before and", x: x + 10, y: y + 30, size: 8, color: Palette.muted)
        try page.text("the same weekday", x: x + 10, y: y + 41, size: 8, color: Palette.muted)
        try page.text("a week earlier.", x: x + 10, y: y + 52, size: 8, color: Palette.muted)
        layout.y = top + height * 2 + gap + 14
    }

    private func changeLine(_ label: String, _ change: Change, x: Float, y: Float, width: Float, _ page: PDFPage)
        throws
    {
        try page.text(label, x: x, y: y, size: 7, color: Palette.muted)
        try page.text(
            Format.change(change), x: x + width, y: y, size: 7, style: .bold, color: Palette.color(of: change),
            align: .right)
    }

    private func hours(_ report: DailyReport, _ layout: inout Layout) throws {
        try layout.heading("Sales by hour (UTC)", need: 190)
        let chart = BarChart(
            values: report.hours.map(Double.init), comparison: report.hoursWeekEarlier.map(Double.init),
            labels: (0..<24).map { $0 % 3 == 0 ? (($0 < 10 ? "0" : "") + "\($0):00") : "" },
            valueLabel: { Format.decimal($0, places: 0) })
        try chart.draw(on: layout.page, x: Layout.margin, y: layout.y, width: Layout.contentWidth, height: 150)
        let legendY = layout.y + 172
        let page = layout.page
        page.fillRectangle(x: Layout.margin, y: legendY - 7, width: 9, height: 7, color: Palette.accent)
        try page.text(report.day.short, x: Layout.margin + 13, y: legendY, size: 7.5, color: Palette.muted)
        page.line(
            [(Layout.margin + 70, legendY - 3.5), (Layout.margin + 84, legendY - 3.5)], width: 1.2,
            color: Palette.comparison)
        try page.text(
            "\(report.weekEarlier.day.short) (a week earlier)", x: Layout.margin + 88, y: legendY, size: 7.5,
            color: Palette.muted)
        layout.y += 188
    }

    private func formats(_ report: DailyReport, _ layout: inout Layout) throws {
        try layout.heading("Digital, physical and bundles", need: 110)
        let page = layout.page
        let total = max(1, report.formats.reduce(0) { $0 + $1.sales })
        var x = Layout.margin
        for (index, format) in report.formats.enumerated() {
            let width = Layout.contentWidth * Float(format.sales) / Float(total)
            page.fillRectangle(x: x, y: layout.y, width: width, height: 14, color: Palette.series[index])
            x += width
        }
        layout.y += 30
        var table = Table(columns: [
            .init("Format", width: 150), .init("Items", width: 70, align: .right),
            .init("Share", width: 70, align: .right), .init("Revenue (USD)", width: 110, align: .right),
            .init("vs \(report.weekEarlier.day.short)", width: 115, align: .right),
        ])
        table.swatches = Array(Palette.series.prefix(report.formats.count))
        for format in report.formats {
            table.rows.append([
                format.label, Format.count(format.sales), Format.percent(Double(format.sales) / Double(total)),
                Format.usd(format.revenueUSD),
                Format.change(
                    Change.between(Double(format.salesWeekEarlier), Double(format.sales)).unless(
                        loaded: report.weekEarlier.loaded, of: 1)),
            ])
        }
        try table.draw(&layout)
    }

    private func rankings(_ title: String, _ byRevenue: [Ranked], _ bySales: [Ranked], _ layout: inout Layout) throws {
        let rows = max(byRevenue.count, bySales.count)
        try layout.heading(title, need: 40 + Float(rows) * Table.twoLineRowHeight)
        let half = (Layout.contentWidth - 15) / 2
        let top = layout.y
        var bottom = top
        for (index, (subtitle, list)) in [("By revenue", byRevenue), ("By items sold", bySales)].enumerated() {
            var column = layout
            column.left = Layout.margin + Float(index) * (half + 15)
            column.y = top
            try column.page.text(subtitle, x: column.left, y: column.y, size: 9, style: .bold, color: Palette.ink)
            column.y += 8
            var table = Table(columns: [
                .init("#", width: 20), .init("Name", width: half - 20 - 40 - 66),
                .init("Items", width: 40, align: .right), .init("USD", width: 66, align: .right),
            ])
            for (place, entry) in list.enumerated() {
                table.rows.append(["\(place + 1)", entry.name, Format.count(entry.sales), Format.usd(entry.revenueUSD)])
                table.details.append(entry.detail)
            }
            try table.draw(&column)
            bottom = max(bottom, column.y)
        }
        layout.y = bottom
    }

    private func genres(_ report: DailyReport, _ layout: inout Layout) throws {
        try layout.heading("Genres", need: 60 + Float(report.genres.count) * Table.rowHeight)
        let tagged = report.taggedSales
        if report.genres.isEmpty {
            try layout.paragraph(
                "No genre is known yet for the releases sold this day (their pages have not been read).")
            return
        }
        var table = Table(columns: [
            .init("#", width: 22), .init("Genre", width: 146), .init("Items", width: 55, align: .right),
            .init("Share", width: 55, align: .right), .init("Revenue (USD)", width: 85, align: .right),
            .init("Items a week earlier", width: 92, align: .right), .init("Rank then", width: 60, align: .right),
        ])
        for genre in report.genres {
            let movement: String
            if let then = genre.rankWeekEarlier {
                let up = then - genre.rank
                movement = up == 0 ? "= \(then)" : (up > 0 ? "▲\(up) (\(then))" : "▼\(-up) (\(then))")
            } else {
                movement = report.weekEarlier.loaded == 1 ? "new" : "no data then"
            }
            table.rows.append([
                "\(genre.rank)", genre.name, Format.count(genre.sales),
                Format.percent(Double(genre.sales) / Double(max(1, tagged))), Format.usd(genre.revenueUSD),
                Format.count(genre.salesWeekEarlier), movement,
            ])
        }
        table.bars = report.genres.map { Double($0.sales) / Double(max(1, report.genres[0].sales)) }
        table.barColumn = 1
        try table.draw(&layout)
        try layout.caption(
            "Genres are the tags of the releases sold, in the release's page; a sale counts in each of its release's "
                + "genres, so shares (of the \(Format.count(tagged)) items whose genres are known, "
                + Format.percent(Double(tagged) / Double(max(1, report.summary.sales)))
                + " of the day's) add up to more than 100%. ▲/▼: places gained or lost since a week earlier.")
    }

    private func countries(_ report: DailyReport, _ layout: inout Layout) throws {
        try layout.heading("Buyer countries", need: 40 + Float(report.countries.count) * Table.rowHeight)
        var table = Table(columns: [
            .init("Country", width: 150), .init("Items", width: 55, align: .right),
            .init("Share", width: 55, align: .right), .init("Revenue (USD)", width: 85, align: .right),
            .init("Buys more than average", width: 170),
        ])
        for country in report.countries {
            table.rows.append([
                country.name, Format.count(country.sales),
                Format.percent(Double(country.sales) / Double(max(1, report.summary.sales))),
                Format.usd(country.revenueUSD),
                country.leadingGenre.map {
                    "\($0): \(Breakout.times(country.leadingGenreIndex ?? 1)) (\(Format.count(country.leadingGenreSales)))"
                } ?? "—",
            ])
        }
        table.bars = report.countries.map { Double($0.sales) / Double(max(1, report.countries.first?.sales ?? 1)) }
        table.barColumn = 0
        try table.draw(&layout)
        try layout.caption(
            "Buys more than average: the genre whose share of the country's items with known genres is the largest "
                + "against its share of all buyers' (among genres of at least \(DailyReportQuery.leastGenreSales) "
                + "items there): 2.0× is twice the share; in brackets, the items.")
    }

    private func notes(_ report: DailyReport, _ layout: inout Layout) throws {
        try layout.heading("About these figures", need: 90)
        let coverage = report.coverage
        let lines = [
            "Source: Bandcamp's public sales feed, one row per item sold; a sale seen in several windows is counted "
                + "once. Times are UTC; the day runs from 00:00 to 24:00.",
            "Revenue is what buyers paid, converted to USD by the feed. The median is of the amount paid per item. "
                + "\"Paid more than asked\" is the share of items, among those with a known price, whose buyer paid "
                + "above it (name-your-price included).",
            "Feed coverage: \(coverage.windows) windows loaded, covering \(Format.percent(coverage.fraction)) of "
                + (coverage.daySeconds < 86_400 ? "the day so far." : "the day."),
        ]
        for line in lines { try layout.paragraph(line, size: 7.5, color: Palette.muted) }
    }
}

/// The report's colours.
enum Palette {
    static let ink = PDFColor(hex: 0x1F2933)
    static let muted = PDFColor(hex: 0x5F6B7A)
    static let rule = PDFColor(hex: 0xD5DAE0)
    static let grid = PDFColor(hex: 0xE8EBEF)
    static let card = PDFColor(hex: 0xF3F5F7)
    static let band = PDFColor(hex: 0x0E3A4A)
    static let bandMuted = PDFColor(hex: 0xA9C7D1)
    static let white = PDFColor(hex: 0xFFFFFF)
    static let accent = PDFColor(hex: 0x1DA0C3)
    static let bar = PDFColor(hex: 0xA8D8E8)
    static let comparison = PDFColor(hex: 0xE07A2F)
    static let up = PDFColor(hex: 0x17803D)
    static let down = PDFColor(hex: 0xB42318)
    static let noticeFill = PDFColor(hex: 0xFFF4E0)
    static let noticeEdge = PDFColor(hex: 0xE09A1F)
    static let series = [
        PDFColor(hex: 0x1DA0C3), PDFColor(hex: 0x0E3A4A), PDFColor(hex: 0xE07A2F), PDFColor(hex: 0x8E6CC4),
    ]

    static func color(of change: Change) -> PDFColor {
        switch change.direction {
        case .up: up
        case .down: down
        case .flat: muted
        }
    }

}
