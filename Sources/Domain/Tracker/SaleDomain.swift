/// The values a sale item may hold to be stored: what Bandcamp could have sold, in its era. An item outside is
/// rejected alone, with the reason, and the other items of its window load.
public struct SaleDomain: Sendable, Equatable {
    /// The earliest time a sale is taken at: Bandcamp opened in September 2008 (a margin before it).
    public var earliest: Int64
    /// The latest: now, and a margin for clocks (seconds since 1970).
    public var latest: Int64
    /// The largest amount in the seller's currency (prices in Japanese yen or Hungarian forints run to tens of
    /// thousands: a hundred million is no sale).
    public static let largestAmount: FeedNumber = 100_000_000
    /// The largest amount in US dollars.
    public static let largestUSD: FeedNumber = 1_000_000
    /// The smallest price above nothing: below a cent, a price is no price.
    public static let smallestPrice = FeedNumber("0.01")!
    /// The longest artist name, description or title kept, in UTF-8 bytes (longer ones are cut, with an
    /// ellipsis): an artist's name is indexed with its page, and an index row holds some 2,700 bytes.
    public static let longestText = 1000
    /// The longest release URL taken.
    public static let longestURL = 500

    /// Sales from 2008 up to `now` and a day.
    public init(now: Int64) {
        earliest = 1_199_145_600  // 2008-01-01
        latest = now + 86_400
    }

    /// Why an item is outside, or `nil` when it is inside.
    func problem(_ item: SaleItem, utcDate: FeedNumber, url: String) -> String? {
        if let unreadable = item.unreadableNumbers.first { return "\(unreadable) is not a number" }
        let seconds = utcDate.wholePart
        guard utcDate.text.count <= 24, seconds >= earliest, seconds <= latest else {
            return "utc_date \(utcDate.text.prefix(40)) is outside Bandcamp's era (2008 to now)"
        }
        guard url.utf8.count <= Self.longestURL else {
            return "the release URL is \(url.utf8.count) bytes long, more than \(Self.longestURL)"
        }
        for (name, value, largest) in [
            ("amount_paid", item.amountPaid, Self.largestAmount), ("item_price", item.itemPrice, Self.largestAmount),
            ("amount_paid_usd", item.amountPaidUSD, Self.largestUSD),
        ] {
            guard let value else { continue }
            if value.isNegative { return "\(name) \(value) is negative" }
            if value > largest { return "\(name) \(value.text.prefix(40)) is more than \(largest) (no sale is)" }
        }
        if let price = item.itemPrice, price.text != "0", price < Self.smallestPrice {
            return "item_price \(price.text.prefix(40)) is above nothing but below a cent"
        }
        return nil
    }

    /// Text cut to the longest kept (whole characters), with an ellipsis.
    public static func bounded(_ text: String) -> String {
        guard text.utf8.count > longestText else { return text }
        var kept = ""
        var bytes = 0
        for character in text {
            bytes += character.utf8.count
            if bytes > longestText - 3 { break }
            kept.append(character)
        }
        return kept + "…"
    }
}
