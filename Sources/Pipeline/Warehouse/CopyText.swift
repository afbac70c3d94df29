import Tracker

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Rows in PostgreSQL's text COPY format, built in one growing buffer.
struct CopyText {
    private(set) var bytes: [UInt8] = []
    private var fieldsInRow = 0

    init(capacity: Int = 1 << 20) {
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }

    /// Takes what has been built so far, leaving the buffer empty.
    mutating func take() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }

    /// Appends rows built in another buffer.
    mutating func append(_ other: CopyText) {
        bytes += other.bytes
    }

    private mutating func separate() {
        if fieldsInRow > 0 { bytes.append(0x09) }
        fieldsInRow += 1
    }

    /// A text field (`nil` is NULL); backslash, tab, newline and carriage return escaped.
    mutating func field(_ text: String?) {
        separate()
        guard let text else {
            bytes.append(0x5C)
            bytes.append(UInt8(ascii: "N"))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case 0x5C: bytes += [0x5C, 0x5C]
            case 0x09: bytes += [0x5C, UInt8(ascii: "t")]
            case 0x0A: bytes += [0x5C, UInt8(ascii: "n")]
            case 0x0D: bytes += [0x5C, UInt8(ascii: "r")]
            case 0x00: break  // PostgreSQL text cannot hold NUL
            default: bytes.append(byte)
            }
        }
    }

    mutating func field(_ number: FeedNumber?) {
        field(number?.text)
    }

    mutating func field(_ number: Int) {
        field(String(number))
    }

    mutating func endRow() {
        bytes.append(0x0A)
        fieldsInRow = 0
    }
}

extension SaleRow {
    /// The staging table's columns, in the order `copy(into:)` writes them.
    static let stagingColumns = [
        "sale_key", "utc_date", "release_url", "artist_page", "artist_name", "item_type", "item_description",
        "album_title", "image_url", "currency", "amount_paid", "item_price", "amount_paid_usd", "country_code",
        "country",
        "additional_count",
    ]

    /// The COPY into the staging table of rows that `copy(into:)` wrote.
    static let stagingCopy = "COPY load_staging (\(stagingColumns.joined(separator: ", "))) FROM STDIN"

    /// Appends the row in text COPY format.
    func copy(into text: inout CopyText) {
        text.field(saleKey)
        text.field(utcDate)
        text.field(releaseURL)
        text.field(artistPage)
        text.field(artistName ?? "")
        text.field(itemType.name)
        text.field(itemDescription)
        text.field(albumTitle)
        text.field(imageURL)
        text.field(currency)
        text.field(amountPaid)
        text.field(itemPrice)
        text.field(amountPaidUSD)
        text.field(buyerCountryCode)
        // The country as people call it: the standard's name of the code, not the feed's text ("C2" for China).
        text.field(buyerCountryCode.flatMap(CountryNames.name) ?? buyerCountry ?? buyerCountryCode)
        text.field(additionalCount)
        text.endRow()
    }
}
