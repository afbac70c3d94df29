import Logging
import Postgres
import ReadModel
import TestSupport
import Testing
import Tracker
import Warehouse

@Suite("Discover's kept lists of small artists: the same as worked out from the sales after every kind of write")
struct SmallListTests {
    /// 2026-11-20, the day of the latest of the varied sales, at midnight (seconds since 1970).
    static let latest: Int64 = 1_795_132_800

    /// Stores sales of artist `name` (created with a release of its own if new) at `times`, as Load does: one
    /// transaction, the summaries and the kept lists written in it.
    static func sell(_ bench: DashboardBench, _ name: String, at times: [Int64]) async throws {
        let page = "https://\(name.lowercased().replacingOccurrences(of: " ", with: "-")).bandcamp.com"
        try await bench.db.query(
            """
            INSERT INTO artist (page_url, name) VALUES ($1, $2) ON CONFLICT DO NOTHING
            """, [page, name])
        try await bench.db.query(
            """
            INSERT INTO release (url, artist_id) SELECT $1 || '/album/first', id FROM artist WHERE page_url = $1
            ON CONFLICT DO NOTHING
            """, [page])
        try await bench.db.insertSales(
            """
            INSERT INTO sale (sale_key, sold_at, utc_date, release_id, artist_id, item_type, amount_paid_usd,
                buyer_country_code, ledger_id)
            SELECT sha256(convert_to($1 || ':' || t, 'UTF8')), to_timestamp(t), t::numeric, r.id, r.artist_id,
                'album', 7, 'US', (SELECT min(id) FROM load_ledger)
            FROM unnest($2::bigint[]) u (t) JOIN release r ON r.url = $1 || '/album/first'
            """, [page, "{\(times.map(String.init).joined(separator: ","))}"])
    }

    /// The varied sales of the dashboard's tests (the latest on 2026-11-20), read with the summaries, and the
    /// filter of the 7 days up to it.
    static func varied(_ purpose: String) async throws -> (DashboardBench, DashboardQuery, DashboardFilter) {
        let bench = try await DashboardBench.make(purpose)
        try await SummaryFiguresTests.varied(bench)
        return (bench, DashboardQuery(db: bench.db), DiscoverTests.filter("from=2026-11-14&to=2026-11-20"))
    }

    /// The windows whose lists are kept.
    static func kept(_ bench: DashboardBench) async throws -> [String] {
        try await bench.db.query("SELECT span FROM summary_small_kept ORDER BY span").rows.map { $0[0] ?? "" }
    }

    /// Every kept list equal to its definition over `sale` (those of `kept` windows: all four unless said), and
    /// the page's small-artist lists of every preset range up to `latest` (read from them, or ranked where they
    /// are not kept) equal to the same read from the sales.
    static func same(
        _ bench: DashboardBench, latest: String = "2026-11-20", kept spans: [String] = ["7", "30", "90", "365"],
        _ note: String
    ) async throws {
        #expect(try await Self.kept(bench) == spans, "\(note)")
        #expect(try await SummaryCheck.mismatches(bench.db) == [], "\(note)")
        let kept = DashboardQuery(db: bench.db)
        let sales = DashboardQuery(db: bench.db, useSummaries: false)
        let last = CalendarDay(iso: latest)!
        for days in [7, 30, 90, 365] {
            let from = last.adding(days: Int64(1 - days)).iso
            let filter = DiscoverTests.filter("from=\(from)&to=\(latest)", latest: latest)
            for small in [10, 50] {
                let fromKept = [
                    try await kept.artistMovers(filter, smallUnder: small, limit: 30),
                    try await kept.newArtists(filter, smallUnder: small, limit: 30),
                    try await kept.releaseMovers(filter, smallUnder: small, limit: 30),
                ]
                let fromSales = [
                    try await sales.artistMovers(filter, smallUnder: small, limit: 30),
                    try await sales.newArtists(filter, smallUnder: small, limit: 30),
                    try await sales.releaseMovers(filter, smallUnder: small, limit: 30),
                ]
                #expect(fromKept == fromSales, "\(note): \(days) days, under \(small)")
            }
        }
    }

    /// Sets the largest transaction that builds dropped lists, in this test's database alone.
    static func buildLimit(_ bench: DashboardBench, _ rows: Int) async throws {
        let definition: String =
            "CREATE OR REPLACE FUNCTION summary_small_build_limit() RETURNS integer LANGUAGE sql AS $$ SELECT \(rows) $$"
        try await bench.db.query(definition)
    }

    /// The names in a list.
    static func names(_ movers: [Mover]) -> [String] { movers.map(\.name) }

