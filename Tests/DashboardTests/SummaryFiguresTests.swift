import Postgres
import ReadModel
import TestSupport
import Testing
import Tracker

@Suite("The dashboard's figures from the summaries equal the same figures worked out from the sales")
struct SummaryFiguresTests {
    /// The bench's sales, and more with every kind of amount: odd cents (medians between two), free items, unknown
    /// amounts and countries, every item type, on the range's first and last days.
    static func varied(_ bench: DashboardBench) async throws {
        try await bench.db.insertSales(
            """
            INSERT INTO sale (sale_key, sold_at, utc_date, release_id, artist_id, item_type, currency, amount_paid,
                price_asked, amount_paid_usd, price_asked_usd, overpaid_usd, paid_to_price_ratio, buyer_country_code,
                ledger_id)
            SELECT sha256(convert_to('varied:' || g, 'UTF8')), to_timestamp(t), t::numeric, r.id, r.artist_id,
                (enum_range(NULL::item_type))[1 + g % 4], 'EUR', p.paid, p.asked, p.paid * 1.0837, p.asked * 1.0837,
                greatest(0, p.paid - p.asked) * 1.0837, round(p.paid / nullif(p.asked, 0), 6),
                CASE WHEN g % 7 = 0 THEN NULL ELSE (ARRAY['JP', 'DE', 'US', 'IS'])[1 + g % 4] END,
                (SELECT min(id) FROM load_ledger)
            FROM generate_series(0, 399) g
            CROSS JOIN LATERAL (SELECT 1792627200 + (g * 86399 * 29 / 399) + g % 3 AS t) time
            CROSS JOIN LATERAL (
                SELECT CASE WHEN g % 11 = 0 THEN NULL WHEN g % 5 = 0 THEN 0 ELSE 1.005 + g % 37 * 0.731 END AS paid,
                    CASE WHEN g % 5 = 0 THEN 0 ELSE 1 + g % 13 * 0.5 END AS asked
            ) p
            JOIN release r ON r.id = (SELECT id FROM release ORDER BY id OFFSET g % 20 LIMIT 1)
            """, [])
    }

