import CHaru

/// A page of a `PDFDocument`. Coordinates are in points from the page's top-left corner (y grows downwards);
/// a text's y is its baseline.
public struct PDFPage {
    unowned let document: PDFDocument
    let handle: HPDF_Page

    /// The page's width in points (595 for A4).
    public var width: Float { HPDF_Page_GetWidth(handle) }
    /// The page's height in points (842 for A4).
    public var height: Float { HPDF_Page_GetHeight(handle) }

    // MARK: Text

    /// Draws one line of text; characters of CJK scripts in the CJK face. With `maxWidth`, a text too wide is
    /// cut and ends in "…".
    /// - Returns: The width drawn.
    @discardableResult
    public func text(
        _ text: String, x: Float, y: Float, size: Float, style: PDFFontStyle = .regular,
        color: PDFColor = PDFColor(hex: 0x000000), align: PDFAlignment = .left, maxWidth: Float? = nil
    ) throws -> Float {
        var shown = text
        var width = try self.width(of: shown, size: size, style: style)
        if let maxWidth, width > maxWidth {
            shown = try fitted(text, size: size, style: style, maxWidth: maxWidth)
            width = try self.width(of: shown, size: size, style: style)
        }
        guard !shown.isEmpty else { return 0 }
        var left: Float
        switch align {
        case .left: left = x
        case .right: left = x - width
        case .center: left = x - width / 2
        }
        HPDF_Page_SetRGBFill(handle, color.red, color.green, color.blue)
        HPDF_Page_BeginText(handle)
        for run in runs(of: shown) {
            let font = try document.font(style, cjk: run.cjk)
            HPDF_Page_SetFontAndSize(handle, font, size)
            HPDF_Page_TextOut(handle, left, height - y, run.text)
            left += HPDF_Page_TextWidth(handle, run.text)
        }
        HPDF_Page_EndText(handle)
        try document.check("drawing the text '\(shown)'")
        return width
    }

    /// The width of a line of text, in points.
    public func width(of text: String, size: Float, style: PDFFontStyle = .regular) throws -> Float {
        var total: Float = 0
        for run in runs(of: text) {
            HPDF_Page_SetFontAndSize(handle, try document.font(style, cjk: run.cjk), size)
            total += HPDF_Page_TextWidth(handle, run.text)
        }
        return total
    }

    /// The longest start of `text` that, with "…", fits in `maxWidth`.
    private func fitted(_ text: String, size: Float, style: PDFFontStyle, maxWidth: Float) throws -> String {
        let characters = Array(text)
        var low = 0
        var high = characters.count
        while low < high {
            let middle = (low + high + 1) / 2
            let candidate = String(characters[..<middle]).trimmingTrailingSpaces + "…"
            if try width(of: candidate, size: size, style: style) <= maxWidth {
                low = middle
            } else {
                high = middle - 1
            }
        }
        return low == 0 ? "…" : String(characters[..<low]).trimmingTrailingSpaces + "…"
    }

    /// The text cut where its font changes. Characters such as spaces and digits stay in the run they are in.
    private func runs(of text: String) -> [(text: String, cjk: Bool)] {
        var result: [(text: String, cjk: Bool)] = []
        var current = ""
        var currentCJK = false
        for scalar in text.unicodeScalars {
            let cjk = isCJK(scalar)
            let neutral = scalar.value < 0x80 && !scalar.properties.isAlphabetic
            if cjk != currentCJK && !neutral && !current.isEmpty {
                result.append((current, currentCJK))
                current = ""
            }
            if current.isEmpty && !neutral { currentCJK = cjk }
            current.unicodeScalars.append(scalar)
        }
        if !current.isEmpty { result.append((current, currentCJK)) }
        return result
    }

    // MARK: Shapes

    /// Fills a rectangle given by its top-left corner.
    public func fillRectangle(x: Float, y: Float, width: Float, height: Float, color: PDFColor) {
        guard width > 0, height > 0 else { return }
        HPDF_Page_SetRGBFill(handle, color.red, color.green, color.blue)
        HPDF_Page_Rectangle(handle, x, self.height - y - height, width, height)
        HPDF_Page_Fill(handle)
    }

    /// Strokes a line through the points, optionally dashed.
    public func line(
        _ points: [(x: Float, y: Float)], width: Float = 0.5, color: PDFColor, dash: [UInt16] = []
    ) {
        guard let first = points.first, points.count > 1 else { return }
        HPDF_Page_GSave(handle)
        HPDF_Page_SetLineWidth(handle, width)
        HPDF_Page_SetLineJoin(handle, HPDF_ROUND_JOIN)
        HPDF_Page_SetRGBStroke(handle, color.red, color.green, color.blue)
        if !dash.isEmpty { HPDF_Page_SetDash(handle, dash, UInt32(dash.count), 0) }
        HPDF_Page_MoveTo(handle, first.x, height - first.y)
        for point in points.dropFirst() { HPDF_Page_LineTo(handle, point.x, height - point.y) }
        HPDF_Page_Stroke(handle)
        HPDF_Page_GRestore(handle)
    }

    /// Fills a circle.
    public func fillCircle(x: Float, y: Float, radius: Float, color: PDFColor) {
        HPDF_Page_SetRGBFill(handle, color.red, color.green, color.blue)
        HPDF_Page_Circle(handle, x, height - y, radius)
        HPDF_Page_Fill(handle)
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}
