import PDF
import ReadModel

/// Where the next thing goes on the report's pages: a page and a y that moves down, with a new page when what
/// comes next does not fit.
struct Layout {
    static let margin: Float = 42
    static let top: Float = 52
    static let bottomLimit: Float = 842 - 56
    static let contentWidth: Float = 595.28 - 2 * margin

    let document: PDFDocument
    var page: PDFPage
    var y: Float = top
    /// The left edge of what is drawn (the margin, or a column's edge).
    var left: Float = margin

    init(document: PDFDocument) throws {
        self.document = document
        page = try document.addPage()
    }

    /// The band across the top of a report's first page: a small kicker, the title, a line under it.
    mutating func titleBand(kicker: String, title: String, subtitle: String) throws {
        page.fillRectangle(x: 0, y: 0, width: page.width, height: 112, color: Palette.band)
        page.fillRectangle(x: 0, y: 112, width: page.width, height: 3, color: Palette.accent)
        try page.text(kicker, x: Self.margin, y: 40, size: 9, style: .bold, color: Palette.bandMuted)
        try page.text(title, x: Self.margin, y: 72, size: 24, style: .bold, color: Palette.white)
        try page.text(subtitle, x: Self.margin, y: 94, size: 9, color: Palette.bandMuted)
        y = 140
    }

    /// A page's footer: what the document is, and the page's number.
    static func footer(_ page: PDFPage, _ label: String, number: Int, of count: Int) throws {
        let y = page.height - 24
        page.line([(margin, y - 11), (page.width - margin, y - 11)], width: 0.4, color: Palette.rule)
        try page.text(label, x: margin, y: y, size: 7, color: Palette.muted)
        try page.text(
            "Page \(number) of \(count)", x: page.width - margin, y: y, size: 7, color: Palette.muted, align: .right)
    }

    /// Starts a new page when `height` more points do not fit on this one.
    mutating func need(_ height: Float) throws {
        guard y + height > Self.bottomLimit else { return }
        page = try document.addPage()
        y = Self.top
    }

    /// A section's title, kept on the same page as the first `need` points of what follows.
    mutating func heading(_ title: String, need: Float = 40) throws {
        try self.need(30 + need)
        y += 12
        try page.text(title, x: left, y: y, size: 12.5, style: .bold, color: Palette.ink)
        page.fillRectangle(x: left, y: y + 5, width: 28, height: 2, color: Palette.accent)
        y += 22
    }

    /// Text wrapped to the content's width.
    mutating func paragraph(_ text: String, size: Float = 9, color: PDFColor = Palette.ink) throws {
        let lineHeight = size * 1.45
        for line in try wrap(text, size: size, width: Self.contentWidth) {
            try need(lineHeight)
            try page.text(line, x: left, y: y + size, size: size, color: color)
            y += lineHeight
        }
        y += size * 0.6
    }

    /// A small grey note under a table or chart.
    mutating func caption(_ text: String) throws {
        y += 4
        try paragraph(text, size: 7, color: Palette.muted)
    }

    /// A boxed warning.
    mutating func notice(_ text: String) throws {
        let size: Float = 8.5
        let lines = try wrap(text, size: size, width: Self.contentWidth - 24)
        let height = Float(lines.count) * size * 1.45 + 14
        try need(height + 10)
        page.fillRectangle(x: left, y: y, width: Self.contentWidth, height: height, color: Palette.noticeFill)
        page.fillRectangle(x: left, y: y, width: 3, height: height, color: Palette.noticeEdge)
        var lineY = y + 7 + size
        for line in lines {
            try page.text(line, x: left + 14, y: lineY, size: size, color: Palette.ink)
            lineY += size * 1.45
        }
        y += height + 12
    }

    /// Lines of at most `width` points: broken at spaces, and inside a word only when it alone is too wide
    /// (as CJK text without spaces is).
    func wrap(_ text: String, size: Float, width: Float, style: PDFFontStyle = .regular) throws -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if try page.width(of: candidate, size: size, style: style) <= width {
                current = candidate
                continue
            }
            if !current.isEmpty { lines.append(current) }
            current = ""
            for character in word {
                let longer = current + String(character)
                if !current.isEmpty, try page.width(of: longer, size: size, style: style) > width {
                    lines.append(current)
                    current = String(character)
                } else {
                    current = longer
                }
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}

/// A table: a header row, then rows of text, optionally with a second, grey line under one column (a release's
/// artist), a colour swatch before the first column, or a bar behind one column showing its row's share.
struct Table {
    struct Column {
        var title: String
        var width: Float
        var align: PDFAlignment

        init(_ title: String, width: Float, align: PDFAlignment = .left) {
            self.title = title
            self.width = width
            self.align = align
        }
    }

    static let rowHeight: Float = 15
    static let twoLineRowHeight: Float = 23

    var columns: [Column]
    var rows: [[String]] = []
    /// A second line for each row, under `detailColumn`.
    var details: [String] = []
    var detailColumn = 1
    var swatches: [PDFColor] = []
    /// Bars (0...1) behind `barColumn`.
    var bars: [Double] = []
    var barColumn = 0

    init(columns: [Column]) {
        self.columns = columns
    }

