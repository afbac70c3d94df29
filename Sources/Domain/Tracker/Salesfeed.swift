#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One window of Bandcamp's sales feed (`/api/salesfeed/1/get?start_date=…`), as the feed sends it.
///
/// The feed is loose: numbers come as numbers or strings, absent values as `null`, as the string `"null"`
/// or not at all. Parsing tolerates all of that and keeps every item of every event, of every type.
public struct SalesfeedWindow: Sendable, Equatable {
    /// The window's start, in seconds since 1970 (what was asked for).
    public var startDate: Int64
    /// The window's end: where the next window starts.
    public var endDate: Int64
    /// How far behind real time the feed is published.
    public var dataDelaySeconds: Int64
    /// The server's clock when it answered.
    public var serverTime: Int64
    /// The sale events, in the feed's order.
    public var events: [SaleEvent]

    /// Every item of every event.
    public var items: [SaleItem] { events.flatMap(\.items) }

    /// Where the feed is complete up to: windows should be fetched until their start passes this.
    public var completeUntil: Int64 { serverTime - dataDelaySeconds }

    /// A window.
    public init(startDate: Int64, endDate: Int64, dataDelaySeconds: Int64, serverTime: Int64, events: [SaleEvent]) {
        self.startDate = startDate
        self.endDate = endDate
        self.dataDelaySeconds = dataDelaySeconds
        self.serverTime = serverTime
        self.events = events
    }

    /// Parses a response body: the window itself, or `get_initial`'s `{"feed_data": {…}}` around it.
    /// - Throws: `SalesfeedError` saying what is wrong (not JSON, cut short, a field missing or of the wrong
    ///   kind), never a partial window.
    public static func parse(_ bytes: [UInt8]) throws -> SalesfeedWindow {
        var reader = SalesfeedReader()
        let events = try reader.read(bytes)
        let header = try reader.finish()
        return SalesfeedWindow(
            startDate: header.startDate, endDate: header.endDate, dataDelaySeconds: header.dataDelaySeconds,
            serverTime: header.serverTime, events: events)
    }
}

/// One event of the feed: a purchase, which may hold several items.
public struct SaleEvent: Sendable, Equatable {
    /// `sale` (the only kind seen).
    public var eventType: String
    /// When it happened, seconds since 1970, to the feed's full precision.
    public var utcDate: FeedNumber?
    /// What was bought.
    public var items: [SaleItem]

    init(fields: FeedJSONObject) {
        eventType = fields.string("event_type") ?? "sale"
        utcDate = fields.decimal("utc_date")
        items = (fields.objects("items") ?? []).map { SaleItem(fields: $0) }
    }

    public init(eventType: String, utcDate: FeedNumber?, items: [SaleItem]) {
        self.eventType = eventType
        self.utcDate = utcDate
        self.items = items
    }
}

/// What was sold: a digital album or track, a physical package, or a bundle.
public enum ItemType: Sendable, Equatable {
    case album, track, physical, bundle
    /// A letter the feed has not been seen to send, kept as it came.
    case other(String)

    /// The feed's letter (`a`, `t`, `p`, `b`).
    public init(code: String) {
        switch code {
        case "a": self = .album
        case "t": self = .track
        case "p": self = .physical
        case "b": self = .bundle
        default: self = .other(code)
        }
    }

    /// The warehouse's name: `album`, `track`, `physical`, `bundle`, or the letter.
    public var name: String {
        switch self {
        case .album: "album"
        case .track: "track"
        case .physical: "physical"
        case .bundle: "bundle"
        case .other(let code): code
        }
    }
}

