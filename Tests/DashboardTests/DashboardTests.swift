import Adapters
import Foundation
import LambdaEvents
import Logging
import Postgres
import ReadModel
import TestSupport
import Testing
import Tracker
import Warehouse

@testable import Dashboard

/// A dashboard on a warehouse of known sales (TrendSeed's 31 days, plus an artist whose name is HTML), its mail
/// going to an outbox folder, its clock at the seed's evaluation time.
struct DashboardBench {
    /// A form token as a page of this site gives one (its cookie, and its hidden field).
    static let formToken = String(repeating: "ab", count: 32)

    static let password = "correct horse battery staple"
    let url: String
    let db: PostgresConnection
    let seed: TrendSeed
    let outbox: String
    let hostileArtist: Int64
    static let hostileName = "<script>alert(\"x\")</script> & Co"

    static func make(_ purpose: String) async throws -> DashboardBench {
        let copied = try await TrendSeed.copied(purpose)
        let (url, db) = (copied.url, copied.seed.db)
        var seed = copied.seed
        let artist = try await db.query(
            "INSERT INTO artist (page_url, name) VALUES ('https://evil.bandcamp.com', $1) RETURNING id", [hostileName]
        ).scalarText!
        let release = try await db.query(
            """
            INSERT INTO release (url, artist_id, title, page_status)
            VALUES ('https://evil.bandcamp.com/album/x', $1, '<img src=x onerror=alert(1)>', 'read') RETURNING id
            """, [artist]
        ).scalarText!
        let tag = try await db.query("INSERT INTO tag (key, name) VALUES ('evil', '<i>evil</i> genre') RETURNING id")
            .scalarText!
        try await db.query("INSERT INTO release_tag (release_id, tag_id, position) VALUES ($1, $2, 0)", [release, tag])
        try await seed.sales([release], from: TrendSeed.at - 5 * 86_400, to: TrendSeed.at, count: 500, countries: 2)
        let outbox = NSTemporaryDirectory() + "dashboard-\(UUID().uuidString)"
        return DashboardBench(url: url, db: db, seed: seed, outbox: outbox, hostileArtist: Int64(artist)!)
    }

    func app(signIn: Bool = false, now: Int64 = TrendSeed.at, reports: (any ObjectStore)? = nil) -> DashboardApp {
        DashboardApp(
            database: WarehouseDatabase(url: url, password: { nil }, logger: Logger(label: "test")),
            mailer: OutboxMailer(folder: outbox), mailFrom: "tracker@example.com",
            reports: reports ?? FolderObjectStore(root: outbox + "-objects"),
            credentials: signIn ? DashboardCredentials(username: "label", password: Self.password) : nil,
            logger: Logger(label: "test"), now: { now })
    }

    /// Records a 24-hour genre alert for the seed's genre `key` (36 sold against 1 a day, 7.5× at least 4.25×).
    func alertOnGenre(_ key: String, at time: String) async throws {
        try await db.query(
            """
            INSERT INTO alert (rule, entity_type, entity_id, kind, evaluated_at, window_hours, baseline_hours,
                minimum_ratio, current_sales, previous_sales, baseline_sales, site_current_sales, site_baseline_sales,
                ratio, estimate, lower_bound, p_value, q_value, previous_q_value, dispersion, per_day_now,
                per_day_before, acceleration, releases, countries, artists, rank, details)
            VALUES ('genre.24h', 'genre', $1, 'trending', $2::timestamptz, 24, 672, 1.5, 36, 30, 116, 300,
                9000, 8.9, 7.5, 4.25, 1e-9, 2e-8, 1e-7, 1, 18, 1, 1, 8, 4, 4, 1,
                jsonb_build_object('name', $3::text, 'url', 'https://bandcamp.com/tag/' || $3::text, 'key', $3::text,
                    'releases', '[]'::jsonb, 'countries', '[]'::jsonb, 'genres', '[]'::jsonb, 'artists', '[]'::jsonb))
            """, [String(seed.tags[key]!), time, key])
    }

    func get(_ app: DashboardApp, _ path: String, _ query: String = "", cookies: [String] = []) async throws
        -> FunctionURLResponse
    {
        try await app.respond(FunctionURLRequest(method: "GET", path: path, query: query, cookies: cookies))
    }

    func post(
        _ app: DashboardApp, _ path: String, _ query: String = "", form: [(String, String)],
        source: String = "10.0.0.1",
        cookies: [String] = []
    )
        async throws -> FunctionURLResponse
    {
        // As a browser posts a form of this site's page: its Origin, and the page's form token twice.
        try await app.respond(
            FunctionURLRequest(
                method: "POST", path: path, query: query,
                headers: ["content-type": "application/x-www-form-urlencoded", "origin": "https://127.0.0.1:8080"],
                cookies: cookies + ["bt_form=\(Self.formToken)"],
                body: Form.encode(form + [("form_token", Self.formToken)]),
                sourceIP: source))
    }

    func scalar(_ sql: String, _ parameters: [String?] = []) async throws -> String {
        try await db.query(sql, parameters).scalarText ?? ""
    }

    /// The value of a headline card.
    static func card(_ label: String, in html: String) -> String? {
        guard let start = html.range(of: "<div class=\"label\">\(label)</div><div class=\"value\">") else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "<" })
    }

    /// Mail in the outbox.
    func mails() throws -> [String] {
        let folder = outbox + "/mail"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".eml") }.sorted().map { folder + "/" + $0 }
    }
}

