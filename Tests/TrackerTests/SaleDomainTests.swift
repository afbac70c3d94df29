import Testing

@testable import Tracker

/// Values from outside that no sale can hold: each item is refused alone, with a reason that names the field.
@Suite("The sale domain: one hostile value refuses its item, never the window")
struct SaleDomainTests {
    let domain = SaleDomain(now: 1_765_000_000)

    func window(_ items: String...) throws -> SalesfeedWindow {
        let events = items.map { #"{"event_type":"sale","utc_date":1749583861.5,"items":[\#($0)]}"# }
        return try SalesfeedWindow.parse(
            Array(
                #"{"start_date":1749583800,"end_date":1749584400,"data_delay_sec":120,"events":[\#(events.joined(separator: ","))],"server_time":1749584409}"#
                    .utf8))
    }

    static let good =
        #"{"utc_date":1749583861.7,"item_type":"a","url":"//x.bandcamp.com/album/a","currency":"usd","amount_paid":7,"item_price":5,"amount_paid_usd":7}"#

    @Test(
        "each hostile value is refused with what was wrong, and the good item beside it loads",
        arguments: [
            (#""amount_paid_usd":1e15"#, "amount_paid_usd 1000000000000000 is more than 1000000"),
            (#""amount_paid":1e8,"item_price":1e-9"#, "item_price 0.000000001 is above nothing but below a cent"),
            (#""amount_paid":123456789012"#, "amount_paid 123456789012 is more than 100000000"),
            (
                #""utc_date":1234567890123456789012345678901234567890"#,
                "utc_date 1234567890123456789012345678901234567890 is outside"
            ),
            (#""utc_date":1e308"#, "utc_date '1e308' is not a time"),
            (#""amount_paid":"1e308""#, "amount_paid '1e308' is not a number"),
            (#""utc_date":946684800"#, "is outside Bandcamp's era"),
            (#""utc_date":1999999999"#, "is outside Bandcamp's era"),
        ])
    func refused(field: String, reason: String) throws {
        let hostile = Self.good.replacingOccurrences(of: #"{"utc_date":1749583861.7,"#, with: "{\(field),")
            .replacingOccurrences(of: #","utc_date":1749583861.7"#, with: "")
        let (rows, rejected) = SaleRow.rows(from: try window(Self.good, hostile), domain: domain)
        #expect(rows.count == 1 && rows[0].releaseURL == "https://x.bandcamp.com/album/a")
        #expect(rejected.count == 1 && rejected.first?.event == 1)
        #expect(rejected.first?.reason.contains(reason) == true, "\(rejected)")
    }

    @Test("names and titles too long to index are cut, whole characters, with an ellipsis; the identity keeps all")
    func longText() throws {
        let name = String(repeating: "Ω", count: 3000)
        let item = Self.good.replacingOccurrences(
            of: #""item_type":"a""#, with: #""item_type":"a","artist_name":"\#(name)""#)
        let row = try #require(SaleRow.rows(from: try window(item), domain: domain).rows.first)
        let kept = try #require(row.artistName)
        #expect(kept.utf8.count <= SaleDomain.longestText && kept.hasSuffix("…") && kept.hasPrefix("ΩΩΩ"))
        let long = "//x.bandcamp.com/album/" + String(repeating: "a", count: 3000)
        let refused = Self.good.replacingOccurrences(of: "//x.bandcamp.com/album/a", with: long)
        #expect(
            SaleRow.rows(from: try window(refused), domain: domain).rejected.first?.reason.contains("bytes long")
                == true)
    }

    @Test("feed numbers compare exactly, whatever their size")
    func order() {
        let numbers = ["-12.5", "-2", "0", "0.000000001", "0.01", "0.1", "9.99", "10", "1000000", "1000000.01", "1e15"]
            .compactMap(FeedNumber.init)
        #expect(numbers.count == 11 && numbers == numbers.sorted())
        #expect(FeedNumber("1.50")! == FeedNumber("1.5")! && !(FeedNumber("1.5")! < FeedNumber("1.50")!))
    }
}