/// One item of a sale, every field the feed gives, tolerantly read.
public struct SaleItem: Sendable, Equatable, Decodable {
    /// When it was sold, seconds since 1970, to the feed's full precision (the sale's identity needs it).
    public var utcDate: FeedNumber?
    public var artistName: String?
    public var itemType: ItemType
    public var itemDescription: String?
    public var albumTitle: String?
    /// The kind of the URL's page: `a` album, `t` track, `p` package.
    public var slugType: String?
    public var trackAlbumSlugText: String?
    /// The seller's currency.
    public var currency: String?
    /// What the buyer paid, in the seller's currency (for `addl_count` purchases, the total).
    public var amountPaid: FeedNumber?
    /// The price asked, in the seller's currency.
    public var itemPrice: FeedNumber?
    public var amountPaidUSD: FeedNumber?
    public var amountPaidFormatted: String?
    /// Present when the buyer paid more than asked.
    public var amountOverFormatted: String?
    /// The buyer's country and its ISO code.
    public var country: String?
    public var countryCode: String?
    public var artID: String?
    public var artURL: String?
    public var releases: String?
    public var packageImageID: String?
    /// The release's page as the feed wrote it (`//x.bandcamp.com/…` or a custom domain).
    public var url: String?
    /// More tracks of the same album bought with this one.
    public var additionalCount: Int?
    public var itemSlug: String?
    /// Number fields that were there but held no number this reads (`"1e999"`, `"12 €"`), each as
    /// `name 'text'`: such an item is rejected, never stored with the field missing.
    public var unreadableNumbers: [String] = []

    enum Keys: String, CodingKey {
        case utcDate = "utc_date"
        case artistName = "artist_name"
        case itemType = "item_type"
        case itemDescription = "item_description"
        case albumTitle = "album_title"
        case slugType = "slug_type"
        case trackAlbumSlugText = "track_album_slug_text"
        case currency
        case amountPaid = "amount_paid"
        case itemPrice = "item_price"
        case amountPaidUSD = "amount_paid_usd"
        case amountPaidFormatted = "amount_paid_fmt"
        case amountOverFormatted = "amount_over_fmt"
        case country
        case countryCode = "country_code"
        case artID = "art_id"
        case artURL = "art_url"
        case releases
        case packageImageID = "package_image_id"
        case url
        case additionalCount = "addl_count"
        case itemSlug = "item_slug"
    }

    /// Reads an item from a JSON array of items (a test fixture, a backfill).
    public init(from decoder: any Decoder) throws {
        self.init(fields: try ContainerFields(decoder.container(keyedBy: AnyKey.self)))
    }

    init(fields c: some LenientFields) {
        for key in [Keys.utcDate, .amountPaid, .itemPrice, .amountPaidUSD, .additionalCount]
        where c.decimal(key.rawValue) == nil {
            if let text = c.string(key.rawValue) {
                unreadableNumbers.append("\(key.rawValue) '\(text.prefix(40))\(text.count > 40 ? "…" : "")'")
            }
        }
        utcDate = c.decimal(Keys.utcDate.rawValue)
        artistName = c.string(Keys.artistName.rawValue)
        itemType = ItemType(code: c.string(Keys.itemType.rawValue) ?? "")
        itemDescription = c.string(Keys.itemDescription.rawValue)
        albumTitle = c.string(Keys.albumTitle.rawValue)
        slugType = c.string(Keys.slugType.rawValue)
        trackAlbumSlugText = c.string(Keys.trackAlbumSlugText.rawValue)
        currency = c.string(Keys.currency.rawValue)
        amountPaid = c.decimal(Keys.amountPaid.rawValue)
        itemPrice = c.decimal(Keys.itemPrice.rawValue)
        amountPaidUSD = c.decimal(Keys.amountPaidUSD.rawValue)
        amountPaidFormatted = c.string(Keys.amountPaidFormatted.rawValue)
        amountOverFormatted = c.string(Keys.amountOverFormatted.rawValue)
        country = c.string(Keys.country.rawValue)
        countryCode = c.string(Keys.countryCode.rawValue)
        artID = c.string(Keys.artID.rawValue)
        artURL = c.string(Keys.artURL.rawValue)
        releases = c.string(Keys.releases.rawValue)
        packageImageID = c.string(Keys.packageImageID.rawValue)
        url = c.string(Keys.url.rawValue)
        additionalCount = c.decimal(Keys.additionalCount.rawValue).map { Int($0.wholePart) }
        itemSlug = c.string(Keys.itemSlug.rawValue)
    }

