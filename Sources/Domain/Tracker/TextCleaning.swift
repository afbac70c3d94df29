extension String {
    /// The text without spaces at either end.
    public func trimmingSpaces() -> String {
        let bytes = utf8
        guard bytes.first == 0x20 || bytes.last == 0x20 else { return self }
        return String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    /// The text with white space of any kind (newlines, tabs) trimmed at the ends and made one space between
    /// words: how names from pages and the feed are kept.
    public func collapsingWhitespace() -> String {
        // Most names need nothing done: a scan of the bytes says so without making a new string.
        if !mayNeedCollapsing { return self }
        return split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Whether the text may start or end with white space or hold a run of it, or white space other than one
    /// ASCII space: Unicode's (no-break space, en space, ideographic space…) is told by its UTF-8 lead bytes.
    private var mayNeedCollapsing: Bool {
        var previous: UInt8 = 0x20  // as if a space came before: a leading space needs work
        for byte in utf8 {
            switch byte {
            case 0x09...0x0D: return true
            case 0x20: if previous == 0x20 { return true }
            case 0x85, 0xA0, 0x9A, 0x80, 0x81:
                if previous == 0xC2 || previous == 0xE1 || previous == 0xE2 || previous == 0xE3 { return true }
            default: break
            }
            previous = byte
        }
        return previous == 0x20
    }

    /// The text without bidirectional controls (U+202A to U+202E, U+2066 to U+2069, the marks U+200E, U+200F
    /// and U+061C), which turn what follows them around on a page, nor other controls. Joiners stay: emoji need
    /// them.
    public func withoutFormatCharacters() -> String {
        func isControl(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.value {
            case 0..<0x20, 0x7F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
            default: false
            }
        }
        guard unicodeScalars.contains(where: isControl) else { return self }
        return String(String.UnicodeScalarView(unicodeScalars.filter { !isControl($0) }))
    }
}