    @Test(
        "totals, days, rankings, heatmap, genre leaders and price bands, for every filter the summaries answer",
        arguments: [
            "", "from=2025-11-21&to=2026-11-20", "country=JP", "type=physical", "country=DE&type=album",
            "genre=vaporwave", "country=us&genre=folk", "from=2026-11-19&to=2026-11-19",
            "from=2026-10-22&to=2026-10-22", "from=2026-11-14&to=2026-11-20", "from=2026-09-22&to=2026-10-21",
            "from=2026-08-23&to=2026-11-20", "from=2026-11-07&to=2026-11-13",
            "country=US&from=2025-11-21&to=2026-11-20", "country=IS&from=2026-11-14&to=2026-11-20",
            "country=DE&from=2026-10-16&to=2026-11-13", "type=album&from=2025-11-21&to=2026-11-20",
            "type=track&from=2026-11-14&to=2026-11-20", "type=physical&from=2026-10-16&to=2026-11-13",
            "genre=folk&type=album", "genre=folk&from=2025-11-21&to=2026-11-20",
            "genre=vaporwave&from=2026-11-14&to=2026-11-20", "genre=folk&from=2026-10-16&to=2026-11-13",
            "genre=darkwave", "genre=ambient&from=2026-11-14&to=2026-11-20",
            "genre=darkwave&from=2026-11-10&to=2026-11-20",
        ])
    func sameFigures(query: String) async throws {
        let db = try await PostgresConnection.connect(url: try await VariedBench.shared.url())
        #expect(try await SummaryCheck.mismatches(db) == [])
        let items = query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            return (name: parts[0], value: parts[1])
        }
        let filter = DashboardFilter.parse(items, latest: CalendarDay(iso: "2026-11-20")!).filter
        // The preset ranges up to the latest day, and the range before the default one, are read from the rolling
        // windows (by country or item type too); the others from the day summaries, or from `sale` for a country or
        // an item type.
        let windowed = [
            "", "from=2025-11-21&to=2026-11-20", "from=2026-11-14&to=2026-11-20", "from=2026-09-22&to=2026-10-21",
            "from=2026-08-23&to=2026-11-20", "from=2026-11-07&to=2026-11-13", "country=JP",
            "country=US&from=2025-11-21&to=2026-11-20", "country=IS&from=2026-11-14&to=2026-11-20", "type=physical",
            "type=album&from=2025-11-21&to=2026-11-20", "type=track&from=2026-11-14&to=2026-11-20", "genre=vaporwave",
            "genre=folk&from=2025-11-21&to=2026-11-20", "genre=vaporwave&from=2026-11-14&to=2026-11-20",
            "genre=darkwave", "genre=ambient&from=2026-11-14&to=2026-11-20",
        ]
        let period: Int? = try await db.query(
            "SELECT summary_window_period($1::date, $2::integer)", [filter.to.iso, String(filter.days)]
        ).scalar()
        if windowed.contains(query) {
            #expect(period != nil)
        } else if !filter.isNarrowed || query.hasPrefix("country=DE&from") || query.hasPrefix("type=physical&from")
            || query.hasPrefix("genre=folk&from=2026-10-16") || query.hasPrefix("genre=darkwave&from")
        {
            #expect(period == nil)
        }
        let summaries = DashboardQuery(db: db)
        let sales = DashboardQuery(db: db, useSummaries: false)
        #expect(try await summaries.totals(filter) == sales.totals(filter))
        #expect(try await summaries.salesCount(filter) == sales.salesCount(filter))
        #expect(try await summaries.daily(filter) == sales.daily(filter))
        #expect(try await summaries.genres(filter, limit: 50) == sales.genres(filter, limit: 50))
        #expect(try await summaries.artists(filter, limit: 50) == sales.artists(filter, limit: 50))
        #expect(try await summaries.releases(filter, limit: 50) == sales.releases(filter, limit: 50))
        #expect(try await summaries.countries(filter) == sales.countries(filter))
        #expect(try await summaries.itemTypes(filter) == sales.itemTypes(filter))
        #expect(try await summaries.paidBands(filter) == sales.paidBands(filter))
        #expect(try await summaries.analysis(filter) == sales.analysis(filter))
        try await Self.expectSameGenreCells(summaries, sales, filter, filter)
        // The figures are not empty: the comparison compares something (Nova Fen's releases carry two genres,
        // so a genre's sales count in another).
        #expect(try await sales.totals(filter).sales > 0)
        if filter.genre == "darkwave" || filter.genre == "ambient" {
            #expect(try await sales.analysis(filter).genres.count == 2)
        }
        if filter.genre != nil {
            // As the dashboard reads it: the genre looked up first.
            let resolved = try await sales.resolvingGenre(filter).filter
            #expect(resolved.genreTagID != nil)
            try await Self.expectSame(sales, sales, filter, resolved)
            try await Self.expectSame(summaries, sales, filter, resolved)
        }
    }

    @Test("a genre named by its tag id reads the sales it reads by its key; an unknown one reads none")
    func genreByTag() async throws {
        let db = try await PostgresConnection.connect(url: try await VariedBench.shared.url())
        let sales = DashboardQuery(db: db, useSummaries: false)
        let latest = CalendarDay(iso: "2026-11-20")!
        let unknown = DashboardFilter.parse([("genre", "no-such-genre")], latest: latest).filter
        let resolved = try await sales.resolvingGenre(unknown).filter
        #expect(resolved.genreTagID == 0)
        let summaries = DashboardQuery(db: db)
        try await Self.expectSame(sales, sales, unknown, resolved)
        try await Self.expectSame(summaries, sales, unknown, resolved)
        try await Self.expectSame(summaries, sales, unknown, unknown)
        #expect(try await sales.totals(resolved).sales == 0)
        // Another genre set on a looked-up filter forgets the id looked up for the one before.
        let folk = try await sales.resolvingGenre(DashboardFilter.parse([("genre", "folk")], latest: latest).filter)
        var other = folk.filter
        #expect(other.genreTagID != nil && other.genreTagID != 0 && folk.genreName == "folk")
        #expect(try await sales.resolvingGenre(unknown).genreName == nil)
        other.genre = "vaporwave"
        #expect(other.genreTagID == nil)
    }

    /// The figures `query` reads for `resolved` (its genre looked up, or not) equal those read from `sale` for
    /// `filter`.
    static func expectSame(
        _ query: DashboardQuery, _ sales: DashboardQuery, _ filter: DashboardFilter, _ resolved: DashboardFilter
    ) async throws {
        #expect(try await query.totals(resolved) == sales.totals(filter))
        #expect(try await query.daily(resolved) == sales.daily(filter))
        #expect(try await query.genres(resolved, limit: 50) == sales.genres(filter, limit: 50))
        #expect(try await query.artists(resolved, limit: 50) == sales.artists(filter, limit: 50))
        #expect(try await query.releases(resolved, limit: 50) == sales.releases(filter, limit: 50))
        #expect(try await query.itemTypes(resolved) == sales.itemTypes(filter))
        #expect(try await query.analysis(resolved) == sales.analysis(filter))
        try await expectSameGenreCells(query, sales, filter, resolved)
    }

    /// The heatmap and the genres' top artists `query` reads for `resolved` equal those read from `sale` for
    /// `filter`.
    static func expectSameGenreCells(
        _ query: DashboardQuery, _ sales: DashboardQuery, _ filter: DashboardFilter, _ resolved: DashboardFilter
    ) async throws {
        let genres = TrendSeed.genres + ["evil"]
        let countries = ["JP", "DE", "US", "IS", "GB", "BR"]
        #expect(
            try await query.heatmap(resolved, genres: genres, countries: countries)
                == sales.heatmap(filter, genres: genres, countries: countries))
        #expect(
            try await query.topArtists(resolved, genres: genres, each: 5)
                == sales.topArtists(filter, genres: genres, each: 5))
    }
}

/// The bench with the varied sales, made once for every case above: each only reads it, on a connection of its
/// own (a bench a case took some 5 s of the suite's two cores, 24 times over).
private actor VariedBench {
    static let shared = VariedBench()
    private var made: Task<String, any Error>?

    func url() async throws -> String {
        if let made { return try await made.value }
        let task = Task {
            let bench = try await DashboardBench.make("dashsummary")
            try await SummaryFiguresTests.varied(bench)
            return bench.url
        }
        made = task
        return try await task.value
    }
}
