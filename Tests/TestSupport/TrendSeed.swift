import Foundation
import Postgres
import Warehouse

/// A warehouse with 31 days of sales before `at` written by plain SQL (each stream of sales one
/// `generate_series` insert, evenly spaced, so shares hold exactly where nothing is planted): 40 steady artists
/// in six genres, and planted in the last two days: an artist from nowhere (Nova Fen, emerging, darkwave), an
/// established one selling ten times its usual (Old Guard, folk), a genre whose four artists all rose (vaporwave),
/// and an artist going from 0 to 2 sales a day (Two Sales). The day 10 days back is a Bandcamp Friday (10x).
/// The database must be migrated.
public struct TrendSeed: Sendable {
    /// The evaluation time: 2026-11-20 07:00 UTC.
    public static let at: Int64 = 1_795_158_000
    public static let genres = ["ambient", "techno", "jazz", "folk", "metal", "hip-hop", "darkwave", "vaporwave"]
    public static let countries = [
        ("US", "United States"), ("GB", "United Kingdom"), ("JP", "Japan"), ("DE", "Germany"), ("BR", "Brazil"),
        ("IS", "Iceland"),
    ]

    public private(set) var db: PostgresConnection
    /// Ids by artist name and by genre key.
    public private(set) var artists: [String: Int64] = [:]
    public private(set) var tags: [String: Int64] = [:]
    private var ledger = ""
    private var streams = 0
    /// Each artist's releases, with its sales a day and countries in the last two days.
    private var recent: [(releases: [String], perDay: Int, countries: Int)] = []

    public init(db: PostgresConnection) {
        self.db = db
    }

    /// A migrated warehouse of its own holding the seed, and the seed on a connection to it: a copy of one
    /// filled once a test run (filling takes a hundred summary writes; copying a database, a fraction of a
    /// second). The copy keeps the ids, so the seed's names of artists and genres hold in it.
    public static func copied(_ purpose: String) async throws -> (url: String, seed: TrendSeed) {
        let (template, filled) = try await original.value
        let url = try await TestDatabase.copy(of: template, purpose)
        var seed = filled
        seed.db = try await PostgresConnection.connect(url: url)
        return (url, seed)
    }

    /// The database filled once, and the seed as filling left it, its connection to that database closed (a
    /// database is copied only when nobody is connected to it) for one to the cluster's main database.
    private static let original = Task<(String, TrendSeed), any Error> {
        let url = try await TestDatabase.fresh("trendseed")
        var seed = TrendSeed(db: try await PostgresConnection.connect(url: url))
        _ = try await WarehouseSchema.migrator.migrate(seed.db)
        try await seed.fill()
        seed.db = try await PostgresConnection.connect(url: TestDatabase.clusterURL)
        return (TestDatabase.name(of: url), seed)
    }

    /// Fills the warehouse.
    public mutating func fill() async throws {
        ledger = try await db.query(
            """
            INSERT INTO load_ledger (object_key, kind, etag, status) VALUES ('raw/salesfeed/trend-seed', 'salesfeed',
                'e', 'loaded') RETURNING id
            """
        ).scalarText!
        for (code, name) in Self.countries {
            try await db.query(
                "INSERT INTO country (code, name) VALUES ($1, $2) ON CONFLICT DO NOTHING", [code, name])
        }
        for key in Self.genres {
            tags[key] = Int64(
                try await db.query("INSERT INTO tag (key, name) VALUES ($1, $1) RETURNING id", [key]).scalarText!)
        }
        let day: Int64 = 86_400
        let start = Self.at - 31 * day
        let recent = Self.at - 2 * day
        // Steady artists: 3 sales a day each, in all six countries, over all 31 days; 6 more on the Friday.
        for index in 1...40 {
            let name = "Steady Artist \(index)"
            let genre = Self.genres[index % 6]
            let releases = try await artist(name, releases: 2, genres: [genre])
            try await sales(releases, from: start, to: Self.at, count: 93, countries: 6)
            try await sales(releases, from: Self.at - 10 * day, to: Self.at - 9 * day, count: 27, countries: 6)
            self.recent.append((releases, 3, 6))
        }
        // Vaporwave: four artists at 1 a day, then 9 a day for the last two days.
        for index in 1...4 {
            let releases = try await artist("Vapor \(index)", releases: 2, genres: ["vaporwave"])
            try await sales(releases, from: start, to: recent, count: 29, countries: 3)
            try await sales(releases, from: recent, to: Self.at, count: 18, countries: 4)
            self.recent.append((releases, 9, 4))
        }
        // Nova Fen: nothing for 29 days, then 24 and 26 sales.
        let nova = try await artist("Nova Fen", releases: 2, genres: ["darkwave", "ambient"])
        try await sales(nova, from: recent, to: recent + day, count: 24, countries: 4)
        try await sales(nova, from: recent + day, to: Self.at, count: 26, countries: 5)
        self.recent.append((nova, 25, 5))
        // Old Guard: 2 a day, then 20 a day.
        let old = try await artist("Old Guard", releases: 3, genres: ["folk"])
        try await sales(old, from: start, to: recent, count: 58, countries: 6)
        try await sales(old, from: recent, to: Self.at, count: 40, countries: 6)
        self.recent.append((old, 20, 6))
        // Two Sales: 0, then 2 a day.
        let two = try await artist("Two Sales", releases: 2, genres: ["jazz"])
        try await sales(two, from: recent, to: Self.at, count: 4, countries: 2)
        self.recent.append((two, 2, 2))
    }

