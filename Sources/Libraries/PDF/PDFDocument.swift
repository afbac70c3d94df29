import CHaru

#if canImport(Glibc)
    import Glibc
#endif

/// What went wrong making a PDF: libharu's error code and detail, and what we were doing.
public struct PDFError: Error, CustomStringConvertible, Sendable {
    /// What we were doing.
    public var operation: String
    /// libharu's error code (`HPDF_…` in hpdf_error.h).
    public var code: UInt
    /// libharu's detail code (often an errno or a font table's status).
    public var detail: UInt

    public var description: String {
        "PDF: \(operation) failed (libharu error 0x\(String(code, radix: 16, uppercase: true)), detail \(detail))"
    }
}

/// A colour, RGB in 0...1.
public struct PDFColor: Sendable, Equatable {
    public var red: Float
    public var green: Float
    public var blue: Float

    /// A colour from `0xRRGGBB`.
    public init(hex: UInt32) {
        red = Float((hex >> 16) & 0xFF) / 255
        green = Float((hex >> 8) & 0xFF) / 255
        blue = Float(hex & 0xFF) / 255
    }
}

/// The weight of text.
public enum PDFFontStyle: Sendable {
    case regular, bold
}

/// How a line of text stands against its x.
public enum PDFAlignment: Sendable {
    case left, right, center
}

/// The TrueType fonts a document embeds: a regular and a bold face for Latin, Greek and Cyrillic text, and a
/// face for Chinese, Japanese and Korean, used for the characters of those scripts (loaded only when a document
/// has such a character).
public struct PDFFontFiles: Sendable, Equatable {
    public var regular: String
    public var bold: String
    public var cjk: String

    public init(regular: String, bold: String, cjk: String) {
        self.regular = regular
        self.bold = bold
        self.cjk = cjk
    }

    /// The file names looked for: DejaVu Sans (Debian's `fonts-dejavu-core`) and Droid Sans Fallback
    /// (`fonts-droid-fallback`).
    public static let names = (
        regular: "DejaVuSans.ttf", bold: "DejaVuSans-Bold.ttf", cjk: "DroidSansFallbackFull.ttf"
    )

    /// Where Lambda unpacks the fonts layer that `scripts/package` makes (its `fonts/` folder, under `/opt`).
    public static let layerFolder = "/opt/fonts"

    /// Where Debian installs them.
    public static let systemFolders = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/droid"]

    /// The fonts found in the first of `folders` that has each one.
    /// - Throws: `PDFFontError` naming each font missing and where it was looked for.
    public static func locate(in folders: [String]) throws -> PDFFontFiles {
        func find(_ name: String) -> String? {
            folders.map { "\($0)/\(name)" }.first { access($0, R_OK) == 0 }
        }
        let found = [names.regular, names.bold, names.cjk].map { ($0, find($0)) }
        let missing = found.filter { $0.1 == nil }.map(\.0)
        guard missing.isEmpty else { throw PDFFontError(missing: missing, folders: folders) }
        return PDFFontFiles(regular: found[0].1!, bold: found[1].1!, cjk: found[2].1!)
    }
}

/// Fonts that could not be found.
public struct PDFFontError: Error, CustomStringConvertible, Sendable {
    public var missing: [String]
    public var folders: [String]

    public var description: String {
        "fonts not found: \(missing.joined(separator: ", ")) in \(folders.joined(separator: ", ")) "
            + "(install Debian's fonts-dejavu-core and fonts-droid-fallback, or set REPORT_FONT_DIR)"
    }
}

/// A PDF document on libharu: A4 pages, embedded TrueType fonts in UTF-8, compressed. Not thread-safe: build it
/// in one task, then take its bytes.
public final class PDFDocument {
    let handle: HPDF_Doc
    private let files: PDFFontFiles
    private var regular: HPDF_Font?
    private var bold: HPDF_Font?
    private var cjk: HPDF_Font?
    /// The pages, in order.
    public private(set) var pages: [PDFPage] = []