@Suite("The dashboard's pages on a warehouse of known sales")
struct DashboardPageTests {
    @Test("the overview's figures are the warehouse's, over the default range of 30 days up to the latest sale")
    func overview() async throws {
        let bench = try await DashboardBench.make("dashover")
        let response = try await bench.get(bench.app(), "/")
        #expect(response.statusCode == 200)
        #expect(response.headers["content-type"] == "text/html; charset=utf-8")
        #expect(response.headers["content-security-policy"]?.contains("default-src 'none'") == true)
        let html = response.body
        // The range: 2026-10-22 to 2026-11-20 (the seed's sales end at 07:00 on the 20th).
        #expect(html.contains("value=\"2026-10-22\"") && html.contains("value=\"2026-11-20\""))
        let range = "sold_at >= '2026-10-22T00:00:00Z' AND sold_at < '2026-11-21T00:00:00Z'"
        let sales = Int(try await bench.scalar("SELECT count(*) FROM sale WHERE \(range)"))!
        let revenue = try await bench.scalar("SELECT sum(amount_paid_usd)::numeric(16,2) FROM sale WHERE \(range)")
        let artists = Int(try await bench.scalar("SELECT count(DISTINCT artist_id) FROM sale WHERE \(range)"))!
        #expect(DashboardBench.card("Sales", in: html) == Format.count(sales))
        #expect(DashboardBench.card("Revenue", in: html) == Format.usd(Money(revenue)))
        #expect(DashboardBench.card("Artists", in: html) == Format.count(artists))
        // Against the 30 days before, which hold the seed's first day only.
        let before = Int(
            try await bench.scalar(
                "SELECT count(*) FROM sale WHERE sold_at >= '2026-09-22T00:00:00Z' AND sold_at < '2026-10-22T00:00:00Z'"
            ))!
        // Not a change: only two of those 30 days (the seed starts at 07:00 on 2026-10-20) are loaded.
        #expect(before > 0 && !html.contains(" vs before"))
        #expect(html.contains("not comparable: 2 of 30 days loaded"))
        #expect(html.contains("Not compared with the 30 days before (2026-09-22 to 2026-10-21): only 2 of them"))
        // Ten days against ten wholly loaded: changes, as SQL works them out.
        let ten = try await bench.get(bench.app(), "/", "from=2026-11-11&to=2026-11-20").body
        let (now, then) = (
            Int(
                try await bench.scalar(
                    "SELECT count(*) FROM sale WHERE sold_at >= '2026-11-11T00:00:00Z' AND sold_at < '2026-11-21T00:00:00Z'"
                ))!,
            Int(
                try await bench.scalar(
                    "SELECT count(*) FROM sale WHERE sold_at >= '2026-11-01T00:00:00Z' AND sold_at < '2026-11-11T00:00:00Z'"
                ))!
        )
        #expect(ten.contains(Format.change(Change.between(Double(then), Double(now))) + " vs before"))
        #expect(ten.contains("Changes against the 10 days before") && !ten.contains("not comparable"))
        // The top artist is the one SQL ranks first.
        let top = try await bench.scalar(
            """
            SELECT a.name FROM sale s JOIN artist a ON a.id = s.artist_id WHERE \(range.replacingOccurrences(of: "sold_at", with: "s.sold_at"))
            GROUP BY a.id ORDER BY count(*) DESC, sum(s.amount_paid_usd) DESC, a.id LIMIT 1
            """)
        #expect(top == "Old Guard" || html.contains(HTML(text: top).markup))
        let firstArtist = html.range(of: "Top artists").map { html[$0.upperBound...] }
        #expect(firstArtist?.contains(">\(HTML(text: top).markup)</a>") == true)
        // Every day of the range is a column with its count.
        #expect(html.components(separatedBy: "<rect ").count - 1 == 60)
        // Read on one connection or on two at once, the page is the same.
        let filter = DashboardFilter(from: CalendarDay(iso: "2026-10-22")!, to: CalendarDay(iso: "2026-11-20")!)
        let other = try await PostgresConnection.connect(url: bench.url)
        let view = TableView(path: "/", query: [])
        let one = try await OverviewPage.fetch(DashboardQuery(db: bench.db), filter, now: TrendSeed.at).render(view)
        let two = try await OverviewPage.fetch(
            DashboardQuery(db: bench.db), other: DashboardQuery(db: other), filter, now: TrendSeed.at
        ).render(view)
        #expect(one == two && one.markup.contains("Top artists"))
    }

