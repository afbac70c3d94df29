import Adapters
import Foundation
import Logging
import Postgres
import TestSupport
import Testing
import Tracker
import Warehouse

/// Components' real sample (rows of its shape come from `ComponentsCSV` in TestSupport).
enum ComponentsSample {
    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/components-sample.csv")

    static func text() throws -> String {
        try String(contentsOf: url, encoding: .utf8)
    }
}

extension Harness {
    func putCSV(_ key: String, _ text: String) async throws -> ObjectInfo {
        try await store.put(key, body: Array(text.utf8), contentType: "text/csv", contentEncoding: nil)
    }

    /// Count, distinct keys and the USD total of the sales (as `Decimal` writes it).
    func totals() async throws -> [String?] {
        let row = try await db.query("SELECT count(*), count(DISTINCT sale_key), sum(amount_paid_usd) FROM sale").rows[
            0]
        return [row[0], row[1], row[2].flatMap { Decimal(string: $0) }?.description]
    }
}

@Suite("Backfill of Components' dataset: same identity as the feed, chunked, resumable, exactly once", .serialized)
struct BackfillTests {
    static let key = "backfill/components/bandcamp-sales.csv"

    @Test("the real sample loads whole: counts and sums as Python's csv module reads the file")
    func realSample() async throws {
        let harness = try await Harness("bfsample")
        _ = try await harness.putCSV(Self.key, try ComponentsSample.text())
        let outcome = try await harness.loader().backfill(key: Self.key)
        #expect(outcome.status == .done && outcome.offset == outcome.size && outcome.percent == 100)
        let python = try runPython(
            """
            import csv, sys
            from decimal import Decimal
            rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
            print(len(rows), sum(Decimal(r['amount_paid_usd']) for r in rows), len({r['currency'] for r in rows}),
                  len({r['country_code'] for r in rows}), sum(r['item_type'] == 'p' for r in rows))
            """, ComponentsSample.url.path)
        let sql = try await harness.db.query(
            """
            SELECT count(*) || ' ' || sum(amount_paid_usd) || ' ' || count(DISTINCT currency) || ' '
                || count(DISTINCT buyer_country_code) || ' ' || count(*) FILTER (WHERE item_type = 'physical')
            FROM sale
            """
        ).scalarText
        #expect(sql == python)
        #expect(outcome.records == 101 && outcome.inserted == 101 && outcome.rejected == 0)
        // Amounts cleaned as the feed's: the price asked times 1 + addl_count, the ratio, the span as coverage.
        let multi = try await harness.db.query(
            "SELECT additional_count, price_asked, amount_paid FROM sale WHERE additional_count = 9"
        ).rows
        #expect(multi.count == 1 && multi[0][1] != nil)
        let span = try await harness.db.query(
            "SELECT date_part('epoch', start_at)::bigint, date_part('epoch', end_at)::bigint FROM feed_window"
        ).rows
        #expect(span == [["1599688804", "1599688953"]])
        let ledger = try await harness.db.query(
            "SELECT kind, status, items, inserted FROM load_ledger WHERE object_key = $1", [Self.key]
        ).rows
        #expect(ledger == [["components", "loaded", "101", "101"]])
        // Run again: nothing new, nothing read.
        let again = try await harness.loader().backfill(key: Self.key)
        #expect(again.status == .done && again.chunks == 0 && again.insertedNow == 0)
        #expect(try await harness.count("sale") == 101)
    }

    @Test("a sale seen by the live feed and in the dataset is stored once")
    func sameSaleFromBoth() async throws {
        let harness = try await Harness("bfboth")
        // The feed's window holds the sample's second row, as the feed sent it.
        let item =
            #"{"utc_date":1599688805.2783802,"artist_name":"Jirah","item_type":"a","item_description":"Neurogen","currency":"GBP","amount_paid":1.0,"item_price":1.0,"amount_paid_usd":1.3,"country":"Finland","country_code":"fi","url":"//maharettarecords.bandcamp.com/album/neurogen","art_url":"https://f4.bcbits.com/img/a2984241552_7.jpg"}"#
        let window = try await harness.putWindow(
            start: 1_599_688_800, end: 1_599_689_100, events: [Harness.event(item)])
        #expect(try await harness.loader().load(key: window).inserted == 1)
        _ = try await harness.putCSV(Self.key, try ComponentsSample.text())
        let outcome = try await harness.loader().backfill(key: Self.key)
        #expect(outcome.inserted == 100 && outcome.duplicates == 1)
        #expect(try await harness.totals()[0...1] == ["101", "101"])
    }