    /// A document with its title, author and subject in the PDF's information dictionary.
    public init(fonts: PDFFontFiles, title: String, author: String, subject: String) throws {
        guard let handle = HPDF_New(nil, nil) else {
            throw PDFError(operation: "creating a document", code: 0, detail: 0)
        }
        self.handle = handle
        files = fonts
        HPDF_SetCompressionMode(handle, UInt32(HPDF_COMP_ALL))
        HPDF_UseUTFEncodings(handle)
        HPDF_SetCurrentEncoder(handle, "UTF-8")
        HPDF_SetInfoAttr(handle, HPDF_INFO_TITLE, title)
        HPDF_SetInfoAttr(handle, HPDF_INFO_AUTHOR, author)
        HPDF_SetInfoAttr(handle, HPDF_INFO_SUBJECT, subject)
        HPDF_SetInfoAttr(handle, HPDF_INFO_CREATOR, "bandcamp-tracker")
        try check("setting up the document")
        regular = try load(fonts.regular)
        bold = try load(fonts.bold)
    }

    deinit {
        HPDF_Free(handle)
    }

    private func load(_ path: String) throws -> HPDF_Font {
        guard let name = HPDF_LoadTTFontFromFile(handle, path, HPDF_TRUE),
            let font = HPDF_GetFont(handle, name, "UTF-8")
        else {
            let error = PDFError(
                operation: "loading the font \(path)", code: UInt(HPDF_GetError(handle)),
                detail: UInt(HPDF_GetErrorDetail(handle)))
            HPDF_ResetError(handle)
            throw error
        }
        return font
    }

    /// The font for a run of text: the CJK face for those scripts (loaded at its first use), else the style's.
    func font(_ style: PDFFontStyle, cjk isCJK: Bool) throws -> HPDF_Font {
        if isCJK {
            if let cjk { return cjk }
            let loaded = try load(files.cjk)
            cjk = loaded
            return loaded
        }
        return style == .bold ? bold! : regular!
    }

    /// Adds an A4 portrait page.
    public func addPage() throws -> PDFPage {
        guard let page = HPDF_AddPage(handle) else {
            try check("adding a page")
            throw PDFError(operation: "adding a page", code: 0, detail: 0)
        }
        HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT)
        let result = PDFPage(document: self, handle: page)
        pages.append(result)
        try check("adding a page")
        return result
    }

    /// The document's bytes.
    public func data() throws -> [UInt8] {
        try check("drawing")
        guard HPDF_SaveToStream(handle) == HPDF_OK else {
            try check("writing the document")
            return []
        }
        var bytes = [UInt8](repeating: 0, count: Int(HPDF_GetStreamSize(handle)))
        var size = HPDF_UINT32(bytes.count)
        HPDF_ResetStream(handle)
        let status = bytes.withUnsafeMutableBufferPointer { HPDF_ReadFromStream(handle, $0.baseAddress, &size) }
        guard status == HPDF_OK || status == HPDF_STREAM_EOF else {
            throw PDFError(operation: "reading the written document", code: UInt(status), detail: 0)
        }
        return Array(bytes.prefix(Int(size)))
    }

    /// Throws libharu's pending error, if any.
    func check(_ operation: String) throws {
        let code = HPDF_GetError(handle)
        guard code != HPDF_OK else { return }
        let error = PDFError(operation: operation, code: UInt(code), detail: UInt(HPDF_GetErrorDetail(handle)))
        HPDF_ResetError(handle)
        throw error
    }
}

/// Whether a character is drawn with the CJK face: CJK symbols and punctuation, kana, Hangul, CJK ideographs,
/// compatibility and full-width forms.
func isCJK(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x1100...0x11FF, 0x2E80...0x2FDF, 0x3000...0x303F, 0x3040...0x30FF, 0x3100...0x31FF, 0x3200...0x4DBF,
        0x4E00...0x9FFF, 0xA960...0xA97F, 0xAC00...0xD7FF, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFFEF,
        0x20000...0x2FFFF:
        return true
    default:
        return false
    }
}