    @Test("each filter narrows the figures exactly as SQL does, and lives in every link")
    func filters() async throws {
        let bench = try await DashboardBench.make("dashfilter")
        let app = bench.app()
        let range = "s.sold_at >= '2026-10-22T00:00:00Z' AND s.sold_at < '2026-11-21T00:00:00Z'"
        let cases: [(String, String)] = [
            ("country=JP", "s.buyer_country_code = 'JP'"),
            (
                "genre=vaporwave",
                "s.release_id IN (SELECT release_id FROM release_tag rt JOIN tag t ON t.id = rt.tag_id WHERE t.key = 'vaporwave')"
            ),
            ("artist=\(bench.seed.artists["Old Guard"]!)", "s.artist_id = \(bench.seed.artists["Old Guard"]!)"),
            ("type=physical", "s.item_type = 'physical'"),
            ("from=2026-11-18&to=2026-11-19", "s.sold_at >= '2026-11-18' AND s.sold_at < '2026-11-20'"),
            (
                "country=de&genre=folk",
                "s.buyer_country_code = 'DE' AND s.release_id IN (SELECT release_id FROM release_tag rt JOIN tag t ON t.id = rt.tag_id WHERE t.key = 'folk')"
            ),
        ]
        for (query, condition) in cases {
            let html = try await bench.get(app, "/", query).body
            let expected = Int(
                try await bench.scalar(
                    "SELECT count(*) FROM sale s WHERE \(query.hasPrefix("from") ? "true" : range) AND \(condition)"))!
            #expect(DashboardBench.card("Sales", in: html) == Format.count(expected), "\(query)")
            #expect(!html.contains("class=\"notice\""), "\(query)")
        }
        // The filter is carried by the navigation; one country is one.
        let html = try await bench.get(app, "/", "country=JP&genre=vaporwave").body
        #expect(html.contains("Buyers from 1 country."))
        #expect(
            html.contains("href=\"/geography?from=2026-10-22&amp;to=2026-11-20&amp;genre=vaporwave&amp;country=JP\""))
        // Problems are named and the rest applies.
        let odd = try await bench.get(app, "/", "from=yesterday&country=Japan&type=vinyl&to=2026-11-20").body
        #expect(odd.contains("Ignored: &#39;yesterday&#39; is not a date (YYYY-MM-DD) for from."))
        #expect(odd.contains("Ignored: &#39;Japan&#39; is not a two-letter country code."))
        #expect(odd.contains("is not an item type"))
        let long = try await bench.get(app, "/", "from=2020-01-01&to=2026-11-20").body
        #expect(long.contains("value=\"2025-11-20\"") && long.contains("a range is at most 366 days"))
        let swapped = try await bench.get(app, "/", "from=2026-11-20&to=2026-11-01").body
        #expect(swapped.contains("value=\"2026-11-01\"") && swapped.contains("the two dates were swapped"))
    }

    @Test("names with HTML in them are shown as text; SQL in parameters is only a value")
    func hostileInput() async throws {
        let bench = try await DashboardBench.make("dashhostile")
        let app = bench.app()
        let escapedName = HTML(text: DashboardBench.hostileName).markup
        for (path, query) in [
            ("/", ""), ("/artists", ""), ("/artists", "q=script"), ("/artists", "artist=\(bench.hostileArtist)"),
            ("/genres", ""), ("/geography", ""), ("/subscribe", "artist=\(bench.hostileArtist)"), ("/alerts", ""),
            ("/analysis", ""), ("/analysis", "artist=\(bench.hostileArtist)"),
        ] {
            let html = try await bench.get(app, path, query).body
            if !["/geography", "/alerts", "/analysis"].contains(path) || query.hasPrefix("artist=") {
                #expect(html.contains(escapedName), "\(path)?\(query)")
            }
            if ["/", "/genres", "/subscribe"].contains(path) {
                #expect(html.contains("&lt;i&gt;evil&lt;/i&gt; genre"), "\(path)?\(query)")
            }
            #expect(
                !html.contains("<script") && !html.contains("<img src=x") && !html.contains("<i>"), "\(path)?\(query)")
        }
        // SQL in every parameter: a value that matches nothing, never an error or a wider result.
        let injected = "' OR 1=1 --"
        let html = try await bench.get(app, "/", Form.encode([("genre", injected), ("to", "2026-11-20")])).body
        #expect(DashboardBench.card("Sales", in: html) == "0")
        let search = try await bench.get(app, "/artists", Form.encode([("q", "%' OR '1'='1")])).body
        #expect(search.contains("No artist&#39;s name holds"))
        let percent = try await bench.get(app, "/artists", "q=%25").body
        #expect(percent.contains("No artist&#39;s name holds"))
        // Reflected text is escaped.
        let reflected = try await bench.get(app, "/", Form.encode([("from", "<b>x</b>")])).body
        #expect(reflected.contains("&lt;b&gt;x&lt;/b&gt;") && !reflected.contains("<b>x</b>"))
        let tables = try await bench.scalar("SELECT count(*) FROM sale")
        #expect(Int(tables)! > 0)
    }

    @Test("genres: the trend engine's rising genres, the genre x country heatmap, each genre's top artists")
    func genres() async throws {
        let bench = try await DashboardBench.make("dashgenres")
        let html = try await bench.get(bench.app(), "/genres", "").body
        // The seed plants vaporwave rising (all four of its artists).
        let rising = html.range(of: "Rising genres").map { String(html[$0.upperBound...].prefix(4000)) } ?? ""
        #expect(rising.contains(">vaporwave</a>"))
        #expect(!rising.contains(">jazz</a>"))
        // The heatmap's cell for folk in Japan: folk's share of its sales bought from Japan, against Japan's share of
        // all these genres' sales (the seed's eight genres are all shown), as an index.
        let range = "s.sold_at >= '2026-10-22T00:00:00Z' AND s.sold_at < '2026-11-21T00:00:00Z'"
        let folk =
            "s.release_id IN (SELECT release_id FROM release_tag rt JOIN tag t ON t.id = rt.tag_id WHERE t.key = 'folk')"
        let all = Double(try await bench.scalar("SELECT count(*) FROM sale s WHERE \(range) AND \(folk)"))!
        let japan = Double(
            try await bench.scalar(
                "SELECT count(*) FROM sale s WHERE \(range) AND \(folk) AND buyer_country_code = 'JP'"))!
        let pairs = "FROM sale s JOIN release_tag rt USING (release_id) WHERE \(range)"
        let japanShare =
            Double(try await bench.scalar("SELECT count(*) \(pairs) AND s.buyer_country_code = 'JP'"))!
            / Double(try await bench.scalar("SELECT count(*) \(pairs)"))!
        let index = (japan / all) / japanShare
        #expect(
            html.contains(
                "title=\"folk in Japan: \(Format.count(Int(japan))) sales, \(Format.percent(japan / all)) of the genre's "
                    + "(\(Format.percent(japanShare)) of these genres' sales are bought there)\">"
                    + Format.decimal(index, places: 1) + "×</a>"))
        #expect(!html.contains("<td>genre.24h</td>") && !html.contains("<td>genre.7d</td>"))
        // Folk's top artists are those SQL ranks first.
        let leaders = html.range(of: "Each genre&#39;s top artists").map { String(html[$0.upperBound...]) } ?? ""
        let folkTable =
            leaders.range(of: "<p class=\"caption\" id=\"leaders-").flatMap { start in
                leaders[start.lowerBound...].range(of: "folk:")
            }.map { leaders[$0.upperBound...] }.map {
                String($0.prefix { _ in true }.components(separatedBy: "</table>")[0])
            } ?? ""
        let top = try await bench.db.query(
            """
            SELECT a.name FROM sale s JOIN artist a ON a.id = s.artist_id WHERE \(range) AND \(folk)
            GROUP BY a.id ORDER BY count(*) DESC, sum(s.amount_paid_usd) DESC, a.id LIMIT 3
            """
        ).rows.compactMap { $0[0] }
        #expect(top.count == 3)
        let shown = top.compactMap { name in folkTable.range(of: ">\(name)</a>")?.lowerBound }
        #expect(shown.count == 3 && shown == shown.sorted())
        // Their detail line is the page's host (breakable after its dots), as in every other ranking.
        #expect(
            folkTable.contains(".<wbr>bandcamp.<wbr>com</span>")
                && !folkTable.contains("<span class=\"detail\">https://"))
    }

    @Test("artists: search, and an artist's page with its sales, countries, releases, tags and prices")
    func artists() async throws {
        let bench = try await DashboardBench.make("dashartists")
        let app = bench.app()
        let search = try await bench.get(app, "/artists", "q=VAPOR").body
        for index in 1...4 { #expect(search.contains(">Vapor \(index)</a>")) }
        #expect(!search.contains(">Old Guard</a>"))
        let id = bench.seed.artists["Old Guard"]!
        let page = try await bench.get(app, "/artists", "artist=\(id)")
        #expect(page.statusCode == 200)
        let html = page.body
        #expect(html.contains("<h2>Old Guard</h2>") && html.contains("oldguard.bandcamp.com"))
        let sales = try await bench.scalar(
            "SELECT count(*) FROM sale WHERE artist_id = $1 AND sold_at >= '2026-10-22' AND sold_at < '2026-11-21'",
            [String(id)])
        #expect(DashboardBench.card("Sales", in: html) == Format.count(Int(sales)!))
        #expect(html.contains(">Old Guard Record 1</a>") && html.contains(">folk</a>"))
        // Every seed sale asks $7 and pays $8: all in "up to +50%", the mean ratio 1.14.
        #expect(html.contains("Up to +50%") && html.contains("on average ×1.14"))
        #expect(
            html.contains(
                "<td class=\"num opt\">$7.00</td><td class=\"num opt\">$8.00</td><td class=\"num\">100.0%</td>"))
        let missing = try await bench.get(app, "/artists", "artist=999999")
        #expect(missing.statusCode == 404 && missing.body.contains("There is no artist number 999999"))
    }

    @Test("geography: every seeded country is shaded on the map and ranked with its count")
    func geography() async throws {
        let bench = try await DashboardBench.make("dashgeo")
        let html = try await bench.get(bench.app(), "/geography").body
        let range = "sold_at >= '2026-10-22T00:00:00Z' AND sold_at < '2026-11-21T00:00:00Z'"
        for (code, name) in TrendSeed.countries {
            let count = Int(
                try await bench.scalar("SELECT count(*) FROM sale WHERE \(range) AND buyer_country_code = $1", [code]))!
            #expect(html.contains("<title>\(name): \(Format.count(count)) sales"), "\(name)")
            #expect(html.contains("country=\(code)\""), "\(code)")
        }
        #expect(html.components(separatedBy: "class=\"sold\"").count - 1 == TrendSeed.countries.count)
        #expect(html.contains("<title>France: no sales</title>"))
        // Every country of the map has a code and an outline.
        #expect(WorldMap.countries.count > 170)
        #expect(
            WorldMap.countries.allSatisfy { $0.code.count == 2 && $0.path.hasPrefix("M") && $0.path.hasSuffix("Z") })
    }

    @Test("geography: the artists' towns, their sales as SQL counts them by the releases' location lines")
    func artistTowns() async throws {
        let bench = try await DashboardBench.make("dashtowns")
        // Two lines naming Leeds, one Oslo, one no town the map knows, the rest none.
        let lines = [
            ("Old Guard", "Leeds, UK"), ("Vapor 1", "Leeds, England"), ("Vapor 2", "Oslo, Norway"),
            ("Nova Fen", "Xyzzyville, Atlantis"),
        ]
        for (artist, line) in lines {
            try await bench.db.query(
                "UPDATE release SET location = $1 WHERE artist_id = $2", [line, String(bench.seed.artists[artist]!)])
        }
        // Written by SQL, not by Load: the summaries worked out again, as Load keeps them.
        _ = try await Summaries.rebuild(bench.db, logger: Logger(label: "test"))
        let month = "s.sold_at >= '2026-10-22T00:00:00Z' AND s.sold_at < '2026-11-21T00:00:00Z'"
        // The 30 days up to the latest sale (a rolling window), a country in them (the sales), other days (the
        // day summaries).
        for (query, condition) in [
            ("", month), ("country=JP", month + " AND s.buyer_country_code = 'JP'"),
            (
                "from=2026-10-25&to=2026-11-19",
                "s.sold_at >= '2026-10-25T00:00:00Z' AND s.sold_at < '2026-11-20T00:00:00Z'"
            ),
        ] {
            let app = bench.app()
            let html = try await bench.get(app, "/geography", query).body
            func sales(_ where: String) async throws -> Int {
                Int(
                    try await bench.scalar(
                        "SELECT count(*) FROM sale s JOIN release r ON r.id = s.release_id WHERE \(condition) AND \(`where`)"
                    ))!
            }
            let leeds = try await sales("r.location IN ('Leeds, UK', 'Leeds, England')")
            let oslo = try await sales("r.location = 'Oslo, Norway'")
            let unplaced = try await sales("r.location = 'Xyzzyville, Atlantis'")
            let none = try await sales("r.location IS NULL")
            let table = try #require(DiscoverTests.table("places", in: html))
            #expect(table.contains("<title>") == false && table.contains(">Leeds<span class=\"detail\">United Kingdom"))
            #expect(table.contains("<td class=\"num\">\(Format.count(leeds))</td>"), "\(query)")
            #expect(
                html.contains("<title>Leeds, United Kingdom: \(Format.count(leeds)) sales of 2 artists"), "\(query)")
            #expect(html.contains("<title>Oslo, Norway: \(Format.count(oslo)) sales of 1 artist,"), "\(query)")
            #expect(
                html.contains("\(Format.count(leeds + oslo)) sales placed; \(Format.count(unplaced)) more name a place")
            )
            #expect(html.contains("and \(Format.count(none)) come from releases whose page gives no place"))
        }
    }

    @Test("analysis: Components' figures of the filtered sales, as SQL counts them, with the backfills to pick")
    func analysis() async throws {
        let bench = try await DashboardBench.make("dashanalysis")
        let range = "sold_at >= '2026-10-22T00:00:00Z' AND sold_at < '2026-11-21T00:00:00Z'"
        let html = try await bench.get(bench.app(), "/analysis").body
        let sales = Int(try await bench.scalar("SELECT count(*) FROM sale WHERE \(range)"))!
        let digital = Int(
            try await bench.scalar("SELECT count(*) FROM sale WHERE \(range) AND item_type IN ('album', 'track')"))!
        let more = try await bench.scalar(
            "SELECT avg((amount_paid > price_asked)::int) FROM sale WHERE \(range) AND price_asked > 0")
        #expect(DashboardBench.card("Sales", in: html) == Format.count(sales))
        #expect(DashboardBench.card("Digital", in: html) == Format.percent(Double(digital) / Double(sales)))
        #expect(DashboardBench.card("Paid more than asked", in: html) == Format.percent(Double(more)!))
        #expect(html.contains("Paid-to-price ratio") && html.contains("Seller currencies"))
        // Narrowed by a country, the figures are that country's.
        let (code, _) = TrendSeed.countries[0]
        let one = try await bench.get(bench.app(), "/analysis", "country=\(code)").body
        let oneSales = Int(
            try await bench.scalar("SELECT count(*) FROM sale WHERE \(range) AND buyer_country_code = $1", [code]))!
        #expect(DashboardBench.card("Sales", in: one) == Format.count(oneSales))
        // A backfilled dataset is listed with a link to its period.
        let ledger = try await bench.scalar(
            """
            INSERT INTO load_ledger (object_key, kind, etag, status, items, inserted)
            VALUES ('backfill/components/<b>x</b>.csv', 'components', 'e', 'loaded', 5, 5) RETURNING id
            """)
        try await bench.db.query(
            """
            INSERT INTO backfill_progress (ledger_id, next_offset, records, chunks, first_sale_at, last_sale_at)
            VALUES ($1, 10, 5, 1, '2020-09-09T10:00:00Z', '2020-10-02T23:00:00Z')
            """, [ledger])
        let listed = try await bench.get(bench.app(), "/analysis").body
        #expect(
            listed.contains(
                "backfill/components/&lt;b&gt;x&lt;/b&gt;.csv: 5 rows, 5 new sales, 2020-09-09 to 2020-10-02"))
        #expect(listed.contains("from=2020-09-09&amp;to=2020-10-02"))
    }

    @Test("alerts: a card per entity with its alerts and their statistics, never a rule id; narrowed by genre")
    func alerts() async throws {
        let bench = try await DashboardBench.make("dashalerts")
        let app = bench.app()
        let none = try await bench.get(app, "/alerts").body
        #expect(none.contains("No alert was raised in this range"))
        try await bench.alertOnGenre("vaporwave", at: "2026-11-20T07:00:00Z")
        let html = try await bench.get(app, "/alerts").body
        #expect(html.contains(">vaporwave</a>") && html.contains(">7.5×</td><td class=\"num opt\">4.3×</td>"))
        #expect(html.contains("<td class=\"num opt\">1.0</td><td class=\"num opt\">18.0</td>"))
        #expect(html.contains("36 sold in the last 24 hours; usually about 1 a day."))
        #expect(html.contains("<td>almost certain</td><td class=\"num opt\">&lt; 0.001</td>"))
        #expect(!html.contains("genre.24h"))
        let vaporwave = try await bench.get(app, "/alerts", "genre=vaporwave").body
        #expect(vaporwave.contains("<details open>") && vaporwave.contains(">vaporwave</a>"))
        let folk = try await bench.get(app, "/alerts", "genre=folk").body
        #expect(folk.contains("No alert was raised in this range for this genre or artist"))
    }

    @Test("a genre, country or artist nothing has is named in a notice, not shown as a page of zeros")
    func unknownValues() async throws {
        let bench = try await DashboardBench.make("dashunknown")
        let app = bench.app()
        let genre = try await bench.get(app, "/", "genre=no-such-genre").body
        #expect(genre.contains("No genre is called &#39;no-such-genre&#39;, so nothing matches it"))
        let country = try await bench.get(app, "/geography", "country=ZZ").body
        #expect(country.contains("&#39;ZZ&#39; is no country&#39;s code"))
        let artist = try await bench.get(app, "/genres", "artist=987654").body
        #expect(artist.contains("No artist has the number 987654"))
        // Known ones say nothing of the kind; a known genre in other capitals is the same genre.
        let known = try await bench.get(app, "/", "genre=FOLK&country=JP").body
        #expect(!known.contains("so nothing matches it") && known.contains("genre folk"))
    }

    @Test("the genre list offers the genres rising in the week first, then the year's best sellers")
    func genreList() async throws {
        let bench = try await DashboardBench.make("dashgenrelist")
        let app = bench.app()
        try await bench.alertOnGenre("darkwave", at: "2026-11-19T07:00:00Z")
        let html = try await bench.get(app, "/").body
        let list = try #require(html.range(of: "<datalist id=\"genre-list\">")).upperBound
        #expect(html[list...].hasPrefix("<option value=\"darkwave\">darkwave · rising</option>"))
        #expect(html.components(separatedBy: " · rising</option>").count == 2)
        // Then every other genre that sold, by sales.
        for genre in TrendSeed.genres where genre != "darkwave" {
            #expect(html.contains("<option value=\"\(genre)\">\(genre)</option>"), "\(genre)")
        }
    }

    @Test("the genre list is kept between requests until sales, release tags or alerts are written")
    func genreListKept() async throws {
        let bench = try await DashboardBench.make("dashgenrekept")
        let app = bench.app()
        func listed(_ key: String) async throws -> Bool {
            try await bench.get(app, "/").body.contains("<option value=\"\(key)\">")
        }
        #expect(try await !listed("kept-aside"))
        // A genre day written behind the summaries' back (no write counted): the list read before is shown.
        try await bench.db.query("INSERT INTO tag (key, name) VALUES ('kept-aside', 'kept aside')")
        try await bench.db.query(
            """
            INSERT INTO summary_genre_day (day, tag_id, sales, revenue)
            SELECT '2026-11-20', id, 1000000, 0 FROM tag WHERE key = 'kept-aside'
            """)
        #expect(try await !listed("kept-aside"))
        // Any write of sales counts itself: the list is read again.
        try await bench.db.insertSales(
            """
            INSERT INTO sale (sale_key, sold_at, utc_date, release_id, artist_id, item_type, amount_paid_usd,
                buyer_country_code, ledger_id)
            SELECT sha256(convert_to('kept', 'UTF8')), '2026-11-20 10:00Z', 0, id, artist_id, 'album', 1, 'US',
                (SELECT min(id) FROM load_ledger)
            FROM release ORDER BY id LIMIT 1
            """, [])
        #expect(try await listed("kept-aside"))
        // So does an alert.
        #expect(try await !bench.get(app, "/").body.contains("folk · rising"))
        try await bench.alertOnGenre("folk", at: "2026-11-19T08:00:00Z")
        #expect(try await bench.get(app, "/").body.contains("folk · rising"))
    }

    @Test("the filter bar only where it applies: on data pages, not on the charts (their own weeks) nor the form")
    func filterBars() async throws {
        let bench = try await DashboardBench.make("dashbars")
        let app = bench.app()
        let overview = try await bench.get(app, "/").body
        #expect(overview.contains("<form class=\"filters\"") && overview.contains("name=\"genre\""))
        let charts = try await bench.get(app, "/charts").body
        #expect(!charts.contains("<form class=\"filters\""))
        let form = try await bench.get(app, "/subscribe").body
        #expect(!form.contains("<form class=\"filters\""))
        // A page not found keeps the way back.
        let missing = try await bench.get(app, "/nope")
        #expect(missing.statusCode == 404 && missing.body.contains("<nav>") && missing.body.contains(">Overview</a>"))
    }

    @Test("a warehouse that cannot be reached is a 503 page that says so")
    func databaseDown() async throws {
        let app = DashboardApp(
            database: WarehouseDatabase(
                url: "postgresql://nobody@127.0.0.1:1/none", password: { nil }, logger: Logger(label: "test")),
            mailer: OutboxMailer(folder: NSTemporaryDirectory()), mailFrom: "t@example.com",
            reports: FolderObjectStore(root: NSTemporaryDirectory() + "dashboard-\(UUID().uuidString)"),
            credentials: nil,
            logger: Logger(label: "test"))
        let response = try await app.respond(FunctionURLRequest(method: "GET"))
        #expect(response.statusCode == 503 && response.body.contains("The warehouse is not reachable"))
        let unknown = try await app.respond(FunctionURLRequest(method: "GET", path: "/nope"))
        #expect(unknown.statusCode == 404)
        let wrongMethod = try await app.respond(FunctionURLRequest(method: "DELETE", path: "/genres"))
        #expect(wrongMethod.statusCode == 405)
    }
}

