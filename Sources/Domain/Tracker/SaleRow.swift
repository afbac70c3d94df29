import Crypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One sale item as the warehouse stores it: cleaned, with its identity and its amounts in USD.
public struct SaleRow: Sendable, Equatable {
    /// The sale's identity: the same sale seen in two windows, two runs or two objects has the same key.
    /// SHA-256 (hex) of the release URL and the full-precision time (the Components dataset's `_id`), the item
    /// type and description (two packages of one album bought together), and the item's place among identical
    /// items of its event (the same thing bought twice at once).
    public var saleKey: String
    /// `utc_date` in its canonical decimal form, seconds since 1970 (full precision).
    public var utcDate: FeedNumber
    public var releaseURL: String
    /// The artist's or label's page, `https://host`.
    public var artistPage: String
    public var artistName: String?
    public var itemType: ItemType
    public var itemDescription: String?
    public var albumTitle: String?
    /// The seller's currency, ISO 4217 in capitals.
    public var currency: String?
    /// What the buyer paid, in the seller's currency (for several tracks bought together, the total).
    public var amountPaid: FeedNumber?
    /// The price asked, in the seller's currency: for several tracks bought together (`addl_count`), the total.
    public var itemPrice: FeedNumber?
    /// What the buyer paid, in USD, as the feed converted it. The warehouse works out the price asked in USD (at
    /// the rate this implies), the overpayment and the paid-to-price ratio, in SQL, in one place.
    public var amountPaidUSD: FeedNumber?
    public var buyerCountry: String?
    /// ISO 3166-1 alpha-2, in capitals.
    public var buyerCountryCode: String?
    /// Tracks bought with this one, from the same album.
    public var additionalCount: Int
    /// The cover or package picture.
    public var imageURL: String?
}

/// A feed item that cannot become a sale row, and why.
public struct RejectedItem: Sendable, Equatable {
    /// Its place in the window: event and item index.
    public var event: Int
    public var item: Int
    public var reason: String

    public init(event: Int, item: Int, reason: String) {
        self.event = event
        self.item = item
        self.reason = reason
    }
}

extension SaleRow {
    /// The rows of a window's items, and the items that cannot be rows (with the reason), in order.
    public static func rows(from window: SalesfeedWindow, domain: SaleDomain) -> (
        rows: [SaleRow], rejected: [RejectedItem]
    ) {
        var rows: [SaleRow] = []
        var rejected: [RejectedItem] = []
        for (eventIndex, event) in window.events.enumerated() {
            collect(event, eventIndex: eventIndex, domain: domain, rows: &rows, rejected: &rejected)
        }
        return (rows, rejected)
    }

    /// Adds the rows of one event's items, and the items that cannot be rows, in order.
    public static func collect(
        _ event: SaleEvent, eventIndex: Int, domain: SaleDomain, rows: inout [SaleRow], rejected: inout [RejectedItem]
    ) {
        var seen: [String: Int] = [:]
        for (itemIndex, item) in event.items.enumerated() {
            switch SaleRow.make(item, eventDate: event.utcDate, domain: domain, seen: &seen) {
            case .success(let row): rows.append(row)
            case .failure(let problem):
                rejected.append(RejectedItem(event: eventIndex, item: itemIndex, reason: problem.reason))
            }
        }
    }

    struct Problem: Error {
        var reason: String
    }

    /// The row of one item, or why there is none.
    static func make(_ item: SaleItem, eventDate: FeedNumber?, domain: SaleDomain, seen: inout [String: Int])
        -> Result<SaleRow, Problem>
    {
        if item.utcDate == nil, let unreadable = item.unreadableNumbers.first(where: { $0.hasPrefix("utc_date") }) {
            return .failure(Problem(reason: "\(unreadable) is not a time"))
        }
        guard let utcDate = item.utcDate ?? eventDate else { return .failure(Problem(reason: "no utc_date")) }
        guard !utcDate.isNegative, utcDate.text != "0" else {
            return .failure(Problem(reason: "utc_date \(utcDate) is not a time"))
        }
        guard let url = item.releaseURL else {
            return .failure(Problem(reason: "no usable release URL (\(item.url ?? "none"))"))
        }
        if case .other(let code) = item.itemType {
            return .failure(Problem(reason: "unknown item_type '\(code)'"))
        }
        if let problem = domain.problem(item, utcDate: utcDate, url: url) { return .failure(Problem(reason: problem)) }
        let additional = max(0, item.additionalCount ?? 0)
        let description = item.itemDescription.map { $0.collapsingWhitespace() }
        var identity = "\(url)|\(utcDate.text)|\(item.itemType.name)|\(description ?? "")"
        let occurrence = seen[identity, default: 0]
        seen[identity] = occurrence + 1
        if occurrence > 0 { identity += "|\(occurrence)" }
        let key = Hex.encode(SHA256.hash(data: Array(identity.utf8)))
        return .success(
            SaleRow(
                saleKey: key, utcDate: utcDate, releaseURL: url, artistPage: ReleaseURL.sellerPage(of: url),
                artistName: item.artistName.map {
                    SaleDomain.bounded($0.collapsingWhitespace().withoutFormatCharacters())
                },
                itemType: item.itemType,
                itemDescription: description.map { SaleDomain.bounded($0.withoutFormatCharacters()) },
                albumTitle: item.albumTitle.map {
                    SaleDomain.bounded($0.collapsingWhitespace().withoutFormatCharacters())
                },
                currency: item.currency.map { $0.collapsingWhitespace().uppercased() }.flatMap {
                    $0.count == 3 ? $0 : nil
                },
                amountPaid: item.amountPaid, itemPrice: item.itemPrice, amountPaidUSD: item.amountPaidUSD,
                buyerCountry: item.country.map { $0.collapsingWhitespace() },
                buyerCountryCode: item.countryCode.flatMap(isoCountryCode),
                additionalCount: additional, imageURL: item.artURL))
    }
}

/// The ISO 3166-1 alpha-2 code of a buyer's country as the feed writes it (lower case; PayPal's `C2` for
/// buyers in China), or `nil` when it is no country code.
func isoCountryCode(_ code: String) -> String? {
    let upper = code.collapsingWhitespace().uppercased()
    if upper == "C2" { return "CN" }
    guard upper.utf8.count == 2, upper.utf8.allSatisfy({ (0x41...0x5A).contains($0) }) else { return nil }
    return upper
}