    @Test("kept through sales in the range, sales in the days before it, an earlier first sale and a new day")
    func keptThroughWrites() async throws {
        let (bench, read, week) = try await Self.varied("smalllists")
        try await Self.same(bench, "the varied sales")
        // Sales in the range, a transaction at a time (the lists ranked again from their rows and those touched):
        // a new artist rises into them as it sells.
        for n in 1...3 {
            try await Self.sell(bench, "Small Riser", at: (0..<n).map { Self.latest + 3600 * Int64(n) + Int64($0) })
            try await Self.same(bench, "Small Riser's sales \(n)")
        }
        #expect(Self.names(try await read.artistMovers(week, smallUnder: 10)).contains("Small Riser"))
        #expect(Self.names(try await read.newArtists(week, smallUnder: 10)).contains("Small Riser"))
        // A sale in the week before the 7 days (their lists dropped, and built again from every row by this small
        // transaction): no longer new there.
        try await Self.sell(bench, "Small Riser", at: [Self.latest - 9 * 86_400])
        try await Self.same(bench, "a sale of the week before")
        #expect(!Self.names(try await read.newArtists(week, smallUnder: 10)).contains("Small Riser"))
        // A new artist, then a sale of it more than a year before: an earlier first sale of an artist the lists
        // of new artists hold (outside every window but the year's range before).
        try await Self.sell(bench, "Late Starter", at: [Self.latest - 2 * 86_400])
        #expect(Self.names(try await read.newArtists(week, smallUnder: 50)).contains("Late Starter"))
        try await Self.sell(bench, "Late Starter", at: [Self.latest - 400 * 86_400])
        try await Self.same(bench, "an earlier first sale")
        #expect(!Self.names(try await read.newArtists(week, smallUnder: 50)).contains("Late Starter"))
        // A sale in the 90 days before the 7 days: an artist may stop being small there.
        try await Self.sell(
            bench, "Small Riser", at: (0..<12).map { Self.latest - 20 * 86_400 + Int64($0) })
        try await Self.same(bench, "sales of the 90 days before")
        #expect(!Self.names(try await read.artistMovers(week, smallUnder: 10)).contains("Small Riser"))
        // A new day: the windows move, and every list is dropped and built again.
        try await Self.sell(bench, "Next Day", at: [Self.latest + 86_400 + 60])
        try await Self.same(bench, latest: "2026-11-21", "a new day")
    }

    @Test("a large transaction leaves the lists it drops to the next; the page ranks them meanwhile")
    func largeTransactions() async throws {
        let (bench, _, _) = try await Self.varied("smalllarge")
        // Transactions of more than one day, release and seller count as large here.
        try await Self.buildLimit(bench, 1)
        // Sales in the range alone: the lists are ranked again, large or not.
        try await Self.sell(bench, "Batch One", at: [Self.latest - 86_400, Self.latest])
        try await Self.same(bench, "sales in every range")
        // A sale in the week before the 7 days: their lists are dropped and not built.
        try await Self.sell(bench, "Batch One", at: [Self.latest - 9 * 86_400, Self.latest - 10 * 86_400])
        try await Self.same(bench, kept: ["30", "90", "365"], "the week before, large")
        // Dropped lists stay dropped through large transactions in the range.
        try await Self.sell(bench, "Batch Two", at: [Self.latest - 86_400, Self.latest])
        try await Self.same(bench, kept: ["30", "90", "365"], "in the range, large")
        // A new day in a large transaction: every list dropped.
        try await Self.sell(
            bench, "Batch Two", at: [Self.latest + 86_400, Self.latest + 86_400 + 60, Self.latest + 30])
        try await Self.same(bench, latest: "2026-11-21", kept: [], "a new day, large")
        // The next small transaction builds them all.
        try await Self.buildLimit(bench, 10000)
        try await Self.sell(bench, "Batch Three", at: [Self.latest + 86_400 + 120])
        try await Self.same(bench, latest: "2026-11-21", "a small transaction after")
        // rebuild-summaries, one large transaction, builds them at its end.
        try await Self.buildLimit(bench, 1)
        _ = try await Summaries.rebuild(bench.db, logger: Logger(label: "test"))
        try await Self.same(bench, latest: "2026-11-21", "rebuilt")
    }

    @Test("the page reads the kept lists for the sizes it offers over a preset range, and ranks the rest")
    func pageReadsKept() async throws {
        let (bench, read, week) = try await Self.varied("smallread")
        let before = try await read.artistMovers(week, smallUnder: 10)
        #expect(!before.isEmpty)
        // A kept list changed by hand shows on the page; a size it does not keep, or a range not up to the latest
        // day, is ranked from the windows and the sales.
        try await bench.db.query(
            "UPDATE summary_small_list SET sales = sales + 1000 WHERE span = 7 AND under = 10 AND kind = 'rising artist'"
        )
        #expect(try await read.artistMovers(week, smallUnder: 10).allSatisfy { $0.sales > 1000 })
        #expect(try await read.artistMovers(week, smallUnder: 11).allSatisfy { $0.sales < 1000 })
        let earlier = DiscoverTests.filter("from=2026-11-13&to=2026-11-19")
        #expect(try await read.artistMovers(earlier, smallUnder: 10).allSatisfy { $0.sales < 1000 })
        // A list longer than those kept is ranked too.
        try await bench.db.query("UPDATE summary_small_size SET length = 20")
        #expect(try await read.artistMovers(week, smallUnder: 10, limit: 21).allSatisfy { $0.sales < 1000 })
        #expect(try await read.artistMovers(week, smallUnder: 10, limit: 20).allSatisfy { $0.sales > 1000 })
        try await bench.db.query("UPDATE summary_small_size SET length = 50")
        // Lists of a window not marked kept are not read.
        try await bench.db.query("DELETE FROM summary_small_kept WHERE span = 7")
        #expect(try await read.artistMovers(week, smallUnder: 10) == before)
        try await bench.db.query("SELECT summary_small_build(7)")
        #expect(try await read.artistMovers(week, smallUnder: 10) == before)
    }
}