@Suite("Signing in to the dashboard")
struct DashboardSignInTests {
    @Test("pages need a session; the right password gives a signed cookie; wrong ones are counted and limited")
    func signIn() async throws {
        let bench = try await DashboardBench.make("dashsignin")
        let app = bench.app(signIn: true)
        let away = try await bench.get(app, "/genres", "country=JP")
        #expect(away.statusCode == 303 && away.headers["location"] == "/sign-in?next=%2Fgenres%3Fcountry%3DJP")
        let form = try await bench.get(app, "/sign-in", "next=%2Fgenres")
        #expect(form.statusCode == 200 && form.body.contains("name=\"next\" value=\"/genres\""))

        let wrong = try await bench.post(app, "/sign-in", form: [("username", "label"), ("password", "guess")])
        #expect(wrong.statusCode == 401 && wrong.body.contains("Wrong username or password") && wrong.cookies.isEmpty)
        let good = try await bench.post(
            app, "/sign-in", form: [("username", "label"), ("password", DashboardBench.password), ("next", "/genres")])
        #expect(good.statusCode == 303 && good.headers["location"] == "/genres")
        let cookie = try #require(good.cookies.first)
        #expect(cookie.hasPrefix("bt_session=v1.") && cookie.contains("HttpOnly") && cookie.contains("Secure"))
        #expect(cookie.contains("SameSite=Lax") && cookie.contains("Max-Age=43200"))
        let session = String(cookie.prefix { $0 != ";" })
        let page = try await bench.get(app, "/genres", cookies: [session])
        #expect(page.statusCode == 200 && page.body.contains("Sign out"))

        // A cookie altered, or expired, or from another password, is no session.
        let value = String(session.dropFirst("bt_session=".count))
        var altered = Array(value)
        altered[altered.count - 1] = altered.last == "0" ? "1" : "0"
        for bad in ["bt_session=" + String(altered), "bt_session=v1.99999999999.00", "bt_session="] {
            #expect(try await bench.get(app, "/", cookies: [bad]).statusCode == 303, "\(bad)")
        }
        let later = bench.app(signIn: true, now: TrendSeed.at + 12 * 3600 + 1)
        #expect(try await bench.get(later, "/", cookies: [session]).statusCode == 303)
        let other = DashboardApp(
            database: WarehouseDatabase(url: bench.url, password: { nil }, logger: Logger(label: "test")),
            mailer: OutboxMailer(folder: bench.outbox), mailFrom: "t@example.com",
            reports: FolderObjectStore(root: bench.outbox + "-objects"),
            credentials: DashboardCredentials(username: "label", password: "another password entirely"),
            logger: Logger(label: "test"), now: { TrendSeed.at })
        #expect(try await bench.get(other, "/", cookies: [session]).statusCode == 303)

        // Five failures from one place: the sixth attempt is refused, even with the right password; another
        // place may still try.
        for _ in 0..<4 {
            _ = try await bench.post(app, "/sign-in", form: [("username", "label"), ("password", "nope")])
        }
        let limited = try await bench.post(
            app, "/sign-in", form: [("username", "label"), ("password", DashboardBench.password)])
        #expect(limited.statusCode == 429 && limited.headers["retry-after"].flatMap(Int.init) ?? 0 > 0)
        #expect(limited.cookies.isEmpty)
        let elsewhere = try await bench.post(
            app, "/sign-in", form: [("username", "label"), ("password", DashboardBench.password)], source: "10.0.0.2")
        #expect(elsewhere.statusCode == 303)
        // Only hashes of the addresses are kept.
        #expect(try await bench.scalar("SELECT count(*) FROM request_attempt WHERE source_hash LIKE '10.%'") == "0")

        // Only paths on this site are followed after signing in.
        for next in ["//evil.example/", "https://evil.example/", "/\\evil.example", "/ok\r\nSet-Cookie: x=1"] {
            let response = try await bench.post(
                app, "/sign-in", form: [("username", "label"), ("password", DashboardBench.password), ("next", next)],
                source: "10.0.0.3")
            #expect(response.headers["location"] == "/", "\(next)")
        }
        let out = try await bench.post(app, "/sign-out", form: [])
        #expect(out.statusCode == 303 && out.cookies.first?.contains("Max-Age=0") == true)
    }

