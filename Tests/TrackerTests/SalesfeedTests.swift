import Foundation
import Testing
import Tracker

/// Real feed data (see Fixtures/salesfeed/SOURCES.md).
enum FeedFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/salesfeed")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent(name)))
    }
}

@Suite("The sales feed, read as it really comes")
struct SalesfeedTests {
    @Test("a real window: its bounds, delay, server time and every field of its item, to full precision")
    func realWindow() throws {
        let window = try SalesfeedWindow.parse(try FeedFixtures.bytes("envelope-2025-06.json"))
        #expect(window.startDate == 1_749_583_860)
        #expect(window.endDate == 1_749_584_460)
        #expect(window.dataDelaySeconds == 120)
        #expect(window.serverTime == 1_749_584_469)
        #expect(window.completeUntil == 1_749_584_349)
        let item = try #require(window.items.first)
        #expect(item.utcDate?.description == "1749583861.7284331")
        #expect(window.events.first?.utcDate?.description == "1749583861.5860023")
        #expect(item.artistName == "nanobii")
        #expect(item.itemType == .track)
        #expect(item.currency == "SEK")
        #expect(item.amountPaid == 8 && item.itemPrice == 8)
        #expect(item.amountPaidUSD?.description == "0.83")
        #expect(item.trackAlbumSlugText == nil && item.releases == nil)
        #expect(item.countryCode == "us")
        #expect(item.artID == "34096151")
        #expect(item.releaseURL == "https://nanobii.bandcamp.com/track/f-k-extended-mix")
    }

    @Test("587 real items: every one read, of all four types, with the feed's quirks")
    func realItems() throws {
        let items = try JSONDecoder().decode([SaleItem].self, from: Data(try FeedFixtures.bytes("items-2023-07.json")))
        #expect(items.count == 587)
        let types = Dictionary(grouping: items, by: \.itemType.name).mapValues(\.count)
        #expect(types == ["track": 252, "album": 241, "physical": 88, "bundle": 6])
        // The string "null" is no value; numbers written as strings are numbers.
        let fields = items.flatMap { [$0.releases, $0.trackAlbumSlugText, $0.artID, $0.packageImageID] }
        #expect(!fields.contains("null"))
        #expect(items.filter { $0.releases == nil }.count == 581)
        #expect(items.filter { $0.artID == nil }.count == 88)
        #expect(items.allSatisfy { $0.utcDate != nil && $0.releaseURL != nil })
        #expect(items.filter { $0.additionalCount != nil }.count == 21)
        let custom = items.compactMap(\.releaseURL).filter { !$0.contains(".bandcamp.com/") }
        #expect(custom.count == 14)
        #expect(custom.contains("https://store.sigurros.com/album/tta"))
    }

