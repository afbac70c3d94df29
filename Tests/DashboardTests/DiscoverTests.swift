import Foundation
import LambdaEvents
import Postgres
import ReadModel
import TestSupport
import Testing
import Tracker

@testable import Dashboard
@testable import ReadModel

@Suite("Discover: movers, new artists and small artists, equal to the same worked out from the sales")
struct DiscoverTests {
    /// The truth of a list: `entity id:sales:before` of every artist, release or genre (`key`, an expression on
    /// `sale s`, `release_tag rt` joined for genres) with more sales in the range than in the range before,
    /// worked out from `sale` alone.
    static func truth(
        _ bench: DashboardBench, key: String, filter: DashboardFilter, condition: String, having: String = ""
    ) async throws -> Set<String> {
        let join = key.hasPrefix("rt.") ? "JOIN release_tag rt ON rt.release_id = s.release_id" : ""
        let from = "to_timestamp(\(filter.from.start))"
        let rows = try await bench.db.query(
            """
            SELECT \(key) AS id, count(*) FILTER (WHERE s.sold_at >= \(from)) AS sales,
                count(*) FILTER (WHERE s.sold_at < \(from)) AS before
            FROM sale s \(join)
            WHERE s.sold_at >= to_timestamp(\(filter.previous.from.start)) AND s.sold_at < to_timestamp(\(filter.to.end))
                AND \(condition)
            GROUP BY 1 HAVING count(*) FILTER (WHERE s.sold_at >= \(from)) > count(*) FILTER (WHERE s.sold_at < \(from))
                \(having)
            """, [])
        return Set(
            try rows.map {
                "\(try $0.decode("id", as: Int64.self)):\(try $0.decode("sales", as: Int.self)):\(try $0.decode("before", as: Int.self))"
            })
    }