    @Test("hostile small values: a date of year 1, lists and markup as addresses, and every page's HSTS")
    func smallHostileValues() async throws {
        let bench = try await DashboardBench.make("dashsmall")
        let app = bench.app()
        for path in ["/charts", "/", "/genres"] {
            let page = try await bench.get(app, path, "to=0001-01-01")
            #expect(page.statusCode == 200, "\(path)")
            #expect(page.body.contains("0001-01-01 is outside the years sales are kept for"), "\(path)")
            #expect(page.headers["strict-transport-security"] == "max-age=31536000")
        }
        for bad in ["a,b@c.de", #"a"<script>@x.com"#, "a@b", "a@-b.com", "a..b@c.de", "<a@b.com>", "a@b.com, c@d.com"] {
            #expect(!SignUp.isAddress(bad), "\(bad)")
        }
        for good in ["fan@example.org", "o'brien+bandcamp@mail.example.co.uk", "A.B@X-Y.io"] {
            #expect(SignUp.isAddress(good), "\(good)")
        }
    }

    @Test("a sale stored before its values were checked (1e15 USD, a ratio of 1e17) fails no page")
    func storedHostileSale() async throws {
        let bench = try await DashboardBench.make("dashhuge")
        try await bench.db.query(
            """
            UPDATE sale SET amount_paid_usd = 1e15, overpaid_usd = 1e15, paid_to_price_ratio = 1e17
            WHERE sale_key = (SELECT sale_key FROM sale ORDER BY sold_at DESC LIMIT 1)
            """)
        // The summaries worked out again from it, as after the migration that made them.
        _ = try await Summaries.rebuild(bench.db, logger: Logger(label: "test"))
        let app = bench.app()
        for path in ["/", "/genres", "/artists", "/geography", "/analysis", "/alerts"] {
            let page = try await bench.get(app, path)
            #expect(page.statusCode == 200, "\(path): \(page.body.prefix(300))")
        }
        let artist = try await bench.scalar(
            "SELECT artist_id FROM sale WHERE amount_paid_usd = 1e15")
        #expect(try await bench.get(app, "/analysis", "artist=\(artist)").statusCode == 200)
        #expect(try await bench.get(app, "/artists", "artist=\(artist)").statusCode == 200)
    }