    /// The release page as `https://host/path`: scheme-relative URLs made https, host in lower case, query and
    /// fragment dropped; `nil` when there is no usable URL.
    public var releaseURL: String? {
        url.flatMap(ReleaseURL.normalize)
    }
}

/// Release page URLs in one canonical form.
public enum ReleaseURL {
    /// `https://host/path` from `//host/path`, `http://…`, `https://…`, in any case, with or without a query.
    public static func normalize(_ text: String) -> String? {
        if let fast = normalizedFast(text) { return fast }
        var rest = Substring(text.trimmingSpaces())
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
        } else if let scheme = rest.firstRange(of: "://") {
            let name = rest[..<scheme.lowerBound].lowercased()
            guard name == "http" || name == "https" else { return nil }
            rest = rest[scheme.upperBound...]
        } else {
            return nil
        }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@").last.map { String($0).lowercased() } ?? ""
        guard !host.isEmpty, host.contains(".") else { return nil }
        var path = String(rest.dropFirst(authority.count).prefix { $0 != "?" && $0 != "#" })
        if path.isEmpty { path = "/" }
        let hostWithoutDefaultPort =
            host.hasSuffix(":443") || host.hasSuffix(":80") ? String(host.split(separator: ":")[0]) : host
        return "https://\(hostWithoutDefaultPort)\(path)"
    }
}

extension ReleaseURL {
    /// The host of a URL in the canonical form, `https://host/path` → `host`.
    public static func host(of url: String) -> String {
        String(url.drop { $0 != "/" }.drop { $0 == "/" }.prefix { $0 != "/" })
    }

    /// The seller's page (an artist's or a label's) of a release URL in the canonical form: `https://host`.
    public static func sellerPage(of url: String) -> String {
        "https://\(host(of: url))"
    }

    /// The feed's usual form, `//host/path` already in lower case with nothing to drop, without the general
    /// path's work; `nil` when the text needs that.
    static func normalizedFast(_ text: String) -> String? {
        var bytes = text.utf8.makeIterator()
        guard bytes.next() == 0x2F, bytes.next() == 0x2F else { return nil }
        var inHost = true
        var hostHasDot = false
        var hostLength = 0
        while let byte = bytes.next() {
            switch byte {
            case 0x41...0x5A, 0x3F, 0x23, 0x40, 0x20, 0x00...0x1F: return nil  // upper case, ? # @ space, controls
            case 0x3A where inHost: return nil  // a port
            case 0x2F: inHost = false
            case 0x2E where inHost: hostHasDot = true
            default: break
            }
            if inHost { hostLength += 1 }
        }
        guard hostHasDot, hostLength > 0 else { return nil }
        return inHost ? "https:\(text)/" : "https:\(text)"
    }
}

/// A feed answer that is not a usable window.
public struct SalesfeedError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// The feed's fields, read leniently: one set of rules for the streaming reader and for `Decodable`.
protocol LenientFields {
    /// A string however the feed wrote it: a string, a number, or nothing (`null`, `"null"`, absent, "").
    func string(_ key: String) -> String?
    /// A number however the feed wrote it: a number or a numeric string; nothing otherwise.
    func decimal(_ key: String) -> FeedNumber?
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// A decoder's container read by the lenient rules.
struct ContainerFields: LenientFields {
    let container: KeyedDecodingContainer<AnyKey>

    init(_ container: KeyedDecodingContainer<AnyKey>) {
        self.container = container
    }

    func string(_ key: String) -> String? {
        let key = AnyKey(stringValue: key)
        if let text = try? container.decodeIfPresent(String.self, forKey: key) {
            return text.isEmpty || text == "null" ? nil : text
        }
        if let number = try? container.decodeIfPresent(Decimal.self, forKey: key) { return number.description }
        if let flag = try? container.decodeIfPresent(Bool.self, forKey: key) { return String(flag) }
        return nil
    }

    func decimal(_ key: String) -> FeedNumber? {
        let key = AnyKey(stringValue: key)
        if let number = try? container.decodeIfPresent(Decimal.self, forKey: key) {
            return FeedNumber(number.description)
        }
        if let text = try? container.decodeIfPresent(String.self, forKey: key) { return FeedNumber(text) }
        return nil
    }
}