    @Test(
        "in chunks of any size the result is the same; a run of identical items is never split", arguments: [1, 7, 50])
    func chunks(size: Int) async throws {
        let harness = try await Harness("bfchunks")
        // Rows 0-99, with three identical purchases (one time, one release, one package) in the middle.
        var lines = [ComponentsCSV.header] + (0..<100).map { ComponentsCSV.row($0) }
        let same = ComponentsCSV.row(500, time: "1600000000.5")
        lines.insert(contentsOf: [same, same, same], at: 40)
        _ = try await harness.putCSV(Self.key, lines.joined(separator: "\r\n"))
        let seen = Offsets()
        let outcome = try await harness.loader().backfill(
            key: Self.key, options: .init(chunkRows: size), progress: { seen.append($0.offset) })
        let offsets = seen.values
        #expect(outcome.status == .done && outcome.records == 103 && outcome.inserted == 103)
        #expect(outcome.chunks == (size == 1 ? 101 : (103 + size - 1) / size))
        #expect(offsets == offsets.sorted() && offsets.last == outcome.size)
        #expect(
            try await harness.totals() == ["103", "103", "\(ComponentsCSV.usd(0..<100) + Decimal(string: "1.5")! * 3)"])
        let progress = try await harness.db.query(
            "SELECT records, chunks, finished_at IS NOT NULL FROM backfill_progress"
        ).rows
        #expect(progress == [["103", String(outcome.chunks), "t"]])
    }

    @Test("out of time after a chunk, it stops; the next run goes on from the offset committed; totals exact")
    func resumes() async throws {
        let harness = try await Harness("bfresume")
        let info = try await harness.putCSV(Self.key, ComponentsCSV.file(rows: 1000))
        // A deadline already passed: one chunk, then stop.
        let first = try await harness.loader().backfill(
            key: Self.key, options: .init(chunkRows: 300), deadline: .now)
        #expect(first.status == .inProgress && first.chunks == 1 && first.records == 300)
        #expect(first.offset > 0 && first.offset < info.size && first.percentText.hasSuffix("%"))
        let state = try await harness.loader().backfillState(Self.key, info)
        #expect(state?.status == .inProgress && state?.offset == first.offset)
        #expect(try await harness.count("sale") == 300)
        // The scheduled run finds it unfinished and goes on.
        let rest = try await harness.loader().continueBackfills(options: .init(chunkRows: 300))
        #expect(rest.map(\.status) == [.done] && rest[0].chunks == 3 && rest[0].records == 1000)
        #expect(try await harness.totals() == ["1000", "1000", "\(ComponentsCSV.usd(0..<1000))"])
        #expect(try await harness.loader().continueBackfills().isEmpty)
        #expect(try await SummaryCheck.mismatches(harness.db) == [])
    }

    @Test("bad rows are refused with their row number and reason; the rest load")
    func badRows() async throws {
        let harness = try await Harness("bfbad")
        var lines = [ComponentsCSV.header] + (0..<10).map { ComponentsCSV.row($0) }
        lines[3] = "only,three,fields"
        lines[5] = lines[5].replacingOccurrences(of: ",a,1600000000.100004,", with: ",z,1600000000.100004,")
        lines[8] = lines[8].replacingOccurrences(of: "//artist7.bandcamp.com/album/a7", with: "not a url")
        _ = try await harness.putCSV(Self.key, lines.joined(separator: "\n"))
        let outcome = try await harness.loader().backfill(key: Self.key, options: .init(chunkRows: 4))
        #expect(outcome.status == .done && outcome.records == 10 && outcome.rejected == 3 && outcome.inserted == 7)
        let reasons = try await harness.db.query("SELECT event_index, reason FROM load_reject ORDER BY 1").rows
        #expect(reasons.map { $0[0] } == ["3", "5", "8"])
        #expect(reasons[0][1] == "row 3: 3 fields where the header has 23")
        #expect(reasons[1][1]?.contains("unknown item_type 'z'") == true)
        #expect(reasons[2][1]?.contains("no usable release URL") == true)
    }

    @Test("a file that is not the dataset fails with the reason, in the ledger, and is not tried again")
    func malformed() async throws {
        let harness = try await Harness("bfmalformed")
        _ = try await harness.putCSV("backfill/other.csv", "name,amount\nx,1\n")
        let header = try await harness.loader().backfill(key: "backfill/other.csv")
        #expect(
            header.status == .failed && header.reason?.contains("lacks the columns utc_date, url, item_type") == true)
        // Broken CSV after a good chunk: the good chunk stays, the failure names the byte.
        let text = ComponentsCSV.file(rows: 20) + "\"never closed,\n"
        _ = try await harness.putCSV(Self.key, text)
        let broken = try await harness.loader().backfill(key: Self.key, options: .init(chunkRows: 10))
        #expect(broken.status == .failed && broken.reason?.contains("malformed CSV at byte") == true)
        // The chunk that met the broken record is not committed: the first chunk's sales stay.
        #expect(try await harness.count("sale") == 10)
        let ledger = try await harness.db.query(
            "SELECT status, reason IS NOT NULL FROM load_ledger WHERE object_key = $1", [Self.key]
        ).rows
        #expect(ledger == [["failed", "t"]])
        #expect(try await harness.loader().continueBackfills().isEmpty)
        #expect(try await harness.loader().backfill(key: "raw/other.csv").status == .ignored)
    }

    @Test("two backfills racing on one file store each sale once")
    func racing() async throws {
        let harness = try await Harness("bfrace")
        _ = try await harness.putCSV(Self.key, ComponentsCSV.file(rows: 2000))
        let other = try await PostgresConnection.connect(url: harness.url)
        async let one = harness.loader().backfill(key: Self.key, options: .init(chunkRows: 250))
        async let two = harness.loader(other).backfill(key: Self.key, options: .init(chunkRows: 250))
        let (a, b) = try await (one, two)
        #expect(a.status == .done && b.status == .done)
        #expect(a.insertedNow + b.insertedNow == 2000 && a.chunks + b.chunks == 8)
        #expect(try await harness.totals() == ["2000", "2000", "\(ComponentsCSV.usd(0..<2000))"])
        #expect(try await SummaryCheck.mismatches(harness.db) == [])
    }

    @Test("a new version of the file starts again from its first byte; sales already stored stay once")
    func newVersion() async throws {
        let harness = try await Harness("bfversion")
        _ = try await harness.putCSV(Self.key, ComponentsCSV.file(rows: 100))
        _ = try await harness.loader().backfill(key: Self.key, options: .init(chunkRows: 40), deadline: .now)
        _ = try await harness.putCSV(Self.key, ComponentsCSV.file(rows: 150))
        let outcome = try await harness.loader().backfill(key: Self.key, options: .init(chunkRows: 40))
        #expect(outcome.status == .done && outcome.records == 150 && outcome.inserted == 110)
        #expect(outcome.duplicates == 40)
        #expect(try await harness.totals() == ["150", "150", "\(ComponentsCSV.usd(0..<150))"])
    }

    @Test("migration 5 works out again the amounts of sales of several tracks loaded under the old rule")
    func amountsMigrated() async throws {
        let db = try await PostgresConnection.connect(url: try await TestDatabase.fresh("bfmigrate"))
        try await Migrator(Array(WarehouseSchema.migrations.prefix(4))).migrate(db)
        for statement in [
            "INSERT INTO load_ledger (object_key, kind, etag, status) VALUES ('raw/x', 'salesfeed', 'e', 'loaded')",
            "INSERT INTO artist (page_url, name) VALUES ('https://x.bandcamp.com', 'X')",
            "INSERT INTO release (url, artist_id) SELECT 'https://x.bandcamp.com/track/y', id FROM artist",
            // 3 tracks for 3 GBP, 5 GBP (6.5 USD) paid: the old rule asked 9 and called it an underpayment.
            """
            INSERT INTO sale (sale_key, sold_at, utc_date, release_id, artist_id, item_type, amount_paid, price_asked,
                amount_paid_usd, price_asked_usd, overpaid_usd, paid_to_price_ratio, additional_count, ledger_id)
            SELECT decode(repeat('ab', 32), 'hex'), now(), 1, r.id, r.artist_id, 'track', 5, 9, 6.5, 11.7, 0, 0.555556,
                2, l.id FROM release r, load_ledger l
            """,
        ] {
            try await db.query(statement)
        }
        try await WarehouseSchema.migrator.migrate(db)
        let row = try await db.query(
            "SELECT price_asked::text, price_asked_usd::text, overpaid_usd::text, paid_to_price_ratio::text FROM sale"
        ).rows
        #expect(row == [["3", "3.900000", "2.600000", "1.666667"]])
    }

    /// Offsets told by the progress callback.
    final class Offsets: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [Int] = []
        func append(_ value: Int) { lock.withLock { list.append(value) } }
        var values: [Int] { lock.withLock { list } }
    }
}
