import PDF
import ReadModel
import Tracker

/// The report's first section: the day's breakouts, each in plain words with its multiplier and a bar for each
/// of its last 30 days, or what a quiet day is.
struct BreakoutSection {
    var breakouts: [Breakout]
    /// Evaluations of the trend rules in the day.
    var evaluations: Int
    var day: CalendarDay

    static let sparkWidth: Float = 112
    static let sparkHeight: Float = 30
    static let multiplierWidth: Float = 58

    func draw(_ layout: inout Layout) throws {
        try layout.heading("Breaking out", need: 70)
        guard !breakouts.isEmpty else {
            try layout.paragraph(Breakout.quiet(evaluations: evaluations))
            return
        }
        try layout.paragraph(
            "Artists and genres whose share of all of Bandcamp's sales rose beyond chance in the day's hourly "
                + "checks, strongest first. Bars: items sold on each of the 30 days to \(day.short).",
            size: 8, color: Palette.muted)
        for (index, breakout) in breakouts.enumerated() {
            try entry(breakout, first: index == 0, &layout)
        }
        layout.y += 4
    }

    private func entry(_ breakout: Breakout, first: Bool, _ layout: inout Layout) throws {
        let textWidth = Layout.contentWidth - Self.sparkWidth - Self.multiplierWidth - 16
        let body = try layout.wrap(breakout.headline + " " + breakout.rise, size: 9, width: textWidth)
        let facts = [breakout.selling, breakout.buyers].compactMap { $0 }.joined(separator: " · ")
        let factLines = facts.isEmpty ? [] : try layout.wrap(facts, size: 7.5, width: textWidth)
        let height = max(26 + Float(body.count) * 12.5 + Float(factLines.count) * 10.5, Self.sparkHeight + 22) + 8
        try layout.need(height)
        let page = layout.page
        let top = layout.y
        let x = Layout.margin
        if !first { page.line([(x, top), (x + Layout.contentWidth, top)], width: 0.4, color: Palette.grid) }
        let kind = breakout.emerging ? Palette.up : Palette.accent
        try page.text(breakout.name, x: x, y: top + 14, size: 11, style: .bold, color: Palette.ink, maxWidth: textWidth)
        try page.text(
            breakout.label.uppercased() + " · " + breakout.spans, x: x, y: top + 25, size: 7, style: .bold,
            color: kind, maxWidth: textWidth)
        var y = top + 25
        for line in body {
            y += 12.5
            try page.text(line, x: x, y: y, size: 9, color: Palette.ink)
        }
        for line in factLines {
            y += 10.5
            try page.text(line, x: x, y: y, size: 7.5, color: Palette.muted)
        }
        let multiplierRight = x + Layout.contentWidth - Self.sparkWidth - 12
        try page.text(
            breakout.multiplier, x: multiplierRight, y: top + 24, size: 17, style: .bold, color: kind, align: .right)
        try page.text(
            "usual share", x: multiplierRight, y: top + 34, size: 6.5, color: Palette.muted, align: .right)
        try page.text(
            breakout.certainty, x: multiplierRight, y: top + 43, size: 6.5, color: Palette.muted, align: .right)
        try spark(breakout.daily, x: x + Layout.contentWidth - Self.sparkWidth, y: top + 8, page)
        layout.y = top + height
    }

    /// A bar per day, the last (the report's day) in the accent colour, scaled to the highest; its peak and the
    /// day's count written under it.
    private func spark(_ daily: [Int], x: Float, y: Float, _ page: PDFPage) throws {
        guard !daily.isEmpty else { return }
        let peak = max(1, daily.max() ?? 1)
        let step = Self.sparkWidth / Float(daily.count)
        page.line(
            [(x, y + Self.sparkHeight), (x + Self.sparkWidth, y + Self.sparkHeight)], width: 0.4, color: Palette.rule)
        for (index, count) in daily.enumerated() where count > 0 {
            let height = max(1, Self.sparkHeight * Float(count) / Float(peak))
            page.fillRectangle(
                x: x + Float(index) * step + 0.4, y: y + Self.sparkHeight - height, width: max(0.8, step - 0.8),
                height: height, color: index == daily.count - 1 ? Palette.accent : Palette.bar)
        }
        try page.text(
            "\(daily.count) days · peak \(Format.count(peak)) a day", x: x, y: y + Self.sparkHeight + 9, size: 6.5,
            color: Palette.muted)
    }
}