    /// Every artist selling on at its rate of the last two days for `days` more days after `at`.
    public mutating func extend(days: Int) async throws {
        for stream in recent {
            try await sales(
                stream.releases, from: Self.at, to: Self.at + Int64(days) * 86_400, count: stream.perDay * days,
                countries: stream.countries)
        }
    }

    /// An artist with releases tagged with the genres; their ids.
    private mutating func artist(_ name: String, releases: Int, genres: [String]) async throws -> [String] {
        let slug = name.lowercased().replacingOccurrences(of: " ", with: "")
        let id = try await db.query(
            "INSERT INTO artist (page_url, name) VALUES ($1, $2) RETURNING id", ["https://\(slug).bandcamp.com", name]
        ).scalarText!
        artists[name] = Int64(id)
        var ids: [String] = []
        for number in 1...releases {
            let release = try await db.query(
                """
                INSERT INTO release (url, artist_id, title, page_status) VALUES ($1, $2, $3, 'read') RETURNING id
                """, ["https://\(slug).bandcamp.com/album/record-\(number)", id, "\(name) Record \(number)"]
            ).scalarText!
            for (position, genre) in genres.enumerated() {
                try await db.query(
                    "INSERT INTO release_tag (release_id, tag_id, position) VALUES ($1, $2, $3)",
                    [release, String(tags[genre]!), String(position)])
            }
            ids.append(release)
        }
        return ids
    }

    /// `count` sales spread evenly over [from, to), taking the releases and the first `countries` countries in
    /// turn.
    public mutating func sales(_ releases: [String], from: Int64, to: Int64, count: Int, countries: Int) async throws {
        streams += 1
        try await db.insertSales(
            """
            INSERT INTO sale (sale_key, sold_at, utc_date, release_id, artist_id, item_type, currency, amount_paid,
                price_asked, amount_paid_usd, price_asked_usd, overpaid_usd, paid_to_price_ratio, buyer_country_code,
                ledger_id)
            SELECT sha256(convert_to($1 || ':' || g, 'UTF8')), to_timestamp(t), t::numeric, r.id, r.artist_id,
                'album', 'USD', 8, 7, 8, 7, 1, 1.142857, ($5::text[])[1 + g % $6], $7
            FROM generate_series(0, $4 - 1) g
            CROSS JOIN LATERAL (SELECT $2::float8 + ($3::float8 - $2::float8) * (g + 0.5) / $4 AS t) time
            JOIN release r ON r.id = ($8::bigint[])[1 + g % cardinality($8::bigint[])]
            """,
            [
                "stream-\(streams)", String(from), String(to), String(count),
                PostgresArray.literal(Self.countries.map(\.0)), String(countries), ledger,
                PostgresArray.literal(releases),
            ])
    }

    /// A subscriber, active unless said otherwise; its id.
    @discardableResult
    public func subscriber(_ email: String, status: String = "active") async throws -> Int64 {
        Int64(
            try await db.query(
                "INSERT INTO subscriber (email, status) VALUES ($1, $2) RETURNING id", [email, status]
            ).scalarText!)!
    }

    /// A subscription of a subscriber.
    public func subscribe(
        _ subscriber: Int64, scope: String = "everything", tag: Int64? = nil, artist: Int64? = nil,
        kinds: String = "{trending,emerging}", channel: String = "email", frequency: String = "immediate"
    ) async throws {
        try await db.query(
            """
            INSERT INTO alert_subscription (subscriber_id, scope, tag_id, artist_id, kinds, channel, frequency)
            VALUES ($1, $2, $3, $4, $5::text[], $6, $7)
            """, [String(subscriber), scope, tag.map(String.init), artist.map(String.init), kinds, channel, frequency])
    }
}
