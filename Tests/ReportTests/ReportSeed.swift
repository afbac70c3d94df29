import Foundation
import PDF
import Postgres
import ReadModel
import TestSupport
import Tracker
import Warehouse

/// A warehouse with known sales on three days (the day reported on, the day before, a week earlier), made
/// by plain SQL inserts from a fixed seed: names in Latin with accents, Cyrillic, Japanese, and one full of
/// HTML's special characters. The day's feed windows miss 02:00–04:00.
struct ReportSeed {
    static let day = CalendarDay(iso: "2026-11-20")!
    static let artists = [
        ("https://sigurros.bandcamp.com", "Sigur Rós"), ("https://bjork.bandcamp.com", "Björk"),
        ("https://ryuichisakamoto.bandcamp.com", "坂本龍一"), ("https://kino.bandcamp.com", "Кино"),
        ("https://tricky-label.bandcamp.com", "<b>Tricky</b> & \"Friends\""),
        ("https://boardsofcanada.bandcamp.com", "Boards of Canada"),
    ]
    /// URL path, artist, title, genres.
    static let releases: [(String, Int, String, [String])] = [
        ("/album/agaetis-byrjun", 0, "Ágætis byrjun", ["post-rock", "ambient"]),
        ("/album/homogenic", 1, "Homogenic", ["electronic", "art pop"]),
        ("/album/async", 2, "async", ["ambient", "環境音楽"]),
        ("/album/gruppa-krovi", 3, "Группа крови", ["post-punk", "rock"]),
        ("/album/mixtape", 4, "Mixtape <1> & more", ["hip-hop"]),
        ("/album/geogaddi", 5, "Geogaddi", ["electronic", "ambient"]),
    ]
    static let countries = [
        ("US", "United States"), ("GB", "United Kingdom"), ("JP", "Japan"), ("DE", "Germany"), ("IS", "Iceland"),
        ("RU", "Russia"),
    ]

    let url: String
    let db: PostgresConnection

    static func make(_ purpose: String) async throws -> ReportSeed {
        let url = try await TestDatabase.fresh(purpose)
        let db = try await PostgresConnection.connect(url: url)
        _ = try await WarehouseSchema.migrator.migrate(db)
        return ReportSeed(url: url, db: db)
    }

    /// A warehouse of its own with the seed's sales and windows: a copy of one filled once a test run (filling
    /// takes 590 summary writes; copying a database, a fraction of a second).
    static func filled(_ purpose: String) async throws -> ReportSeed {
        let url = try await TestDatabase.copy(of: try await original.value, purpose)
        return ReportSeed(url: url, db: try await PostgresConnection.connect(url: url))
    }

    /// The name of the database filled once; nobody stays connected to it (a database is copied only then).
    private static let original = Task<String, any Error> {
        let seed = try await make("reportseed")
        try await seed.fill()
        return TestDatabase.name(of: seed.url)
    }