    @Test("numbers as strings, nulls, missing fields, an empty events list, several items in one event")
    func looseShapes() throws {
        let json = """
            {"start_date":"1749583860","end_date":1749584460.0,"server_time":1749584469,
             "events":[
               {"event_type":"sale","utc_date":"1749583861.25","items":[
                 {"utc_date":1749583861.5,"item_type":"a","amount_paid":"7.50","item_price":null,
                  "url":"HTTP://Artist.Bandcamp.com/album/x?from=feed#t","addl_count":"2","item_slug":"x"},
                 {"utc_date":1749583861.5,"item_type":"b","amount_over_fmt":"$3","url":null},
                 {"item_type":"z"}]},
               {"event_type":"sale","items":[]}]}
            """
        let window = try SalesfeedWindow.parse(Array(json.utf8))
        #expect(window.startDate == 1_749_583_860 && window.endDate == 1_749_584_460)
        #expect(window.dataDelaySeconds == 0)
        #expect(window.events.count == 2)
        #expect(window.items.count == 3)
        let first = window.items[0]
        #expect(first.amountPaid?.description == "7.5" && first.itemPrice == nil)
        #expect(first.additionalCount == 2)
        #expect(first.releaseURL == "https://artist.bandcamp.com/album/x")
        #expect(window.items[1].itemType == .bundle && window.items[1].releaseURL == nil)
        #expect(window.items[2].itemType == .other("z") && window.items[2].utcDate == nil)
        let empty = try SalesfeedWindow.parse(Array(#"{"start_date":1,"end_date":2,"server_time":3,"events":[]}"#.utf8))
        #expect(empty.items.isEmpty)
        let initial = try SalesfeedWindow.parse(
            Array(
                #"{"feed_data":{"start_date":1,"end_date":601,"server_time":700,"data_delay_sec":120,"events":[]}}"#
                    .utf8))
        #expect(initial.endDate == 601 && initial.completeUntil == 580)
    }

    @Test(
        "a truncated, non-JSON or incomplete answer is a clear error, never a partial window",
        arguments: [
            ("", "empty body"), ("<html>502 Bad Gateway</html>", "not a sales window"),
            (#"{"start_date":1,"end_date":2,"server_time":3,"events":[{"items":[{"utc_date":1"#, "not a sales window"),
            (#"{"end_date":2,"server_time":3,"events":[]}"#, "start_date is missing"),
        ])
    func malformed(body: String, complaint: String) {
        let error = #expect(throws: SalesfeedError.self) { try SalesfeedWindow.parse(Array(body.utf8)) }
        #expect(error?.description.contains(complaint) == true)
    }

    @Test(
        "release URLs in one form",
        arguments: [
            ("//nanobii.bandcamp.com/track/f-k", "https://nanobii.bandcamp.com/track/f-k"),
            ("https://store.sigurros.com/album/tta", "https://store.sigurros.com/album/tta"),
            ("http://Mollylele.Rocks/track/airbag?x=1", "https://mollylele.rocks/track/airbag"),
            ("https://x.bandcamp.com:443", "https://x.bandcamp.com/"),
        ])
    func releaseURLs(raw: String, normal: String) {
        #expect(ReleaseURL.normalize(raw) == normal)
    }

    @Test(
        "what is no release URL is refused",
        arguments: ["", "null", "ftp://x.com/a", "//localhost/a", "bandcamp.com/x"])
    func notURLs(raw: String) {
        #expect(ReleaseURL.normalize(raw) == nil)
    }
}

@Suite("The feed reader: a window read in pieces is the window read whole")
struct SalesfeedReaderTests {
    @Test("every way of cutting a real window into pieces gives the same events", arguments: [1, 2, 3, 7, 64, 1000])
    func pieces(size: Int) throws {
        let bytes = try FeedFixtures.bytes("envelope-2025-06.json")
        let whole = try SalesfeedWindow.parse(bytes)
        var reader = SalesfeedReader()
        var events: [SaleEvent] = []
        var start = 0
        while start < bytes.count {
            events += try reader.read(bytes[start..<min(bytes.count, start + size)])
            start += size
        }
        let header = try reader.finish()
        #expect(events == whole.events && !events.isEmpty)
        #expect(header.startDate == whole.startDate && header.serverTime == whole.serverTime)
    }

    @Test("fields after the events, escapes and unicode in strings, get_initial's envelope")
    func layout() throws {
        let json = #"""
            {"feed_data": {"events": [{"items": [{"artist_name": "Sigur R\u00f3s \"live\" \ud83c\udfb5", "item_type": "a",
              "url": "//x.bandcamp.com/album/y", "utc_date": 1.5e9}]}], "end_date": "601", "start_date": 1,
              "server_time": 700, "extra": {"events": [1, 2]}}}
            """#
        let window = try SalesfeedWindow.parse(Array(json.utf8))
        #expect(window.startDate == 1 && window.endDate == 601 && window.completeUntil == 700)
        #expect(window.items.count == 1)
        #expect(window.items[0].artistName == "Sigur Rós \"live\" 🎵")
        #expect(window.items[0].utcDate == FeedNumber("1500000000"))
    }

    @Test(
        "broken structure is named with its byte offset",
        arguments: [
            #"{"start_date":1,"end_date":2,"server_time":3,"events":[{"items":[}]}"#,
            #"{"start_date":1,"end_date":2,"server_time":3,"events":[7]}"#,
            #"{"start_date":1,"end_date":2,"server_time":3,"events":[]}}"#,
            #"{"start_date":1,"end_date":2,"server_time":3,"events":[]} {}"#,
        ])
    func broken(json: String) {
        let error = #expect(throws: SalesfeedError.self) { try SalesfeedWindow.parse(Array(json.utf8)) }
        #expect(error?.description.contains("at byte") == true, "\(error?.description ?? "")")
    }
}

@Suite("Feed numbers: exact, in one canonical form")
struct FeedNumberTests {
    @Test(
        "spellings of one number have one text",
        arguments: [
            ("1749583861.7284331", "1749583861.7284331"), ("1749583861.50", "1749583861.5"), ("007.500", "7.5"),
            (" 8 ", "8"), ("-0.0", "0"), ("-2.10", "-2.1"), ("1.5e9", "1500000000"), (".5", "0.5"), ("0", "0"),
        ])
    func canonical(raw: String, text: String) {
        #expect(FeedNumber(raw)?.text == text)
    }

    @Test("what is no finite number is nil", arguments: ["", "NaN", "abc", "1.2.3", "--1", "1 2", "0x10", "1e"])
    func notNumbers(raw: String) {
        #expect(FeedNumber(raw) == nil)
    }
}
