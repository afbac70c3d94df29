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

    /// Loads release a1's page, read at `at`, with `genres` (and the location line "`place`, Iceland").
    func tag(_ h: Harness, _ genres: [String], place: String? = nil, at: Int64) async throws {
        let key = "raw/releases/artist.bandcamp.com/album/a1.json.gz"
        try await pages.put(
            h,
            ReleasePageRecord(
                url: "https://artist.bandcamp.com/album/a1", status: .ok, fetchedAt: at,
                page: pages.page(genres: genres, place: place)), key: key)
        #expect(try await h.loader().load(key: key).status == .loaded)
    }

    @Test(
        "a release page that arrives after its sales, then is read again with other tags and place, moves its sales")
    func retagged() async throws {
        let h = try await Harness("summary_tags")
        try await loadSales(h)
        #expect(try await h.count("summary_genre_day") == 0)
        try await tag(h, ["post-rock", "ambient"], place: "Reykjavík", at: 1_749_600_000)
        #expect(try await SummaryCheck.mismatches(h.db) == [])
        #expect(try await h.scalar("SELECT sum(sales) FROM summary_genre_day") != "0")
        #expect(try await h.scalar("SELECT DISTINCT location FROM summary_window_place") == "Reykjavík, Iceland")
        try await tag(h, ["ambient", "drone"], place: "Akureyri", at: 1_749_700_000)
        #expect(try await SummaryCheck.mismatches(h.db) == [])
        #expect(try await h.scalar("SELECT DISTINCT location FROM summary_window_place") == "Akureyri, Iceland")
        // A page read before the one stored changes nothing; one that is gone takes the line away.
        try await tag(h, ["post-rock"], place: "Reykjavík", at: 1_749_650_000)
        #expect(try await h.scalar("SELECT DISTINCT location FROM summary_window_place") == "Akureyri, Iceland")
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
        // The page gone: the release has no line any more, and its sales leave the place windows.
        let key = "raw/releases/artist.bandcamp.com/album/a1.json.gz"
        try await pages.put(
            h,
            ReleasePageRecord(
                url: "https://artist.bandcamp.com/album/a1", status: .gone, fetchedAt: 1_749_950_000, page: nil,
                httpStatus: 404), key: key)
        #expect(try await h.loader().load(key: key).status == .loaded)
        #expect(try await h.count("summary_window_place") == 0)
        #expect(try await SummaryCheck.mismatches(h.db) == [])
    }

    @Test("a release that leaves a genre its artist's other releases keep: the genre's last sales are found again")
    func leavesGenre() async throws {
        let h = try await Harness("summary_leaves")
        try await loadSales(h)
        // The album a1 and the track t1 sell in the same country; a2 elsewhere; all three are post-rock.
        func read(_ path: String, _ genres: [String], at: Int64) async throws {
            let key = "raw/releases/artist.bandcamp.com/\(path).json.gz"
            try await pages.put(
                h,
                ReleasePageRecord(
                    url: "https://artist.bandcamp.com/\(path)", status: .ok, fetchedAt: at,
                    page: pages.page(genres: genres, place: nil)), key: key)
            #expect(try await h.loader().load(key: key).status == .loaded)
            #expect(try await SummaryCheck.mismatches(h.db) == [], "after \(path) read with \(genres)")
        }
        for path in ["album/a1", "album/a2", "track/t1"] {
            try await read(path, ["post-rock"], at: 1_749_600_000)
        }
        let lastOf: (String) async throws -> String? = { path in
            try await h.scalar(
                """
                SELECT max(s.sold_at)::text FROM sale s JOIN release r ON r.id = s.release_id
                WHERE r.url = 'https://artist.bandcamp.com/\(path)'
                """)
        }
        let (a1, t1) = (try await lastOf("album/a1"), try await lastOf("track/t1"))
        // t1's last sale set the country's row: leaving, it is found again from a1's.
        #expect(a1 != nil && t1 != nil && t1! > a1!)
        try await read("track/t1", ["ambient"], at: 1_749_700_000)
        // Post-rock's sales in the two releases' country are now a1's alone.
        #expect(
            try await h.scalar(
                """
                SELECT l.last_at::text FROM summary_last_genre_country l JOIN tag t ON t.id = l.tag_id
                WHERE t.key = 'post-rock' AND l.country = 'US'
                """) == a1)
        try await read("album/a1", ["ambient"], at: 1_749_700_000)
        try await read("album/a2", [], at: 1_749_700_000)
        #expect(
            try await h.scalar(
                """
                SELECT count(*) FROM summary_last_genre_artist l JOIN tag t ON t.id = l.tag_id
                WHERE t.key = 'post-rock'
                """) == "0")
    }

    @Test("the migration builds the summaries of the sales stored before it; rebuild-summaries works them out again")
    func migrationAndRebuild() async throws {
        let h = try await Harness("summary_build")
        // The windows' indexes and keys as the migrations made them: a first build drops them and makes them
        // again once the rows are in.
        let indexes = try await Self.windowIndexes(h)
        #expect(indexes.count == 35 + 16)
        try await loadSales(h)
        #expect(try await Self.windowIndexes(h) == indexes)
        // Some sales with genres, for the genre summaries' builds.
        try await tag(h, ["post-rock", "ambient"], at: 1_749_600_000)
        #expect(try await h.count("summary_genre_analysis_day") > 0)
        // As a database at version 6 with these sales: no summaries.
        for statement in [
            """
            DROP TABLE summary_day, summary_hour, summary_artist_day, summary_release_day, summary_amount_day,
                summary_genre_day, summary_genre_hour, summary_genre_country_day, summary_analysis_day,
                summary_ratio_day, summary_window_span, summary_window, summary_window_release,
                summary_window_artist, summary_window_genre_artist, summary_last_release,
                summary_last_artist_country, summary_last_genre_artist, summary_last_genre_country, summary_window_size,
                summary_window_place, summary_first_artist, summary_window_country_artist,
                summary_window_country_release, summary_window_country_amount, summary_window_type_artist,
                summary_window_type_release, summary_window_type_amount, summary_genre_type_day,
                summary_genre_amount_day, summary_ratio_slice_day, summary_writes, summary_window_genre_pair,
                summary_genre_analysis_day, summary_genre_analysis_country_day, summary_genre_ratio_day,
                summary_window_genre_pair_country, summary_window_genre_artist_release, summary_small_size,
                summary_small_kept, summary_small_before, summary_small_list
            """,
            """
            DROP FUNCTION summary_add(), summary_add_genres(integer), summary_lock(), physical_format(text),
                summary_add_analysis(), summary_add_windows(), summary_collect_windows(), summary_add_window_genres(integer), summary_window_collected(date), summary_window_move(date, date), summary_window_shift(date, date),
                summary_window_changes(date, date), summary_window_days(date), summary_window_period(date, integer),
                summary_add_last(), summary_add_last_genres(), summary_retag_last(integer), summary_window_size_rows(),
                summary_window_place_build(date), summary_add_window_places(integer),
                summary_add_windows_but_places(), summary_window_move_but_places(date, date), summary_add_first(),
                summary_window_country_apply(boolean), summary_window_country_tables(), summary_window_country_read(date[]),
                summary_collect_windows_but_countries(), summary_add_windows_but_countries(),
                summary_window_country_build(date), summary_window_move_but_countries(date, date),
                summary_window_type_apply(boolean), summary_window_type_tables(), summary_window_type_read(date[]),
                summary_collect_windows_but_types(), summary_add_windows_but_types(), summary_window_type_build(date),
                summary_window_move_but_types(date, date), summary_add_genres_but_types(integer),
                summary_add_genres_but_amounts(integer), summary_add_analysis_but_slices(),
                summary_indexes_drop(regclass[]), summary_indexes_restore(), summary_window_move_but_indexes(date, date),
                summary_window_genre_pair_build(), summary_add_window_genres_but_pairs(integer),
                summary_add_windows_but_pairs(), summary_window_move_but_pairs(date, date),
                summary_add_genres_but_analysis(integer), summary_add_genre_analysis(integer),
                summary_window_genre_pair_country_build(), summary_window_country_apply_but_pairs(boolean),
                summary_add_window_genres_but_pair_countries(integer), summary_window_genre_artist_release_build(date),
                summary_add_windows_but_artist_releases(), summary_window_move_but_artist_releases(date, date),
                summary_add_window_genres_but_artist_releases(integer),
                summary_genre_co_artists(integer, smallint, bigint, bigint[], integer),
                summary_small_candidates(integer, text, bigint[]), summary_small_rank(integer, text, bigint[]),
                summary_small_build(integer), summary_small_drop(integer), summary_small_build_limit(),
                summary_small_build_dropped(),
                summary_add_windows_but_small_lists(), summary_window_move_but_small_lists(date, date)
            """,
            "DROP TABLE alert_run",
            "DELETE FROM schema_migration WHERE version >= 7",
        ] {
            try await h.db.query(statement)
        }
        let outcome = try await WarehouseSchema.migrator.migrate(h.db)
        #expect(outcome.applied == Array(7...WarehouseSchema.migrations.last!.version))
        #expect(try await SummaryCheck.mismatches(h.db) == [])
        #expect(try await h.scalar("SELECT sum(sales) FROM summary_day") == "60")
        // Summaries gone wrong (by hand) are made right again.
        try await h.db.query("UPDATE summary_day SET sales = sales + 1")
        try await h.db.query("DELETE FROM summary_artist_day")
        try await h.db.query("DELETE FROM summary_window_release WHERE span = 30")
        try await h.db.query("UPDATE summary_last_release SET last_at = last_at - interval '1 day'")
        try await h.db.query("UPDATE summary_window_size SET releases = releases + 1")
        try await h.db.query("UPDATE summary_first_artist SET first_at = first_at + interval '1 second'")
        #expect(try await SummaryCheck.mismatches(h.db).count == 6)
        let rebuilt = try await Summaries.rebuild(h.db, logger: Logger(label: "test"))
        #expect(rebuilt == 60)
        #expect(try await SummaryCheck.mismatches(h.db) == [])
        #expect(try await Self.windowIndexes(h) == indexes)
    }

    /// The definitions of the rolling windows' indexes and constraints, in order.
    static func windowIndexes(_ h: Harness) async throws -> [String] {
        try await h.db.query(
            """
            SELECT indexdef AS definition FROM pg_indexes
            WHERE schemaname = 'public' AND tablename LIKE 'summary\\_window\\_%'
            UNION ALL
            SELECT format('%s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid)) FROM pg_constraint
            WHERE conrelid::regclass::text LIKE 'summary\\_window\\_%'
            ORDER BY 1
            """
        ).map { try $0.decode("definition") }
    }

    @Test("a database at any version is upgraded by a new session: no migration leans on an earlier one's session")
    func upgradeInNewSession() async throws {
        let all = WarehouseSchema.migrations
        for stop in all.dropLast().map(\.version) {
            let url = try await TestDatabase.fresh("summary_upgrade")
            _ = try await Migrator(all.filter { $0.version <= stop }).migrate(PostgresConnection.connect(url: url))
            // As a new LoadFunction runs the rest: a session without the temporary tables the first one made.
            let upgrade = try await PostgresConnection.connect(url: url)
            let outcome = try await WarehouseSchema.migrator.migrate(upgrade)
            #expect(outcome.applied == all.map(\.version).filter { $0 > stop }, "from \(stop)")
        }
    }

    @Test("windows built from nothing (the first load, rebuild-summaries) hold every day of each, its edges too")
    func windowsBuilt() async throws {
        let h = try await Harness("summary_built")
        let day: Int64 = 86_400
        let latest: Int64 = 1_749_513_600 + 43_200  // noon, 2025-06-10
        // The first and last days of each window (7, 30, 90, 365 days, and the as many before), and beside them.
        let back: [Int64] = [
            729, 730, 731, 728, 365, 364, 363, 179, 180, 89, 90, 59, 60, 29, 30, 14, 13, 7, 6, 1, 0,
        ]
        let events = back.enumerated().map { n, daysBack in
            Harness.event(
                Harness.item(
                    n % 5 + 1, paid: ["10", "3.33", "0"][n % 3], price: "3", country: ["us", "de"][n % 2],
                    date: "\(latest - daysBack * day + Int64(n))"))
        }
        // One load of them all: the windows are built from nothing when it adds its sales.
        let window = try await h.putWindow(start: latest - 732 * day, end: latest + 60, events: events)
        #expect(try await h.loader().load(key: window).inserted == back.count)
        #expect(try await h.scalar("SELECT ends::text FROM summary_window") == "2025-06-10")
        try await tag(h, ["post-rock", "ambient"], place: "Reykjavík", at: 1_749_600_000)
        #expect(try await SummaryCheck.mismatches(h.db) == [])
        // The 365 days before the latest year hold the sales from 365 to 729 days back.
        #expect(
            try await h.scalar("SELECT sum(sales) FROM summary_window_release WHERE span = 365 AND period = 1")
                == String(back.filter { (365...729).contains($0) }.count))
        // Built again from nothing, with genres this time.
        #expect(try await Summaries.rebuild(h.db, logger: Logger(label: "test")) == back.count)
        #expect(try await SummaryCheck.mismatches(h.db) == [])
        #expect(try await h.count("summary_window_genre_artist") > 0)
        #expect(try await h.count("summary_window_place") > 0)
    }

    @Test(
        "the rolling windows follow the latest day: a day later, a month later, an older sale, two years later")
    func windows() async throws {
        let h = try await Harness("summary_windows")
        let day: Int64 = 86_400
        let first: Int64 = 1_686_355_200  // 2023-06-10, midnight UTC: two years and more before now
        var sale = 0
        // Release a1's page first: its sales count for its genre and location line as they come.
        try await tag(h, ["post-rock"], place: "Reykjavík", at: first)
        // (when, how many days the windows end after the first sale's day)
        for (offset, ends) in [
            (Int64(0), 0), (5 * day + 3_600, 5), (5 * day + 7_200, 5), (37 * day, 37), (day + 60, 37), (36 * day, 37),
            (400 * day, 400), (800 * day + 86_000, 800),
            // Older than every sale so far (a backfill's): the artists' first sales move earlier.
            (-3 * day, 800),
        ] {
            sale += 1
            let at = first + offset
            let events = (0..<3).map { n in
                Harness.event(
                    Harness.item(
                        (sale + n) % 4 + 1, paid: ["10", "0", "3.33"][n], price: "3", date: "\(at + Int64(n))"))
            }
            let window = try await h.putWindow(start: at - 60, end: at + 60, events: events)
            #expect(try await h.loader().load(key: window).inserted == 3)
            #expect(try await SummaryCheck.mismatches(h.db) == [])
            let expected = CalendarDay(daysSinceEpoch: first / day + Int64(ends)).iso
            let ends = try await h.scalar("SELECT ends::text FROM summary_window")
            #expect(ends == expected, "after the sales at \(at)")
        }
        // The 30 days up to the latest day hold only its sales; the 365 days before them, the sales a year earlier.
        #expect(
            try await h.scalar("SELECT sum(sales) FROM summary_window_release WHERE span = 30 AND period = 0") == "3")
        #expect(
            try await h.scalar("SELECT sum(sales) FROM summary_window_release WHERE span = 365 AND period = 1") == "3")
        #expect(try await h.count("summary_window_place") > 0)
    }
}