    /// The three days' sales (240, 200 and 150 of them) and the day's windows.
    func fill() async throws {
        let ledger = try await db.query(
            """
            INSERT INTO load_ledger (object_key, kind, etag, status) VALUES ('raw/salesfeed/seed-a', 'salesfeed', 'e', 'loaded'),
                ('raw/salesfeed/seed-b', 'salesfeed', 'e', 'loaded') RETURNING id
            """
        ).rows.compactMap { $0[0] }
        for (code, name) in Self.countries {
            try await db.query("INSERT INTO country (code, name) VALUES ($1, $2)", [code, name])
        }
        var artistIDs: [String] = []
        for (page, name) in Self.artists {
            artistIDs.append(
                try await db.query("INSERT INTO artist (page_url, name) VALUES ($1, $2) RETURNING id", [page, name])
                    .scalarText!)
        }
        var releaseIDs: [String] = []
        for (path, artist, title, tags) in Self.releases {
            let id = try await db.query(
                """
                INSERT INTO release (url, artist_id, title, page_status) VALUES ($1, $2, $3, 'read') RETURNING id
                """, [Self.artists[artist].0 + path, artistIDs[artist], title]
            ).scalarText!
            releaseIDs.append(id)
            for (position, tag) in tags.enumerated() {
                let tagID = try await db.query(
                    """
                    WITH found AS (INSERT INTO tag (key, name) VALUES ($1, $1) ON CONFLICT (key) DO NOTHING RETURNING id)
                    SELECT id FROM found UNION ALL SELECT id FROM tag WHERE key = $1
                    """, [tag]
                ).scalarText!
                try await db.query(
                    "INSERT INTO release_tag (release_id, tag_id, position) VALUES ($1, $2, $3)",
                    [id, tagID, String(position)])
            }
        }
        var random = Seeded(seed: 20_261_120)
        let plan: [(CalendarDay, Int)] = [
            (Self.day, 240), (Self.day.adding(days: -1), 200), (Self.day.adding(days: -7), 150),
        ]
        let releaseWeights = [0, 0, 0, 1, 1, 2, 3, 4, 5, 5]
        let types = ["album", "album", "track", "physical", "bundle"]
        let prices = ["7.00", "10.00", "12.50", "0.00", "25.00"]
        // Every sale in one write (one summary write; as many loads of one sale each take a minute of CPU).
        var columns = [[String]](repeating: [], count: 9)
        for (day, count) in plan {
            for n in 0..<count {
                var hour = random.next(24)
                if day == Self.day, hour == 2 || hour == 3 { hour += 3 }
                let seconds = day.start + Int64(hour * 3600 + random.next(3600))
                let release = releaseWeights[random.next(releaseWeights.count)]
                let kind = random.next(types.count)
                let price = prices[kind]
                let extra = [0, 0, 0, 1, 3][random.next(5)]
                let paid = String(format: "%.2f", Double(price)! + Double(extra))
                let row = [
                    "\(day.iso)-\(n)", "\(seconds).5", releaseIDs[release], artistIDs[Self.releases[release].1],
                    types[kind], Self.releases[release].2, paid, price,
                    Self.countries[random.next(Self.countries.count)].0,
                ]
                for (column, value) in row.enumerated() { columns[column].append(value) }
            }
        }
        try await db.insertSales(
            """
            INSERT INTO sale (sale_key, sold_at, utc_date, release_id, artist_id, item_type, item_description,
                currency, amount_paid, price_asked, amount_paid_usd, price_asked_usd, overpaid_usd,
                paid_to_price_ratio, buyer_country_code, ledger_id)
            SELECT sha256(r.key::bytea), to_timestamp(r.at), r.at, r.release_id, r.artist_id, r.kind::item_type,
                r.title, 'USD', r.paid, r.price, r.paid, r.price, greatest(0, r.paid - r.price),
                round(r.paid / nullif(r.price, 0), 6), r.country, $10
            FROM unnest($1::text[], $2::numeric[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::numeric[],
                $8::numeric[], $9::text[]) AS r (key, at, release_id, artist_id, kind, title, paid, price, country)
            """, columns.map(PostgresArray.literal) + [ledger[0]])
        // The day's windows: 00:00–02:00 and 04:00–24:00.
        try await db.query(
            """
            INSERT INTO feed_window (ledger_id, start_at, end_at, events, items)
            VALUES ($1, to_timestamp($3), to_timestamp($3 + 7200), 1, 1),
                   ($2, to_timestamp($3 + 14400), to_timestamp($3 + 86400), 1, 1)
            """, [ledger[0], ledger[1], String(Self.day.start)])
    }

    /// One value of a query of the test's own.
    func value(_ sql: String) async throws -> String {
        try await db.query(sql, [String(Self.day.start), String(Self.day.end)]).scalarText ?? ""
    }
}

/// A small deterministic generator (a 64-bit LCG), so the seed's data is the same on every run.
struct Seeded {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }
}

/// The fonts of the machine (scripts/install-deps installs them).
let fonts = try! PDFFontFiles.locate(in: PDFFontFiles.systemFolders)

/// A PDF's text as poppler's `pdftotext` reads it: an independent reader of what we write.
func extractText(_ bytes: [UInt8]) throws -> String {
    let path = NSTemporaryDirectory() + "report-\(UUID().uuidString).pdf"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
    process.arguments = ["-enc", "UTF-8", path, "-"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw PDFTextError(description: "pdftotext exited with \(process.terminationStatus): not a readable PDF")
    }
    return String(decoding: data, as: UTF8.self)
}

struct PDFTextError: Error, CustomStringConvertible {
    var description: String
}