    @Test("forms that change something are taken only from this site's pages, with their token")
    func forms() async throws {
        let bench = try await DashboardBench.make("dashforms")
        let app = bench.app(signIn: true)
        // A page gives the browser its token: a cookie, and the same in the form.
        let page = try await bench.get(app, "/sign-in")
        let cookie = try #require(page.cookies.first { $0.hasPrefix("bt_form=") })
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
        let token = String(cookie.dropFirst("bt_form=".count).prefix { $0 != ";" })
        #expect(token.count == 64 && page.body.contains("name=\"form_token\" value=\"\(token)\""))
        let credentials = Form.encode([("username", "label"), ("password", DashboardBench.password)])
        func post(_ path: String, headers: [String: String], cookies: [String], body: String) async throws -> Int {
            try await app.respond(
                FunctionURLRequest(
                    method: "POST", path: path,
                    headers: headers.merging(["content-type": "application/x-www-form-urlencoded"]) { a, _ in a },
                    cookies: cookies, body: body)
            ).statusCode
        }
        let mine = ["bt_form=\(token)"]
        let field = "&form_token=\(token)"
        for path in ["/sign-in", "/sign-out", "/subscribe"] {
            #expect(try await post(path, headers: [:], cookies: mine, body: credentials + field) == 403, "no origin")
            #expect(
                try await post(
                    path, headers: ["origin": "https://evil.lambda-url.eu-west-2.on.aws"], cookies: mine,
                    body: credentials + field) == 403, "another site")
            #expect(
                try await post(
                    path, headers: ["origin": "https://127.0.0.1:8080"], cookies: [], body: credentials + field)
                    == 403, "no cookie")
            #expect(
                try await post(path, headers: ["origin": "https://127.0.0.1:8080"], cookies: mine, body: credentials)
                    == 403, "no token in the form")
            #expect(
                try await post(
                    path, headers: ["origin": "https://127.0.0.1:8080"],
                    cookies: ["bt_form=" + String(repeating: "0", count: 64)],
                    body: credentials + field) == 403, "another token")
        }
        #expect(
            try await post(
                "/sign-in", headers: ["referer": "https://127.0.0.1:8080/sign-in"], cookies: mine,
                body: credentials + field) == 303, "from this site's page (its Referer)")
        // Links in emails keep working with no form: the token in the URL is the proof.
        let unknown = try await app.respond(
            FunctionURLRequest(method: "POST", path: "/unsubscribe", query: "token=abc"))
        #expect(unknown.statusCode == 404)
    }

    @Test("a flood of failed sign-ins from many places stops guessing, but not the owner's browser")
    func signInFlood() async throws {
        let bench = try await DashboardBench.make("dashflood")
        let app = bench.app(signIn: true)
        let owner = try await bench.post(
            app, "/sign-in", form: [("username", "label"), ("password", DashboardBench.password)], source: "10.1.0.1")
        let device = try #require(owner.cookies.first { $0.hasPrefix("bt_device=v1.") })
        #expect(device.contains("HttpOnly") && device.contains("Max-Age=31536000"))
        // 100 guesses from 20 places, five each: every place stops at its own limit, and all of them together
        // reach the limit on failures from everywhere.
        for place in 0..<20 {
            for _ in 0..<5 {
                _ = try await bench.post(
                    app, "/sign-in", form: [("username", "label"), ("password", "guess")], source: "10.2.0.\(place)")
            }
        }
        let stranger = try await bench.post(
            app, "/sign-in", form: [("username", "label"), ("password", DashboardBench.password)], source: "10.3.0.1")
        #expect(stranger.statusCode == 429, "a new place is held while the flood lasts")
        let back = try await bench.post(
            app, "/sign-in", form: [("username", "label"), ("password", DashboardBench.password)], source: "10.3.0.2",
            cookies: [String(device.prefix { $0 != ";" })])
        #expect(back.statusCode == 303, "the owner's browser signs in")
        let guessing = try await bench.post(
            app, "/sign-in", form: [("username", "label"), ("password", "guess")], source: "10.3.0.3",
            cookies: [String(device.prefix { $0 != ";" })])
        #expect(guessing.statusCode == 401, "a device cookie is no password")
    }

    @Test("credentials from a secret: its shape is checked, and no value of it is in the error")
    func credentials() throws {
        #expect(throws: DashboardCredentialsError.self) { try DashboardCredentials(secret: "hunter2hunter2") }
        #expect(throws: DashboardCredentialsError.self) {
            try DashboardCredentials(secret: #"{"username": "label", "password": "short"}"#)
        }
        do {
            _ = try DashboardCredentials(secret: #"{"username": "", "password": "s3cret-s3cret-s3cret"}"#)
            Issue.record("an empty username was taken")
        } catch {
            #expect(!"\(error)".contains("s3cret"))
        }
        let credentials = try DashboardCredentials(
            secret: #"{"username": "label", "password": "s3cret-s3cret-s3cret"}"#)
        #expect(credentials.accepts(username: "label", password: "s3cret-s3cret-s3cret"))
        #expect(!credentials.accepts(username: "label", password: "s3cret-s3cret-s3creT"))
        #expect(!credentials.accepts(username: "Label", password: "s3cret-s3cret-s3cret"))
    }
}

@Suite("Subscribing from the dashboard: double opt-in, then one-click unsubscribe")
struct DashboardSubscribeTests {
    @Test("a sign-up mails a confirmation; only its link's button subscribes, once, with what was asked")
    func doubleOptIn() async throws {
        let bench = try await DashboardBench.make("dashsub")
        let app = bench.app()
        let oldGuard = bench.seed.artists["Old Guard"]!
        let form = try await bench.get(app, "/subscribe", "artist=\(oldGuard)").body
        #expect(form.contains("name=\"artist_id\" value=\"\(oldGuard)\" checked"))
        #expect(form.contains("name=\"genre\" value=\"vaporwave\""))

        let sent = try await bench.post(
            app, "/subscribe",
            form: [
                ("email", "Scout@Example.org"), ("name", "A&R <Scout>"), ("daily_report", "on"), ("genre", "vaporwave"),
                ("genre", "folk"), ("artist_id", String(oldGuard)), ("artists", "novafen"), ("frequency", "daily"),
            ])
        #expect(sent.statusCode == 200 && sent.body.contains("A confirmation email is on its way to Scout@Example.org"))
        // Nothing is subscribed yet.
        #expect(try await bench.scalar("SELECT count(*) FROM subscriber") == "0")
        let mails = try bench.mails()
        #expect(mails.count == 1)
        let mail = try ParsedEmail.parse(mails[0])
        #expect(mail.to == "Scout@Example.org" && mail.subject == "Confirm your bandcamp-tracker subscription")
        let text = try #require(mail.parts.first { $0.contentType == "text/plain" }?.text)
        #expect(
            text.contains("alerts on the genres folk, vaporwave")
                && text.contains("Nova Fen (novafen.bandcamp.com), Old Guard (oldguard.bandcamp.com)"))
        let link = try #require(
            text.split(separator: "\n").first { $0.hasPrefix("https://127.0.0.1:8080/confirm?token=") })
        let token = String(link.split(separator: "=").last!)
        #expect(token.count == 64)

        // A GET (a mail scanner) changes nothing.
        let asked = try await bench.get(app, "/confirm", "token=\(token)")
        #expect(
            asked.statusCode == 200 && asked.body.contains("<form method=\"post\" action=\"/confirm?token=\(token)\">"))
        #expect(try await bench.scalar("SELECT count(*) FROM subscriber") == "0")
        let confirmed = try await app.respond(
            FunctionURLRequest(method: "POST", path: "/confirm", query: "token=\(token)"))
        #expect(confirmed.statusCode == 200 && confirmed.body.contains("Scout@Example.org is subscribed"))
        let subscriber = try await bench.db.query(
            "SELECT id, status, daily_report, name FROM subscriber WHERE lower(email) = 'scout@example.org'"
        ).rows
        #expect(subscriber.count == 1 && subscriber[0][1] == "active" && subscriber[0][2] == "t")
        #expect(subscriber[0][3] == "A&R <Scout>")
        let follows = try await bench.db.query(
            """
            SELECT scope, coalesce(t.key, a.name), frequency FROM alert_subscription s LEFT JOIN tag t ON t.id = s.tag_id
            LEFT JOIN artist a ON a.id = s.artist_id WHERE subscriber_id = $1 ORDER BY 1, 2
            """, [subscriber[0][0]]
        ).rows
        #expect(
            follows == [
                ["artist", "Nova Fen", "daily"], ["artist", "Old Guard", "daily"], ["genre", "folk", "daily"],
                ["genre", "vaporwave", "daily"],
            ])
        let again = try await app.respond(FunctionURLRequest(method: "POST", path: "/confirm", query: "token=\(token)"))
        #expect(again.body.contains("had already confirmed"))
        #expect(try await bench.scalar("SELECT count(*) FROM alert_subscription") == "4")

        // Unsubscribing through the dashboard's page, then signing up again, starts afresh.
        let subscriberToken = try await bench.scalar("SELECT token FROM subscriber")
        let out = try await app.respond(
            FunctionURLRequest(method: "POST", path: "/unsubscribe", query: "token=\(subscriberToken)"))
        #expect(out.body.contains("will get no more reports or alerts"))
        let firstMails = Set(try bench.mails())
        _ = try await bench.post(app, "/subscribe", form: [("email", "scout@example.org"), ("everything", "on")])
        let second = try ParsedEmail.parse(try #require(try bench.mails().first { !firstMails.contains($0) }))
        let secondText = second.parts.first { $0.contentType == "text/plain" }?.text ?? ""
        let secondToken = String(
            secondText.split(separator: "\n").first { $0.contains("/confirm?token=") }!.split(separator: "=").last!)
        _ = try await app.respond(FunctionURLRequest(method: "POST", path: "/confirm", query: "token=\(secondToken)"))
        #expect(
            try await bench.db.query("SELECT status, daily_report FROM subscriber").rows == [["active", "f"]])
        #expect(try await bench.db.query("SELECT scope FROM alert_subscription").rows == [["everything"]])
    }

    @Test("sign-ups with problems name them and send nothing; an address gets 3 confirmations a day at most")
    func problemsAndLimits() async throws {
        let bench = try await DashboardBench.make("dashsublimit")
        let app = bench.app()
        let bad = try await bench.post(
            app, "/subscribe", form: [("email", "not-an-address"), ("genre", "no-such-genre"), ("artists", "Nobody")])
        #expect(bad.statusCode == 400 && bad.body.contains("&#39;not-an-address&#39; is not an email address"))
        let unknown = try await bench.post(
            app, "/subscribe",
            form: [("email", "a@example.org"), ("genre", "no-such-genre"), ("artists", "Nobody <b>")])
        #expect(unknown.statusCode == 400 && unknown.body.contains("no genre is called &#39;no-such-genre&#39;"))
        #expect(unknown.body.contains("&#39;Nobody &lt;b&gt;&#39; is not a Bandcamp page"))
        let noPage = try await bench.post(
            app, "/subscribe", form: [("email", "a@example.org"), ("artists", "https://nobody.bandcamp.com/album/x")])
        #expect(
            noPage.statusCode == 400 && noPage.body.contains("nothing has sold here from the page nobody.bandcamp.com"))
        #expect(unknown.body.contains("value=\"a@example.org\""))
        let nothing = try await bench.post(app, "/subscribe", form: [("email", "a@example.org")])
        #expect(nothing.statusCode == 400 && nothing.body.contains("choose the daily report"))
        #expect(try bench.mails().isEmpty)

        for _ in 0..<5 {
            let response = try await bench.post(
                app, "/subscribe", form: [("email", "b@example.org"), ("daily_report", "on")])
            #expect(response.statusCode == 200 && response.body.contains("A confirmation email is on its way"))
        }
        #expect(try bench.mails().count == 3)
        // Ten sign-ups from one place in 15 minutes, then a pause.
        for index in 0..<5 {
            _ = try await bench.post(
                app, "/subscribe", form: [("email", "c\(index)@example.org"), ("daily_report", "on")])
        }
        let limited = try await bench.post(
            app, "/subscribe", form: [("email", "d@example.org"), ("daily_report", "on")])
        #expect(limited.statusCode == 429 && limited.body.contains("too many sign-ups from here"))
        // Expired and unknown links.
        try await bench.db.query("UPDATE subscription_request SET created_at = now() - interval '8 days'")
        let token = try await bench.scalar("SELECT token FROM subscription_request LIMIT 1")
        let expired = try await app.respond(
            FunctionURLRequest(method: "POST", path: "/confirm", query: "token=\(token)"))
        #expect(expired.statusCode == 410)
        let unknownLink = try await bench.get(app, "/confirm", "token=abc")
        #expect(unknownLink.statusCode == 404)
        #expect(try await bench.scalar("SELECT count(*) FROM subscriber") == "0")
    }
}