    /// The filter a page's query string (`from=…&to=…&country=…`) asks for, the latest sale on `latest`.
    static func filter(_ query: String, latest: String = "2026-11-20") -> DashboardFilter {
        let items = query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            return (name: parts[0], value: parts[1])
        }
        return DashboardFilter.parse(items, latest: CalendarDay(iso: latest)!).filter
    }

    static func listed(_ movers: [Mover], id: (Mover) -> String = \.key) -> Set<String> {
        Set(movers.map { "\(id($0)):\($0.sales):\($0.before)" })
    }

    @Test(
        "rising artists, releases and genres and new artists, from the summaries and from the sales, for filters",
        arguments: [
            "from=2026-11-11&to=2026-11-20", "from=2026-11-11&to=2026-11-20&country=JP",
            "from=2026-11-16&to=2026-11-20&genre=vaporwave", "from=2026-11-18&to=2026-11-20&type=album",
        ])
    func sameAsSales(query: String) async throws {
        let bench = try await DashboardBench.make("discover")
        try await SummaryFiguresTests.varied(bench)
        let filter = Self.filter(query)
        var condition = ["true"]
        if let country = filter.country { condition.append("s.buyer_country_code = '\(country)'") }
        if let type = filter.itemType { condition.append("s.item_type = '\(type)'") }
        if let genre = filter.genre {
            condition.append(
                "s.release_id IN (SELECT release_id FROM release_tag x JOIN tag t ON t.id = x.tag_id WHERE t.key = '\(genre)')"
            )
        }
        let narrowing = condition.joined(separator: " AND ")
        let artists = try await Self.truth(bench, key: "s.artist_id", filter: filter, condition: narrowing)
        let releases = try await Self.truth(bench, key: "s.release_id", filter: filter, condition: narrowing)
        let genreRows = try await bench.db.query(
            "SELECT id::text AS id, key FROM tag", []
        ).map { (try $0.decode("id", as: String.self), try $0.decode("key", as: String.self)) }
        let tagKeys = Dictionary(uniqueKeysWithValues: genreRows)
        let genres = try await Self.truth(bench, key: "rt.tag_id", filter: filter, condition: narrowing)
        // New: no sale at all before the range, some in it (under the filter).
        let newArtists = Set(
            try await bench.db.query(
                """
                SELECT s.artist_id, count(*) AS sales FROM sale s
                WHERE s.sold_at >= to_timestamp(\(filter.from.start)) AND s.sold_at < to_timestamp(\(filter.to.end))
                    AND \(narrowing) AND s.artist_id IN (
                        SELECT artist_id FROM sale GROUP BY 1 HAVING min(sold_at) >= to_timestamp(\(filter.from.start)))
                GROUP BY 1
                """, []
            ).map { "\(try $0.decode("artist_id", as: Int64.self)):\(try $0.decode("sales", as: Int.self))" })
        #expect(!artists.isEmpty && artists.count < 50 && releases.count < 30)
        for useSummaries in [true, false] {
            let read = DashboardQuery(db: bench.db, useSummaries: useSummaries)
            let risers = try await read.artistMovers(filter, smallUnder: nil)
            #expect(Self.listed(risers) == artists, "\(query) summaries: \(useSummaries)")
            // Most more sales first.
            #expect(zip(risers, risers.dropFirst()).allSatisfy { $0.sales - $0.before >= $1.sales - $1.before })
            #expect(Self.listed(try await read.releaseMovers(filter, smallUnder: nil)) == releases)
            let genreList = try await read.genreMovers(filter)
            #expect(
                Self.listed(genreList, id: { mover in tagKeys.first { $0.value == mover.key }!.key }) == genres,
                "\(query) summaries: \(useSummaries)")
            let new = try await read.newArtists(filter, smallUnder: nil)
            #expect(Set(new.map { "\($0.key):\($0.sales)" }) == newArtists)
        }
        if filter.genre != nil {
            // As the page reads them: the genre looked up first.
            let read = DashboardQuery(db: bench.db)
            let resolved = try await read.resolvingGenre(filter).filter
            #expect(resolved.genreTagID != nil)
            #expect(Self.listed(try await read.artistMovers(resolved, smallUnder: nil)) == artists)
            #expect(Self.listed(try await read.releaseMovers(resolved, smallUnder: nil)) == releases)
            let genreList = try await read.genreMovers(resolved)
            #expect(Self.listed(genreList, id: { mover in tagKeys.first { $0.value == mover.key }!.key }) == genres)
            let new = try await read.newArtists(resolved, smallUnder: nil)
            #expect(Set(new.map { "\($0.key):\($0.sales)" }) == newArtists)
        }
    }

    @Test(
        "a preset range up to the latest day reads its rolling window: the same lists, in the same order, as the sales",
        arguments: [
            "", "from=2026-11-14&to=2026-11-20", "country=US", "from=2026-11-14&to=2026-11-20&country=US", "type=album",
            "from=2026-11-14&to=2026-11-20&type=album", "genre=folk", "from=2026-11-14&to=2026-11-20&genre=folk",
            "from=2026-08-23&to=2026-11-20", "from=2025-11-21&to=2026-11-20&country=US",
        ])
    func windows(query: String) async throws {
        let bench = try await DashboardBench.make("discoverwindow")
        try await SummaryFiguresTests.varied(bench)
        let filter = Self.filter(query)
        // The range is a window's, and the range before it holds sales (but for 90 days and more: the seed's sales
        // begin less than 90 days before them; those ranges are here for the small artists' bounds).
        let period = try await bench.scalar(
            "SELECT summary_window_period($1::date, $2::integer)", [filter.to.iso, String(filter.days)])
        #expect(period == "0")
        let before = try await bench.scalar(
            "SELECT count(*) FROM summary_window_artist WHERE span = $1::integer AND period = 1", [String(filter.days)])
        #expect(Int(before)! > 0 || filter.days >= 90)
        // At the range's edges: an artist whose first sale is its first second (new), one who sold a second
        // before it (not new); three sales each in the range.
        for (name, first) in [("Edge New", filter.from.start), ("Edge Old", filter.from.start - 1)] {
            try await bench.db.query(
                """
                INSERT INTO artist (page_url, name) VALUES ('https://edge.bandcamp.com', $1);
                """, [name])
            try await bench.db.query(
                """
                INSERT INTO release (url, artist_id)
                SELECT 'https://edge.bandcamp.com/album/' || replace(lower(name), ' ', '-'), id FROM artist
                WHERE name = $1
                """, [name])
            if let genre = filter.genre {
                // Of the filter's genre, before its sales: they count in it as they are stored.
                try await bench.db.query(
                    """
                    INSERT INTO release_tag (release_id, tag_id, position)
                    SELECT r.id, t.id, 1 FROM release r, tag t
                    WHERE r.url = 'https://edge.bandcamp.com/album/' || replace(lower($1), ' ', '-') AND t.key = $2
                    """, [name, genre])
            }
            try await bench.db.insertSales(
                """
                INSERT INTO sale (sale_key, sold_at, utc_date, release_id, artist_id, item_type, amount_paid_usd,
                    buyer_country_code, ledger_id)
                SELECT sha256(convert_to($1 || k, 'UTF8')), to_timestamp(t), t::numeric, r.id, r.artist_id, 'album',
                    1, 'US', (SELECT min(id) FROM load_ledger)
                FROM unnest(ARRAY[$2::bigint, $3::bigint + 3600, $3::bigint + 7200, $3::bigint + 10800])
                    WITH ORDINALITY u (t, k)
                JOIN release r ON r.url = 'https://edge.bandcamp.com/album/' || replace(lower($1), ' ', '-')
                """, [name, String(first), String(filter.from.start)])
        }
        let window = DashboardQuery(db: bench.db)
        let sales = DashboardQuery(db: bench.db, useSummaries: false)
        let new = try await window.newArtists(filter, smallUnder: nil, limit: 50).map(\.name)
        #expect(new.contains("Edge New") && !new.contains("Edge Old"), "\(new)")
        func lists(_ read: DashboardQuery, limit: Int, small: Int?) async throws -> [[Mover]] {
            [
                try await read.artistMovers(filter, smallUnder: small, limit: limit),
                try await read.newArtists(filter, smallUnder: small, limit: limit),
                try await read.releaseMovers(filter, smallUnder: small, limit: limit),
                try await read.genreMovers(filter, limit: limit),
            ]
        }
        // Short lists cut the ranking where the floor under the gains matters; small artists drop best sellers.
        // Sizes the page offers (10, 50) are read from the lists kept for a preset range, after the edge artists'
        // sales were added to them.
        for limit in [1, 2, 3, 50] {
            for small in [nil, 1, 3, 10, 40, 50] {
                let fromWindow = try await lists(window, limit: limit, small: small)
                let fromSales = try await lists(sales, limit: limit, small: small)
                #expect(fromWindow == fromSales, "\(query) limit \(limit) small \(small.map(String.init) ?? "-")")
                #expect(fromWindow.contains { !$0.isEmpty })
            }
        }
    }

    @Test("the rolling windows bound every artist's sales in the 90 days before each preset range")
    func smallBounds() async throws {
        let bench = try await DashboardBench.make("discoverbounds")
        try await SummaryFiguresTests.varied(bench)
        // An artist with a sale 60, 100 and 150 days before the latest day: for 30 days, one surely in the 90
        // days before, one that may be, one that is not.
        try await bench.db.query(
            "INSERT INTO artist (page_url, name) VALUES ('https://bounds.bandcamp.com', 'Bound Walker')")
        try await bench.db.query(
            """
            INSERT INTO release (url, artist_id)
            SELECT 'https://bounds.bandcamp.com/album/a', id FROM artist WHERE name = 'Bound Walker'
            """)
        try await bench.db.insertSales(
            """
            INSERT INTO sale (sale_key, sold_at, utc_date, release_id, artist_id, item_type, amount_paid_usd,
                buyer_country_code, ledger_id)
            SELECT sha256(convert_to('bounds:' || d, 'UTF8')), t, date_part('epoch', t)::numeric, r.id, r.artist_id,
                'album', 1, 'US', (SELECT min(id) FROM load_ledger)
            FROM unnest(ARRAY[60, 100, 150]) d
            CROSS JOIN LATERAL (SELECT (date '2026-11-20' - d)::timestamp AT TIME ZONE 'UTC' + interval '12 hours' AS t) x
            JOIN release r ON r.url = 'https://bounds.bandcamp.com/album/a'
            """, [])
        var narrow = 0
        var settled = 0
        for days in [7, 30, 90, 365] {
            let filter = DashboardFilter(
                from: CalendarDay(iso: "2026-11-20")!.adding(days: Int64(1 - days)), to: CalendarDay(iso: "2026-11-20")!
            )
            #expect(
                try await bench.scalar("SELECT summary_window_period('2026-11-20', $1::integer)", ["\(days)"]) == "0")
            let bounds = DashboardQuery.smallBounds(days: days)
            let start = filter.from.adding(days: -Int64(DashboardQuery.smallArtistDays)).start
            let query: SQLQuery = """
                SELECT a.artist, \(bounds.lower) AS lower, \(bounds.beyond) AS beyond, (
                    SELECT count(*) FROM sale h WHERE h.artist_id = a.artist
                        AND h.sold_at >= to_timestamp(\(start)::float8)
                        AND h.sold_at < to_timestamp(\(filter.from.start)::float8)) AS truth
                FROM (SELECT id AS artist FROM artist) a
                """
            let rows = try await bench.db.query(query).map { row in
                (
                    artist: try row.decode("artist", as: Int64.self), lower: try row.decode("lower", as: Int.self),
                    beyond: try row.decode("beyond", as: Int.self), truth: try row.decode("truth", as: Int.self)
                )
            }
            #expect(!rows.isEmpty)
            for row in rows {
                #expect(row.lower <= row.truth && row.truth <= row.lower + row.beyond, "\(days) days: \(row)")
                if days == DashboardQuery.smallArtistDays { #expect(row.beyond == 0) }
            }
            narrow += rows.filter { $0.lower < $0.truth && $0.truth < $0.lower + $0.beyond }.count
            settled += rows.filter { $0.lower > 0 }.count
        }
        // The data reaches both bounds: artists strictly between them, and artists with sales surely before.
        #expect(narrow > 0 && settled > 0, "between \(narrow), at least one sale \(settled)")
    }

    @Test("small artists: fewer than N sales in the 90 days before the range, whatever the filter")
    func smallArtists() async throws {
        let bench = try await DashboardBench.make("discoversmall")
        let filter = DashboardFilter(from: CalendarDay(iso: "2026-11-18")!, to: CalendarDay(iso: "2026-11-20")!)
        for under in [1, 40, 95, 200] {
            let truth = try await Self.truth(
                bench, key: "s.artist_id", filter: filter, condition: "true",
                having: """
                    AND (SELECT count(*) FROM sale h WHERE h.artist_id = s.artist_id
                        AND h.sold_at >= to_timestamp(\(filter.from.start - 90 * 86_400))
                        AND h.sold_at < to_timestamp(\(filter.from.start))) < \(under)
                    """)
            let listed = try await DashboardQuery(db: bench.db).artistMovers(filter, smallUnder: under)
            #expect(Self.listed(listed) == truth, "under \(under)")
        }
        // Under 1 is only artists with no sale before: Nova Fen, rising from nothing.
        let fresh = try await DashboardQuery(db: bench.db).artistMovers(filter, smallUnder: 1)
        #expect(fresh.map(\.name).contains("Nova Fen"))
        #expect(!fresh.contains { $0.name.hasPrefix("Vapor") })
    }

    @Test("the page: its lists, location and genre columns, the size form; an unknown size is named")
    func page() async throws {
        let bench = try await DashboardBench.make("discoverpage")
        try await bench.db.query(
            """
            UPDATE release SET location = 'Reykjavík, Iceland', page_read_at = now()
            WHERE artist_id = \(bench.seed.artists["Nova Fen"]!)
            """, [])
        let html = try await bench.get(bench.app(), "/discover", "from=2026-11-11&to=2026-11-20").body
        #expect(html.contains("<h1>Discover</h1>") && html.contains("aria-current=\"page\">Discover"))
        let rising = try #require(Self.table("rising-artists", in: html))
        #expect(rising.contains("Nova Fen") && rising.contains("Reykjavík, Iceland"))
        #expect(rising.contains("darkwave") || rising.contains("ambient"))
        #expect(Self.table("new-artists", in: html)?.contains("Nova Fen") == true)
        #expect(html.contains("Against the 10 days before (2026-11-01 to 2026-11-10)."))
        // Sort links keep the filter; the sorted column says so.
        let sorted = try await bench.get(
            bench.app(), "/discover", "from=2026-11-11&to=2026-11-20&sort=rising-artists.artist&order=asc"
        ).body
        #expect(sorted.contains("aria-sort=\"ascending\""))
        #expect(sorted.contains("href=\"/discover?from=2026-11-11&amp;to=2026-11-20&amp;csv=rising-artists\""))
        let small = try await bench.get(bench.app(), "/discover", "from=2026-11-19&to=2026-11-20&small=1").body
        #expect(small.contains("<option value=\"1\" selected>") && small.contains("Small artists only"))
        let wrong = try await bench.get(bench.app(), "/discover", "small=lots").body
        #expect(wrong.contains("Ignored: &#39;lots&#39; is not a number of sales") || wrong.contains("Ignored: 'lots'"))
        // A range that starts before the warehouse's first sale says every artist looks new.
        let early = try await bench.get(bench.app(), "/discover", "from=2026-10-01&to=2026-10-30").body
        #expect(early.contains("every artist looks new"))
    }

    @Test("every table downloads as CSV that Python's csv module reads back as the page's table, sorted as shown")
    func csvReadBack() async throws {
        let bench = try await DashboardBench.make("discovercsv")
        try await SummaryFiguresTests.varied(bench)
        // An artist whose name a spreadsheet would run, with a comma and quotes: new and rising in the range.
        let artist = try await bench.scalar(
            "INSERT INTO artist (page_url, name) VALUES ('https://formula.bandcamp.com', $1) RETURNING id",
            ["=HYPERLINK(\"http://x\", \"y\"), \"quoted\""])
        let release = try await bench.scalar(
            """
            INSERT INTO release (url, artist_id, title, location, page_status)
            VALUES ('https://formula.bandcamp.com/album/a', $1, '-minus, "title"', 'Zürich, Switzerland', 'read')
            RETURNING id
            """, [artist])
        var seed = bench.seed
        try await seed.sales([release], from: TrendSeed.at - 3 * 86_400, to: TrendSeed.at, count: 40, countries: 3)
        let app = bench.app()
        let range = "from=2026-11-11&to=2026-11-20"
        let old = bench.seed.artists["Old Guard"]!
        let cases: [(String, String, String)] = [
            ("/discover", range, "rising-artists"),
            (
                "/discover", range + "&sort=rising-artists.based&order=asc",
                "rising-artists"
            ),
            ("/discover", range, "new-artists"), ("/discover", range, "rising-releases"),
            ("/discover", range + "&sort=rising-genres.change&order=desc", "rising-genres"),
            ("/", range, "artists"), ("/", range + "&sort=releases.release&order=asc", "releases"),
            ("/", range, "types"),
            ("/genres", range, "genres"), ("/genres", range, "heatmap"), ("/genres", range, "leaders-1"),
            ("/genres", "", "rising"),
            ("/geography", range, "countries"), ("/geography", range, "places"), ("/artists", range, "artists"),
            ("/artists", "q=vapor", "artists"),
            ("/artists", range + "&artist=\(old)", "releases"), ("/artists", range + "&artist=\(old)", "countries"),
            ("/artists", range + "&artist=\(old)", "tags"),
        ]
        try await bench.alertOnGenre("vaporwave", at: "2026-11-20T06:00:00Z")
        try await Self.readBack(
            bench, app,
            cases + [
                ("/analysis", range, "types"), ("/analysis", range, "formats"), ("/analysis", range, "overpayment"),
                ("/analysis", range, "ratio"), ("/analysis", range, "countries"), ("/analysis", range, "currencies"),
                ("/alerts", range, "alerts-1"), ("/artists", range + "&artist=\(old)", "paid"),
            ])
        // The formula is text in the CSV, and a table the page does not have is a 404.
        let csv = try await bench.get(app, "/discover", range + "&csv=new-artists")
        let text = String(decoding: Data(base64Encoded: csv.body)!, as: UTF8.self)
        #expect(text.contains("\"'=HYPERLINK(\"\"http://x\"\", \"\"y\"\"), \"\"quoted\"\"\""))
        #expect(try await bench.get(app, "/discover", "csv=nothing").statusCode == 404)
    }

    /// Each case's page and its table as CSV agree, as `compareScript` reads them.
    static func readBack(_ bench: DashboardBench, _ app: DashboardApp, _ cases: [(String, String, String)])
        async throws
    {
        let folder = NSTemporaryDirectory() + "csv-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (index, (path, query, id)) in cases.enumerated() {
            let page = try await bench.get(app, path, query)
            #expect(page.statusCode == 200)
            let download = try await bench.get(app, path, query + (query.isEmpty ? "" : "&") + "csv=\(id)")
            #expect(download.statusCode == 200 && download.headers["content-type"] == "text/csv; charset=utf-8")
            #expect(
                download.headers["content-disposition"]?.hasPrefix("attachment; filename=\"bandcamp-tracker-\(id)")
                    == true)
            let csv = try #require(Data(base64Encoded: download.body))
            try page.body.write(toFile: "\(folder)/\(index).html", atomically: true, encoding: .utf8)
            try csv.write(to: URL(fileURLWithPath: "\(folder)/\(index).csv"))
            let verdict = try runPython(Self.compareScript, "\(folder)/\(index).html", id, "\(folder)/\(index).csv")
            #expect(verdict.hasPrefix("same ") && verdict != "same 0 rows", "\(path)?\(query) \(id): \(verdict)")
        }
    }

    /// Reads the page's table (by id) with html.parser and the CSV with the csv module, and says `same N rows` when
    /// every cell agrees: text as shown (a formula after an apostrophe), figures as the page writes them.
    static let compareScript = #"""
        import csv, html.parser, re, sys
        page, table_id, csv_path = sys.argv[1:4]

        class Table(html.parser.HTMLParser):
            def __init__(self):
                super().__init__()
                self.inside, self.rows, self.row, self.cell, self.detail = False, [], None, None, 0
            def handle_starttag(self, tag, attrs):
                a = dict(attrs)
                if tag == 'table' and a.get('id') == table_id: self.inside = True
                if not self.inside: return
                if tag == 'tr': self.row = []
                elif tag in ('td', 'th'): self.cell = {'text': '', 'href': None, 'detail': ''}
                elif tag == 'a' and self.cell is not None and self.cell['href'] is None: self.cell['href'] = a.get('href')
                elif tag == 'span' and 'detail' in (a.get('class') or ''): self.detail = 1
            def handle_endtag(self, tag):
                if not self.inside: return
                if tag == 'table': self.inside = False
                elif tag == 'span': self.detail = 0
                elif tag in ('td', 'th') and self.cell is not None: self.row.append(self.cell); self.cell = None
                elif tag == 'tr' and self.row is not None: self.rows.append(self.row); self.row = None
            def handle_data(self, data):
                if self.inside and self.cell is not None:
                    self.cell['detail' if self.detail else 'text'] += data

        parser = Table()
        parser.feed(open(page, encoding='utf-8').read())
        shown = parser.rows
        with open(csv_path, encoding='utf-8-sig', newline='') as f:
            read = list(csv.reader(f))
        problems = []
        def number(text):
            return float(text.replace('−', '-').replace('$', '').replace(',', '').replace('×', '').replace('±', '').replace('+', ''))
        def agrees(text, value, href, detail):
            if text in ('—', 'new') or text.startswith('not comparable') or text == 'no data then': return value == ''
            if text.startswith('< '): return float(value) < float(text[2:])
            if re.fullmatch(r'[+−±]?[\d,]+\.\d%', text): return abs(float(value) * 100 - number(text[:-1])) <= 0.05 + 1e-9
            if re.fullmatch(r'−?\$[\d,]+\.\d\d', text): return abs(float(value) - number(text)) < 1e-9
            if re.fullmatch(r'×?−?[\d,]+(\.\d+)?×?', text):
                digits = text.replace('×', '')
                places = len(digits.split('.')[1]) if '.' in digits else 0
                return abs(float(value) - number(text)) <= 0.5 * 10 ** -places + 1e-9
            if text[:1] in ('=', '+', '-', '@', '\t', '\r'): return value == "'" + text
            return value == text
        if not shown: problems.append('no table %s on the page' % table_id)
        else:
            header = [c['text'].replace('▲', '').replace('▼', '').strip() for c in shown[0]]
            expected = []
            for title in header:
                expected.append('Rank' if title == '#' else title)
            columns = [name for name in read[0] if name != 'Bandcamp page']
            if columns != expected: problems.append('header %r against %r' % (read[0], header))
            if len(read) - 1 != len(shown) - 1: problems.append('%d rows against %d' % (len(read) - 1, len(shown) - 1))
            for row_shown, row_read in zip(shown[1:], read[1:]):
                index = 0
                for name, value in zip(read[0], row_read):
                    if name == 'Bandcamp page':
                        cell = row_shown[index - 1]
                        ok = value == cell['href'] or value == 'https://' + cell['detail'] or (value == '' and cell['detail'] == '')
                        if not ok: problems.append('address %r of %r' % (value, cell))
                        continue
                    cell = row_shown[index]
                    index += 1
                    if not agrees(cell['text'], value, cell['href'], cell['detail']):
                        problems.append('%r shown, %r read' % (cell['text'], value))
        print('; '.join(problems[:5]) if problems else 'same %d rows' % (len(read) - 1))
        """#

    /// The markup of the table with this id.
    static func table(_ id: String, in html: String) -> String? {
        guard let start = html.range(of: "id=\"\(id)\"") else { return nil }
        let rest = html[start.lowerBound...]
        guard let end = rest.range(of: "</table>") else { return nil }
        return String(rest[..<end.upperBound])
    }
}