    func draw(_ layout: inout Layout) throws {
        let height = details.isEmpty ? Self.rowHeight : Self.twoLineRowHeight
        try header(&layout, firstRow: height)
        for (index, row) in rows.enumerated() {
            if layout.y + height > Layout.bottomLimit {
                try layout.need(height + 20)
                try header(&layout, firstRow: height)
            }
            let page = layout.page
            var x = layout.left
            if index % 2 == 1 {
                page.fillRectangle(x: x, y: layout.y, width: width, height: height, color: Palette.card)
            }
            for (column, text) in zip(columns.indices, row) {
                let spec = columns[column]
                var textX = x + (spec.align == .right ? spec.width - 4 : 4)
                if column == 0, index < swatches.count {
                    page.fillRectangle(x: x + 4, y: layout.y + 4, width: 8, height: 8, color: swatches[index])
                    textX += 12
                }
                if column == barColumn, index < bars.count {
                    page.fillRectangle(
                        x: x + 2, y: layout.y + height - 4, width: max(1, (spec.width - 8) * Float(bars[index])),
                        height: 2.5, color: Palette.bar)
                }
                let room = spec.width - 8 - (column == 0 && !swatches.isEmpty ? 12 : 0)
                try page.text(
                    text, x: textX, y: layout.y + 10.5, size: 8.5, style: column == detailColumn ? .bold : .regular,
                    color: Palette.ink, align: spec.align, maxWidth: room)
                if column == detailColumn, index < details.count {
                    try page.text(
                        details[index], x: textX, y: layout.y + 19.5, size: 7, color: Palette.muted,
                        align: spec.align, maxWidth: room)
                }
                x += spec.width
            }
            layout.y += height
        }
        layout.y += 8
    }

    private var width: Float { columns.reduce(0) { $0 + $1.width } }

    private func header(_ layout: inout Layout, firstRow: Float) throws {
        try layout.need(16 + firstRow)
        let page = layout.page
        var x = layout.left
        for column in columns {
            try page.text(
                column.title, x: x + (column.align == .right ? column.width - 4 : 4), y: layout.y + 8, size: 7,
                style: .bold, color: Palette.muted, align: column.align, maxWidth: column.width - 6)
            x += column.width
        }
        page.line(
            [(layout.left, layout.y + 12), (layout.left + width, layout.y + 12)], width: 0.6, color: Palette.rule)
        layout.y += 14
    }
}

/// A bar chart with a y axis of round steps, and optionally a second series drawn as a line (the same hours a
/// week earlier).
struct BarChart {
    var values: [Double]
    var comparison: [Double]?
    var labels: [String]
    var valueLabel: (Double) -> String
    /// Text over each bar (its count and share), so that a bar too short to see still says what it holds.
    var barLabels: [String]? = nil

    func draw(on page: PDFPage, x: Float, y: Float, width: Float, height: Float) throws {
        let axis: Float = 40
        let plotX = x + axis
        let plotWidth = width - axis
        let plotHeight = height - 16
        let top = Self.axisTop(max(values.max() ?? 0, comparison?.max() ?? 0))
        let step = top.step
        // Grid lines and their labels.
        var tick = 0.0
        while tick <= top.value + step / 2 {
            let tickY = y + plotHeight - plotHeight * Float(tick / top.value)
            page.line([(plotX, tickY), (plotX + plotWidth, tickY)], width: 0.4, color: Palette.grid)
            try page.text(
                valueLabel(tick), x: plotX - 5, y: tickY + 2.5, size: 6.5, color: Palette.muted, align: .right)
            tick += step
        }
        let slot = plotWidth / Float(max(1, values.count))
        for (index, value) in values.enumerated() {
            let barHeight = plotHeight * Float(value / top.value)
            page.fillRectangle(
                x: plotX + Float(index) * slot + slot * 0.18, y: y + plotHeight - barHeight, width: slot * 0.64,
                height: barHeight, color: Palette.accent)
            if let barLabels, index < barLabels.count {
                try page.text(
                    barLabels[index], x: plotX + Float(index) * slot + slot / 2, y: y + plotHeight - barHeight - 3,
                    size: 6.5, color: Palette.ink, align: .center)
            }
            if index < labels.count, !labels[index].isEmpty {
                try page.text(
                    labels[index], x: plotX + Float(index) * slot + slot / 2, y: y + plotHeight + 11, size: 6.5,
                    color: Palette.muted, align: .center)
            }
        }
        if let comparison {
            let points = comparison.enumerated().map { index, value in
                (x: plotX + Float(index) * slot + slot / 2, y: y + plotHeight - plotHeight * Float(value / top.value))
            }
            page.line(points, width: 1.2, color: Palette.comparison)
            for point in points { page.fillCircle(x: point.x, y: point.y, radius: 1.4, color: Palette.comparison) }
        }
        page.line([(plotX, y + plotHeight), (plotX + plotWidth, y + plotHeight)], width: 0.7, color: Palette.muted)
    }

    /// The axis's top and step: 1, 2 or 5 times a power of ten, four or five steps up to at least `maximum`.
    static func axisTop(_ maximum: Double) -> (value: Double, step: Double) {
        guard maximum > 0 else { return (4, 1) }
        let rough = maximum / 4
        var power = 1.0
        while power * 10 <= rough { power *= 10 }
        while power > rough { power /= 10 }
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough } ?? power * 10
        let stepped = max(1, step)
        return ((maximum / stepped).rounded(.up) * stepped, stepped)
    }
}
