import Foundation
import Testing
import Tracker

@Suite("Feed items into sale rows: identity, cleaning, USD")
struct SaleRowTests {
    func window(_ items: String) throws -> SalesfeedWindow {
        try SalesfeedWindow.parse(
            Array(
                #"{"start_date":1,"end_date":601,"server_time":900,"events":[{"utc_date":1749583861.5,"items":[\#(items)]}]}"#
                    .utf8))
    }

    @Test("a real window's item becomes one clean row")
    func realWindow() throws {
        let window = try SalesfeedWindow.parse(try FeedFixtures.bytes("envelope-2025-06.json"))
        let (rows, rejected) = SaleRow.rows(from: window, domain: TestDomain.now)
        #expect(rejected.isEmpty && rows.count == 1)
        let row = rows[0]
        #expect(row.utcDate.description == "1749583861.7284331")
        #expect(row.releaseURL == "https://nanobii.bandcamp.com/track/f-k-extended-mix")
        #expect(row.artistPage == "https://nanobii.bandcamp.com")
        #expect(row.itemType == .track && row.currency == "SEK" && row.buyerCountryCode == "US")
        #expect(row.amountPaid == 8 && row.itemPrice == 8 && row.amountPaidUSD?.description == "0.83")
        #expect(row.saleKey.count == 64)
    }

    @Test("587 real items: every one a row, each its own identity")
    func realItems() throws {
        let items = try JSONDecoder().decode([SaleItem].self, from: Data(try FeedFixtures.bytes("items-2023-07.json")))
        let window = SalesfeedWindow(
            startDate: 0, endDate: 1, dataDelaySeconds: 0, serverTime: 0,
            events: [SaleEvent(eventType: "sale", utcDate: nil, items: items)])
        let (rows, rejected) = SaleRow.rows(from: window, domain: TestDomain.now)
        #expect(rejected.isEmpty && rows.count == 587)
        #expect(Set(rows.map(\.saleKey)).count == 587)
        #expect(Set(rows.compactMap(\.buyerCountryCode)).count == 35)
        #expect(rows.allSatisfy { $0.releaseURL.hasPrefix("https://") && $0.currency?.count == 3 })
    }

    @Test("the same sale has the same key whichever window, run or spelling it comes in")
    func identity() throws {
        let a = try window(#"{"utc_date":1749583861.50,"item_type":"a","url":"//X.bandcamp.com/album/y?from=feed"}"#)
        let b = try window(#"{"utc_date":"1749583861.5","item_type":"a","url":"https://x.bandcamp.com/album/y"}"#)
        let other = try window(#"{"utc_date":1749583861.5,"item_type":"b","url":"//x.bandcamp.com/album/y"}"#)
        let keys = [a, b, other].map { SaleRow.rows(from: $0, domain: TestDomain.now).rows[0].saleKey }
        #expect(keys[0] == keys[1])
        #expect(keys[0] != keys[2])
    }

    @Test("tracks bought together: the count of tracks and the feed's amounts kept as they came")
    func amounts() throws {
        let (rows, _) = SaleRow.rows(
            from: try window(
                #"{"utc_date":1,"item_type":"t","url":"//x.bandcamp.com/track/y","currency":"gbp","amount_paid":5,"item_price":1,"amount_paid_usd":6.5,"addl_count":"2","country_code":"gb"}"#
            ), domain: TestDomain.now)
        let row = try #require(rows.first)
        #expect(row.additionalCount == 2)
        #expect(row.amountPaid == 5 && row.itemPrice == 1 && row.amountPaidUSD == FeedNumber("6.5"))
        #expect(row.currency == "GBP" && row.buyerCountryCode == "GB")
    }

    @Test("items that cannot be sales are reported with the reason, and the others still become rows")
    func rejected() throws {
        let (rows, rejected) = SaleRow.rows(
            from: try window(
                """
                {"item_type":"a","url":"//x.bandcamp.com/album/ok"},
                {"utc_date":2,"item_type":"a","url":null},
                {"utc_date":3,"item_type":"z","url":"//x.bandcamp.com/album/z"},
                {"utc_date":4,"item_type":"a","url":"//x.bandcamp.com/album/n","amount_paid":-1},
                {"utc_date":5,"item_type":"p","url":"https://store.example.com/merch/shirt"}
                """), domain: TestDomain.now)
        #expect(rows.map(\.releaseURL) == ["https://x.bandcamp.com/album/ok", "https://store.example.com/merch/shirt"])
        #expect(rows[0].utcDate == FeedNumber("1749583861.5"))
        #expect(rejected.map(\.item) == [1, 2, 3])
        #expect(
            rejected.map(\.reason) == [
                "no usable release URL (none)", "unknown item_type 'z'", "amount_paid -1 is negative",
            ])
    }
}
