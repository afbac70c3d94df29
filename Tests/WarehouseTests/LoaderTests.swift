import Adapters
import Foundation
import Gzip
import Postgres
import TestSupport
import Testing
import Tracker
import Warehouse

@Suite("Load: raw objects into the warehouse, each sale exactly once (real PostgreSQL)")
struct LoaderTests {
    @Test("a real window: one clean sale with its artist, release, country and amounts")
    func realWindow() async throws {
        let h = try await Harness("real")
        let key = RawKeys.salesfeedWindow(start: 1_749_583_860, end: 1_749_584_460)
        try await h.putRaw(key, try FeedFixtures.text("envelope-2025-06.json"))
        let outcome = try await h.loader().load(key: key)
        #expect(outcome.status == .loaded && outcome.items == 1 && outcome.inserted == 1 && outcome.rejected == 0)
        let row = try await h.db.query(
            """
            SELECT s.utc_date::text, s.sold_at AT TIME ZONE 'UTC', s.item_type::text, s.currency, s.amount_paid::text,
                   s.amount_paid_usd::text, s.price_asked_usd::text, s.overpaid_usd::text,
                   s.paid_to_price_ratio::text, s.buyer_country_code, c.name, r.url, r.title, a.page_url, a.name,
                   length(s.sale_key)
            FROM sale s JOIN release r ON r.id = s.release_id JOIN artist a ON a.id = s.artist_id
            JOIN country c ON c.code = s.buyer_country_code
            """
        ).rows
        #expect(
            row == [
                [
                    "1749583861.7284331", "2025-06-10 19:31:01.728433", "track", "SEK", "8", "0.83", "0.830000",
                    "0.000000", "1.000000", "US", "United States",
                    "https://nanobii.bandcamp.com/track/f-k-extended-mix",
                    "F**K (Extended Mix)", "https://nanobii.bandcamp.com", "nanobii", "32",
                ]
            ])
        let window = try await h.db.query(
            "SELECT extract(epoch FROM start_at)::bigint, extract(epoch FROM end_at)::bigint, events, items FROM feed_window"
        ).rows
        #expect(window == [["1749583860", "1749584460", "1", "1"]])
    }

    @Test("587 real items of all four types: every one stored, physical items and bundles included")
    func realItems() async throws {
        let h = try await Harness("items")
        let items = try FeedFixtures.text("items-2023-07.json")
        // One event per item, as the feed sends them.
        let array = try #require(try JSONSerialization.jsonObject(with: Data(items.utf8)) as? [Any])
        let events = try array.map { item in
            let data = try JSONSerialization.data(withJSONObject: ["event_type": "sale", "items": [item]])
            return String(decoding: data, as: UTF8.self)
        }
        let key = try await h.putWindow(start: 1_688_672_800, end: 1_690_218_500, events: events)
        let outcome = try await h.loader().load(key: key)
        #expect(outcome.items == 587 && outcome.inserted == 587 && outcome.rejected == 0)
        let types = try await h.db.query(
            "SELECT item_type::text AS type, count(*) FROM sale GROUP BY item_type ORDER BY item_type"
        ).rows
        #expect(types == [["album", "241"], ["track", "252"], ["physical", "88"], ["bundle", "6"]])
        #expect(try await h.count("country") == 35)
        // PayPal's C2 is China, and named so (the feed's text for it is "C2"); every country by its standard name.
        #expect(try await h.scalar("SELECT count(*) FROM sale WHERE buyer_country_code = 'CN'") == "5")
        #expect(try await h.scalar("SELECT name FROM country WHERE code = 'CN'") == "China")
        let names = try await h.db.query("SELECT code, name FROM country ORDER BY code").rows
        #expect(names.allSatisfy { $0[1] == CountryNames.name($0[0]!) })
        // A name stored before (the feed's text) is put right by the next load that sees the country.
        try await h.db.query("UPDATE country SET name = 'C2' WHERE code = 'CN'")
        let again = try await h.putWindow(
            start: 1_749_583_800, end: 1_749_584_400, events: [Harness.event(Harness.item(1, country: "c2"))])
        _ = try await h.loader().load(key: again)
        #expect(try await h.scalar("SELECT name FROM country WHERE code = 'CN'") == "China")
        #expect(try await SummaryCheck.mismatches(h.db) == [])
    }

    @Test(
        "a window moved in many small stages, each while the next is parsed (artists and releases on a second connection or not), stores the same rows as in one"
    )
    func stages() async throws {
        let items = try FeedFixtures.text("items-2023-07.json")
        let array = try #require(try JSONSerialization.jsonObject(with: Data(items.utf8)) as? [Any])
        let events = try array.map { item in
            let data = try JSONSerialization.data(withJSONObject: ["event_type": "sale", "items": [item]])
            return String(decoding: data, as: UTF8.self)
        }
        var small = Loader.Options()
        small.readSize = 512  // slices of at most 512 compressed bytes: a stage every few items
        small.stageSize = 1
        var helped = small  // and their artists and releases on a second connection
        helped.secondConnectionFrom = 0
        var stored: [[[String?]]] = []
        for options in [Loader.Options(), small, helped] {
            let h = try await Harness("stages")
            let key = try await h.putWindow(
                start: 1_688_672_800, end: 1_690_218_500, events: events + events.prefix(50))
            let outcome = try await h.loader(options: options).load(key: key)
            #expect(outcome.items == 637 && outcome.inserted == 587 && outcome.duplicates == 50)
            stored.append(
                try await h.db.query(
                    """
                    SELECT encode(s.sale_key, 'hex'), s.sold_at::text, s.item_type::text, s.item_description,
                        s.currency, s.amount_paid::text, s.price_asked_usd::text, s.paid_to_price_ratio::text,
                        s.buyer_country_code, r.url, r.title, r.album_title, r.image_url, a.page_url, a.name
                    FROM sale s JOIN release r ON r.id = s.release_id JOIN artist a ON a.id = s.artist_id ORDER BY 1
                    """
                ).rows)
            let releasesSold = try await h.scalar("SELECT count(DISTINCT release_id) FROM sale")
            #expect(try await h.count("release") == releasesSold.flatMap(Int.init))
        }
        #expect(stored[0].count == 587)
        #expect(stored[0] == stored[1] && stored[0] == stored[2])
    }

    @Test(
        "a window found broken after some of its stages were moved stores no sale of it; corrected, it loads once",
        arguments: [false, true])
    func brokenAfterStages(helped: Bool) async throws {
        let h = try await Harness("stagesbroken")
        let events = (1...400).map { Harness.event(Harness.item($0)) }
        let json = Harness.windowJSON(start: 100, end: 700, events: events)
        let key = RawKeys.salesfeedWindow(start: 100, end: 700)
        _ = try await h.store.put(
            key, body: Gzip.compress(Array(json.utf8.dropLast(40))), contentType: "application/json",
            contentEncoding: "gzip")
        var options = Loader.Options()
        options.readSize = 256
        options.stageSize = 1
        if helped { options.secondConnectionFrom = 0 }
        let outcome = try await h.loader(options: options).load(key: key)
        #expect(outcome.status == .failed)
        #expect(try await h.scalar("SELECT status FROM load_ledger WHERE object_key = $1", [key]) == "failed")
        // Artists and releases inserted on the second connection stay (they are facts about Bandcamp); no sale does.
        let tables = helped ? ["sale", "feed_window", "load_reject"] : ["sale", "feed_window", "release", "artist"]
        for table in tables { #expect(try await h.count(table) == 0, "\(table)") }
        try await h.putWindow(start: 100, end: 700, events: events)
        let fixed = try await h.loader(options: options).load(key: key)
        #expect(fixed.status == .loaded && fixed.inserted == 400)
        #expect(try await h.count("sale") == 400)
        #expect(try await h.count("release") == 400)
    }

    @Test("the same object twice, and two overlapping windows: each sale once, sums exact")
    func exactlyOnce() async throws {
        let h = try await Harness("once")
        let a = try await h.putWindow(start: 100, end: 700, events: (1...3).map { Harness.event(Harness.item($0)) })
        let b = try await h.putWindow(start: 400, end: 1000, events: (2...5).map { Harness.event(Harness.item($0)) })
        let loader = h.loader()
        #expect(try await loader.load(key: a).inserted == 3)
        let again = try await loader.load(key: a)
        #expect(again.status == .alreadyLoaded)
        let second = try await loader.load(key: b)
        #expect(second.items == 4 && second.inserted == 2 && second.duplicates == 2)
        #expect(try await h.count("sale") == 5)
        #expect(try await h.scalar("SELECT sum(amount_paid_usd)::text FROM sale") == "62.5")
        #expect(try await h.count("load_ledger") == 2)
        #expect(try await SummaryCheck.mismatches(h.db) == [])
    }

    @Test("two packages of one album bought at once, and the same item twice in one event, stay apart")
    func identity() async throws {
        let h = try await Harness("identity")
        let vinyl = Harness.item(1, type: "p", date: "1749583861.5")
        let cassette = vinyl.replacingOccurrences(of: "Release 1", with: "Cassette")
        let key = try await h.putWindow(start: 100, end: 700, events: [Harness.event(vinyl, cassette, vinyl)])
        #expect(try await h.loader().load(key: key).inserted == 3)
        // The same event again in another window is the same three sales.
        let other = try await h.putWindow(start: 600, end: 1200, events: [Harness.event(vinyl, cassette, vinyl)])
        #expect(try await h.loader().load(key: other).inserted == 0)
    }

    @Test(
        "amounts: the price asked is the item's, already the total for tracks bought together; USD at the feed's own rate; a free item has no ratio"
    )
    func amounts() async throws {
        let h = try await Harness("amounts")
        let key = try await h.putWindow(
            start: 100, end: 700,
            events: [
                Harness.event(
                    #"{"utc_date":1749583861.1,"item_type":"t","url":"//x.bandcamp.com/track/y","currency":"GBP","amount_paid":5,"item_price":3,"amount_paid_usd":6.5,"addl_count":"2","country_code":"gb"}"#,
                    #"{"utc_date":1749583861.2,"item_type":"a","url":"//x.bandcamp.com/album/z","amount_paid":0,"item_price":0,"amount_paid_usd":0}"#,
                    #"{"utc_date":1749583861.3,"item_type":"a","url":"//x.bandcamp.com/album/w","amount_paid":3,"item_price":4}"#
                )
            ])
        #expect(try await h.loader().load(key: key).inserted == 3)
        let rows = try await h.db.query(
            """
            SELECT price_asked::text, price_asked_usd::text, overpaid_usd::text, paid_to_price_ratio::text
            FROM sale ORDER BY utc_date
            """
        ).rows
        #expect(
            rows == [
                ["3", "3.900000", "2.600000", "1.666667"], ["0", "0.000000", "0.000000", nil],
                ["4", nil, nil, "0.750000"],
            ])
    }

    @Test("bad items are rejected with the reason and the object key; the rest load")
    func rejects() async throws {
        let h = try await Harness("rejects")
        let key = try await h.putWindow(
            start: 100, end: 700,
            events: [
                #"{"items":[\#(Harness.item(1)),{"item_type":"a","url":"//x.bandcamp.com/album/y"}]}"#,
                Harness.event(Harness.item(2, type: "z"), Harness.item(3, paid: "-1")),
                Harness.event(#"{"utc_date":1749583861.9,"item_type":"a","url":"not a url"}"#),
            ])
        let outcome = try await h.loader().load(key: key)
        #expect(outcome.items == 5 && outcome.inserted == 1 && outcome.rejected == 4)
        let rejects = try await h.db.query(
            """
            SELECT l.object_key, r.event_index, r.item_index, r.reason FROM load_reject r
            JOIN load_ledger l ON l.id = r.ledger_id ORDER BY 2, 3
            """
        ).rows
        try #require(rejects.count == 4)
        #expect(rejects.map { $0[0] } == Array(repeating: key, count: 4))
        #expect(rejects.map { "\($0[1]!).\($0[2]!)" } == ["0.1", "1.0", "1.1", "2.0"])
        #expect(rejects[0][3] == "no utc_date")
        #expect(rejects[1][3] == "unknown item_type 'z'")
        #expect(rejects[2][3]?.contains("amount_paid -1 is negative") == true)
        #expect(rejects[3][3]?.contains("no usable release URL") == true)
    }

    @Test(
        "a malformed object is recorded as failed with its reason, loads nothing, and the others still load",
        arguments: [
            ("cut", "ends early"), ("plain", "not a gzip file"), ("json", "not a sales window"),
            ("event", "is not valid JSON"),
        ])
    func malformed(kind: String, complaint: String) async throws {
        let h = try await Harness("malformed")
        let good = try await h.putWindow(start: 100, end: 700, events: [Harness.event(Harness.item(1))])
        let badKey = RawKeys.salesfeedWindow(start: 700, end: 1300)
        let json = Harness.windowJSON(start: 700, end: 1300, events: [Harness.event(Harness.item(2))])
        let body: [UInt8]
        switch kind {
        case "cut": body = Array(Gzip.compress(Array(json.utf8)).dropLast(12))
        case "plain": body = Array(json.utf8)
        case "json": body = Gzip.compress(Array(json.dropLast(30).utf8))
        default:
            body = Gzip.compress(Array(json.replacingOccurrences(of: "\"artist_name\":", with: "\"artist_name\"").utf8))
        }
        _ = try await h.store.put(badKey, body: body, contentType: "application/json", contentEncoding: "gzip")
        let loader = h.loader()
        let outcome = try await loader.load(key: badKey)
        #expect(outcome.status == .failed)
        #expect(outcome.reason?.contains(complaint) == true, "\(outcome.reason ?? "")")
        #expect(try await h.count("sale") == 0)
        #expect(try await loader.load(key: good).inserted == 1)
        let ledger = try await h.db.query("SELECT object_key, status, reason IS NOT NULL FROM load_ledger ORDER BY 1")
            .rows
        #expect(ledger == [[good, "loaded", "f"], [badKey, "failed", "t"]])
        // The sweep does not try the same broken version again; a corrected one loads.
        #expect(try await loader.sweep(days: 1, now: 1000).failed == 0)
        try await h.putWindow(start: 700, end: 1300, events: [Harness.event(Harness.item(2))])
        let swept = try await loader.sweep(days: 1, now: 1000)
        #expect(swept.loaded == 1 && swept.inserted == 1)
        #expect(try await h.count("sale") == 2)
        #expect(try await h.scalar("SELECT status FROM load_ledger WHERE object_key = $1", [badKey]) == "loaded")
    }

    @Test("the sweep loads what no event brought, and only that")
    func sweep() async throws {
        let h = try await Harness("sweep")
        let now: Int64 = 1_749_600_000
        let keys = [
            try await h.putWindow(start: now - 50_000, end: now - 49_400, events: [Harness.event(Harness.item(1))]),
            try await h.putWindow(start: now - 3_600, end: now - 3_000, events: [Harness.event(Harness.item(2))]),
            try await h.putWindow(start: now - 600, end: now, events: [Harness.event(Harness.item(3))]),
        ]
        #expect(try await h.loader().load(key: keys[1]).inserted == 1)
        let first = try await h.loader().sweep(days: 2, now: now)
        #expect(first.listed == 3 && first.loaded == 2 && first.skipped == 1 && first.inserted == 2)
        let second = try await h.loader().sweep(days: 2, now: now)
        #expect(second.loaded == 0 && second.skipped == 3)
        #expect(try await h.count("sale") == 3)
    }

    @Test("two loads racing on the same objects, on two connections: each sale once")
    func racing() async throws {
        let h = try await Harness("race")
        var made: [String] = []
        for window in 0..<6 {
            // Windows overlap by half: each sale is in two objects.
            let items = (window * 50..<(window * 50 + 100)).map { Harness.event(Harness.item($0)) }
            made.append(
                try await h.putWindow(start: Int64(window * 600), end: Int64(window * 600 + 600), events: items))
        }
        let keys = made
        let other = try await PostgresConnection.connect(url: h.url)
        async let one: [LoadOutcome] = {
            var outcomes: [LoadOutcome] = []
            for key in keys { outcomes.append(try await h.loader().load(key: key)) }
            return outcomes
        }()
        async let two: [LoadOutcome] = {
            var outcomes: [LoadOutcome] = []
            for key in keys.reversed() { outcomes.append(try await h.loader(other).load(key: key)) }
            return outcomes
        }()
        let outcomes = try await one + two
        #expect(outcomes.filter { $0.status == .loaded }.count == 6)
        #expect(outcomes.filter { $0.status == .alreadyLoaded }.count == 6)
        #expect(outcomes.map(\.inserted).reduce(0, +) == 350)
        #expect(try await h.count("sale") == 350)
        #expect(try await h.scalar("SELECT count(DISTINCT release_id) FROM sale") == "350")
        let counts = [try await h.count("release"), try await h.count("artist"), try await h.count("load_ledger")]
        #expect(counts == [350, 1, 6])
        #expect(try await SummaryCheck.mismatches(h.db) == [])
    }

    @Test("migrations at every cold start apply once, even when functions start together")
    func migrationsTogether() async throws {
        let url = try await TestDatabase.fresh("migrate")
        let connections = try await withThrowingTaskGroup(of: PostgresConnection.self) { group in
            for _ in 0..<4 { group.addTask { try await PostgresConnection.connect(url: url) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let outcomes = try await withThrowingTaskGroup(of: Migrator.Outcome.self) { group in
            for db in connections { group.addTask { try await WarehouseSchema.migrator.migrate(db) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { !$0.applied.isEmpty }.count == 1)
        #expect(Set(outcomes.map(\.version)) == [WarehouseSchema.migrations.last!.version])
    }
}
