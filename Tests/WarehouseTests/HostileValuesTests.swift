import Foundation
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
}
