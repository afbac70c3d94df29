import Foundation
import Logging
import Postgres
import TestSupport
import Testing
import Tracker
import Warehouse

@Suite("Summaries: every one equal to the same figure worked out from the sales (real PostgreSQL)")
struct SummaryTests {
    let pages = ReleasePageLoadTests()

    /// Sales of three releases over two days and three countries, with prices, free items and unknown amounts.
    func loadSales(_ h: Harness) async throws {
        var events: [String] = []
        for n in 0..<60 {
            let item = Harness.item(
                n % 3 + 1, type: ["a", "t", "p", "b"][n % 4], paid: ["10", "0", "25.5", "7"][n % 4],
                price: ["10", "0", "12", "9.99"][n % 4], country: ["us", "de", "jp"][n % 3],
                date: "\(1_749_583_861 + n * 4001)")
            events.append(Harness.event(item))
        }
        let window = try await h.putWindow(start: 1_749_583_000, end: 1_749_830_000, events: events)
        #expect(try await h.loader().load(key: window).inserted == 60)
    }

    @Test("a release page that arrives after its sales, then is read again with other tags, moves its sales")
    func retagged() async throws {
        let h = try await Harness("summary_tags")
        try await loadSales(h)
        #expect(try await h.count("summary_genre_day") == 0)
        let key = "raw/releases/artist.bandcamp.com/album/a1.json.gz"
        try await pages.put(
            h,
            ReleasePageRecord(
                url: "https://artist.bandcamp.com/album/a1", status: .ok, fetchedAt: 1_749_600_000,
                page: pages.page(genres: ["post-rock", "ambient"], place: nil)), key: key)
        #expect(try await h.loader().load(key: key).status == .loaded)
        #expect(try await SummaryCheck.mismatches(h.db) == [])
        #expect(try await h.scalar("SELECT sum(sales) FROM summary_genre_day") != "0")
        try await pages.put(
            h,
            ReleasePageRecord(
                url: "https://artist.bandcamp.com/album/a1", status: .ok, fetchedAt: 1_749_700_000,
                page: pages.page(genres: ["ambient", "drone"], place: nil)), key: key)
        #expect(try await h.loader().load(key: key).status == .loaded)
        #expect(try await SummaryCheck.mismatches(h.db) == [])
        // Post-rock counts nothing any more: its rows are gone, not left at zero.
        #expect(
            try await h.scalar(
                "SELECT count(*) FROM summary_genre_day g JOIN tag t ON t.id = g.tag_id WHERE t.key = 'post-rock'")
                == "0")
        // Sales of the release loaded after its page count for its genres at once.
        let later = try await h.putWindow(
            start: 1_749_900_000, end: 1_749_900_600,
            events: [Harness.event(Harness.item(1, date: "1749900100"))])
        #expect(try await h.loader().load(key: later).inserted == 1)
        #expect(try await SummaryCheck.mismatches(h.db) == [])
    }

    @Test("the migration builds the summaries of the sales stored before it; rebuild-summaries works them out again")
    func migrationAndRebuild() async throws {
        let h = try await Harness("summary_build")
        try await loadSales(h)
        // As a database at version 6 with these sales: no summaries.
        for statement in [
            """
            DROP TABLE summary_day, summary_hour, summary_artist_day, summary_release_day, summary_amount_day,
                summary_genre_day, summary_genre_hour, summary_genre_country_day, summary_analysis_day,
                summary_ratio_day
            """,
            """
            DROP FUNCTION summary_add(), summary_add_genres(integer), summary_lock(), physical_format(text),
                summary_add_analysis()
            """,
            "DELETE FROM schema_migration WHERE version >= 7",
        ] {
            try await h.db.query(statement)
        }
        let outcome = try await WarehouseSchema.migrator.migrate(h.db)
        #expect(outcome.applied == [7, 8])
        #expect(try await SummaryCheck.mismatches(h.db) == [])
        #expect(try await h.scalar("SELECT sum(sales) FROM summary_day") == "60")
        // Summaries gone wrong (by hand) are made right again.
        try await h.db.query("UPDATE summary_day SET sales = sales + 1")
        try await h.db.query("DELETE FROM summary_artist_day")
        #expect(try await SummaryCheck.mismatches(h.db).count == 2)
        let rebuilt = try await Summaries.rebuild(h.db, logger: Logger(label: "test"))
        #expect(rebuilt == 60)
        #expect(try await SummaryCheck.mismatches(h.db) == [])
    }
}
