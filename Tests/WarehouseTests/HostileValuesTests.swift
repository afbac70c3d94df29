import Adapters
import Foundation
import Logging
import Postgres
import TestSupport
import Testing
import Tracker

@testable import Warehouse

/// A window whose items hold values no sale can: each is refused alone, with its reason in `load_reject`, and
/// the window's other items load; the same for a row of Components' dataset in a backfill.
@Suite("Hostile values in a window or a dataset refuse their item, not the load")
struct HostileValuesTests {
    @Test("a window with huge, tiny, unreadable and out-of-era values loads its good items")
    func window() async throws {
        let h = try await Harness("hostile")
        let good = Harness.event(Harness.item(1), Harness.item(2))
        let hostile = [
            Harness.event(
                Harness.item(3).replacingOccurrences(
                    of: #""amount_paid_usd":[^,]*"#, with: #""amount_paid_usd":1e15"#, options: .regularExpression)),
            Harness.event(Harness.item(4, price: "1e-9")),
            Harness.event(Harness.item(5, date: "1234567890123456789012345678901234567890")),
            Harness.event(Harness.item(6, date: "1e308")),
            Harness.event(Harness.item(7, artist: String(repeating: "x", count: 3000))),
        ]
        let key = try await h.putWindow(start: 1_749_583_800, end: 1_749_584_400, events: [good] + hostile)
        let outcome = try await h.loader().load(key: key)
        #expect(outcome.status == .loaded && outcome.inserted == 3 && outcome.rejected == 4, "\(outcome)")
        let reasons = try await h.db.query("SELECT reason FROM load_reject ORDER BY event_index").rows.map {
            $0[0] ?? ""
        }
        #expect(reasons.count == 4)
        #expect(reasons[0].contains("amount_paid_usd") && reasons[1].contains("item_price"))
        #expect(reasons[2].contains("utc_date") && reasons[3].contains("'1e308' is not a time"))
        let longest = Int(try await h.scalar("SELECT max(octet_length(name)) FROM artist") ?? "") ?? 0
        #expect((990...SaleDomain.longestText).contains(longest), "the long name is cut, and loads: \(longest)")
    }

    @Test("a Components row with a 40-digit utc_date is refused alone; the backfill finishes")
    func datasetRow() async throws {
        let h = try await Harness("hostilecsv")
        var lines = ComponentsCSV.file(rows: 5).split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
        let bad = ComponentsCSV.row(2, time: "1234567890123456789012345678901234567890")
        lines[3] = bad
        _ = try await h.store.put(
            "backfill/hostile.csv", body: Array(lines.joined(separator: "\n").utf8), contentType: "text/csv",
            contentEncoding: nil)
        let outcome = try await h.loader().backfill(
            key: "backfill/hostile.csv", options: Loader.BackfillOptions(chunkRows: 2))
        #expect(outcome.status == .done && outcome.rejected == 1 && outcome.inserted == 4, "\(outcome)")
        #expect(try await h.scalar("SELECT reason FROM load_reject")?.contains("utc_date") == true)
    }

    @Test("a release page with a 3,000-character genre, place and artist name loads, without what cannot be a tag")
    func releasePage() async throws {
        let h = try await Harness("hostilepage")
        let long = String(repeating: "long-tag-", count: 340)
        let record = ReleasePageRecord(
            url: "https://artist.bandcamp.com/album/a1", status: .ok, fetchedAt: 1_749_600_000,
            page: ReleasePage(
                url: "https://artist.bandcamp.com/album/a1", kind: "album", title: "A1",
                artist: String(repeating: "Ω", count: 3000), recordLabel: nil,
                artistPage: "https://artist.bandcamp.com",
                albumURL: nil, releaseDate: nil,
                genres: [ReleasePage.Tag(name: long), ReleasePage.Tag(name: "ambient")],
                place: ReleasePage.Tag(name: long), locationLine: nil, tagSource: "tags"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let key = "raw/releases/artist.bandcamp.com/album/a1.json.gz"
        try await h.putRaw(key, String(decoding: try encoder.encode(record), as: UTF8.self))
        #expect(try await h.loader().load(key: key).status == .loaded)
        #expect(try await h.db.query("SELECT key FROM tag").rows == [["ambient"]])
    }

    /// A folder store that lists one object more than it holds: the object that went between the listing and the
    /// read.
    struct VanishingStore: ObjectStore {
        let base: FolderObjectStore
        let vanished: ObjectInfo
        var location: String { base.location }
        func put(_ key: String, body: [UInt8], contentType: String, contentEncoding: String?) async throws
            -> ObjectInfo
        { try await base.put(key, body: body, contentType: contentType, contentEncoding: contentEncoding) }
        func get(_ key: String) async throws -> StoredObject { try await base.get(key) }
        func read(
            _ key: String, ifMatch: String?, from offset: Int, chunkSize: Int, _ body: ([UInt8]) async throws -> Void
        ) async throws -> ObjectInfo {
            try await base.read(key, ifMatch: ifMatch, from: offset, chunkSize: chunkSize, body)
        }
        func head(_ key: String) async throws -> ObjectInfo? { try await base.head(key) }
        func list(prefix: String, startAfter: String?, limit: Int) async throws -> [ObjectInfo] {
            let listed = try await base.list(prefix: prefix, startAfter: startAfter, limit: limit)
            guard vanished.key.hasPrefix(prefix), startAfter == nil else { return listed }
            return ([vanished] + listed).sorted { $0.key < $1.key }
        }
        func delete(_ key: String) async throws { try await base.delete(key) }
        func presignedURL(for key: String, expiresIn seconds: Int) -> String {
            base.presignedURL(for: key, expiresIn: seconds)
        }
        var hasWebLinks: Bool { base.hasWebLinks }
    }

    @Test("a sweep goes on past an object that fails for a reason of its own, and counts it")
    func sweepGoesOn() async throws {
        let h = try await Harness("hostilesweep")
        let first = try await h.putWindow(
            start: 1_749_583_800, end: 1_749_584_400, events: [Harness.event(Harness.item(1))])
        let last = try await h.putWindow(
            start: 1_749_585_000, end: 1_749_585_600, events: [Harness.event(Harness.item(2))])
        let gone = ObjectInfo(
            key: RawKeys.salesfeedWindow(start: 1_749_584_400, end: 1_749_585_000), size: 10, etag: "gone")
        #expect(first < gone.key && gone.key < last)
        let loader = Loader(
            store: VanishingStore(base: h.store, vanished: gone), database: h.db, logger: Logger(label: "test"))
        let summary = try await loader.sweep(days: nil, now: 1_749_600_000)
        #expect(summary.loaded == 2 && summary.failed == 1 && summary.listed == 3, "\(summary)")
        #expect(try await h.count("sale") == 2)
    }
}
