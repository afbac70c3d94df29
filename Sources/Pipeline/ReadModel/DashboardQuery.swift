import Postgres
import Tracker
import Trends

/// The figures of a range: sales, revenue, what was sold, who bought.
public struct Totals: Sendable, Equatable {
    public var sales: Int
    public var revenueUSD: Money
    public var artists: Int
    public var releases: Int
    public var countries: Int
    /// The median paid for an item, USD.
    public var medianPaidUSD: Money?
    /// Of the sales with a price, the share where the buyer paid more than asked.
    public var paidMoreShare: Double?
}

/// A day's sales and revenue.
public struct DayPoint: Sendable, Equatable {
    public var day: CalendarDay
    public var sales: Int
    public var revenueUSD: Double
}

/// A row of a ranking: a genre, an artist, a release, a country, an item type.
public struct RankedRow: Sendable, Equatable {
    /// The key the filter takes (tag key, artist id, country code, item type; a release's id).
    public var key: String
    public var name: String
    /// A second line: a release's artist, an artist's page host.
    public var detail: String?
    /// The Bandcamp URL, when it has one.
    public var url: String?
    public var sales: Int
    public var revenueUSD: Money
}

/// A release of an artist, with what was asked and paid.
public struct ReleaseRow: Sendable, Equatable {
    public var title: String
    public var url: String
    public var sales: Int
    public var revenueUSD: Money
    public var medianAskedUSD: Money?
    public var medianPaidUSD: Money?
    public var paidMoreShare: Double?
}

/// A genre that the trend engine finds rising, with the statistics behind it.
public struct RisingGenre: Sendable, Equatable {
    public var key: String
    public var name: String
    public var rule: String
    public var kind: String
    public var current: Int
    public var perDayNow: Double
    public var perDayBefore: Double
    public var estimate: Double
    public var lowerBound: Double
    public var qValue: Double
}

/// An alert as the alerts page lists it.
public struct AlertRow: Sendable, Equatable {
    public var id: Int64
    public var rule: String
    public var entityType: String
    public var entityID: Int64
    public var name: String
    public var url: String?
    public var kind: String
    public var evaluatedAt: Int64
    public var current: Int
    public var baseline: Int
    public var ratio: Double?
    public var estimate: Double
    public var lowerBound: Double
    public var qValue: Double
    public var perDayNow: Double
    public var perDayBefore: Double
    /// Subscribers it was sent to.
    public var sent: Int
    /// A genre's tag key.
    public var key: String?
}

/// An artist as its page heads it.
public struct ArtistHeader: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var pageURL: String
    public var location: String?
}

/// How much buyers paid against the price asked: sales in each band of paid ÷ asked.
public struct PaidBands: Sendable, Equatable {
    /// Labels and counts, in order: name your price (nothing asked), under, as asked, up to +50%, up to double,
    /// more than double.
    public var bands: [(label: String, sales: Int)]
    /// The mean of paid ÷ asked over sales with a price.
    public var meanRatio: Double?

    public static func == (lhs: PaidBands, rhs: PaidBands) -> Bool {
        lhs.bands.map(\.label) == rhs.bands.map(\.label) && lhs.bands.map(\.sales) == rhs.bands.map(\.sales)
            && lhs.meanRatio == rhs.meanRatio
    }
}

/// The dashboard's reads of the warehouse. Every value is a parameter; every list is bounded.
/// A dataset backfilled into the warehouse (Components' CSV), and the span of its sales.
public struct BackfillRow: Sendable, Equatable {
    public var key: String
    public var status: String
    public var records: Int
    public var inserted: Int
    public var first: Int64?
    public var last: Int64?
}

public struct DashboardQuery: Sendable {
    public let db: PostgresConnection

    public init(db: PostgresConnection) {
        self.db = db
    }

    /// The day of the latest sale (today when there is none), where the default range ends.
    public func latestDay(now: Int64) async throws -> CalendarDay {
        let latest: Int64? = try await db.query(
            "SELECT floor(date_part('epoch', max(sold_at)) / 86400)::bigint AS day FROM sale"
        ).scalar()
        return latest.map { CalendarDay(daysSinceEpoch: $0) } ?? CalendarDay(containing: now)
    }

    /// The figures of a filtered range.
    public func totals(_ filter: DashboardFilter) async throws -> Totals {
        let row = try await db.query(
            """
            SELECT count(*) AS sales, coalesce(sum(s.amount_paid_usd), 0)::numeric(16,2) AS revenue,
                count(DISTINCT s.artist_id) AS artists, count(DISTINCT s.release_id) AS releases,
                count(DISTINCT s.buyer_country_code) AS countries,
                (percentile_cont(0.5) WITHIN GROUP (ORDER BY s.amount_paid_usd))::numeric(14,2) AS median_paid,
                avg((s.overpaid_usd > 0)::int) FILTER (WHERE s.price_asked_usd > 0) AS paid_more
            FROM sale s WHERE \(filter.condition)
            """
        ).single()
        return Totals(
            sales: try row.decode("sales"), revenueUSD: try row.decode("revenue"), artists: try row.decode("artists"),
            releases: try row.decode("releases"), countries: try row.decode("countries"),
            medianPaidUSD: try row.decode("median_paid"), paidMoreShare: try row.decode("paid_more"))
    }

    /// Sales in a filtered range (what `totals` counts first, without its distinct counts and median).
    public func salesCount(_ filter: DashboardFilter) async throws -> Int {
        try await db.query("SELECT count(*) FROM sale s WHERE \(filter.condition)").scalar()
    }

    /// Sales and revenue of each day of the range (days without sales are there, at zero).
    public func daily(_ filter: DashboardFilter) async throws -> [DayPoint] {
        var byDay: [Int64: (Int, Double)] = [:]
        for row in try await db.query(
            """
            SELECT floor(date_part('epoch', s.sold_at) / 86400)::bigint AS day, count(*) AS sales,
                coalesce(sum(s.amount_paid_usd), 0) AS revenue
            FROM sale s WHERE \(filter.condition) GROUP BY 1
            """)
        {
            byDay[try row.decode("day")] = (try row.decode("sales"), try row.decode("revenue"))
        }
        return (filter.from.daysSinceEpoch...filter.to.daysSinceEpoch).map { day in
            let value = byDay[day] ?? (0, 0)
            return DayPoint(day: CalendarDay(daysSinceEpoch: day), sales: value.0, revenueUSD: value.1)
        }
    }

    /// The top genres by sales (a sale counts for each genre of its release).
    public func genres(_ filter: DashboardFilter, limit: Int = 10) async throws -> [RankedRow] {
        try await ranked(
            """
            SELECT t.key, t.name, NULL AS detail, NULL AS url, count(*) AS sales,
                coalesce(sum(s.amount_paid_usd), 0)::numeric(16,2) AS revenue
            FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id JOIN tag t ON t.id = rt.tag_id
            WHERE \(filter.condition) GROUP BY t.id ORDER BY 5 DESC, 6 DESC, t.key LIMIT \(limit)
            """)
    }

    /// The top artists by sales.
    public func artists(_ filter: DashboardFilter, limit: Int = 10) async throws -> [RankedRow] {
        try await ranked(
            """
            SELECT a.id::text AS key, a.name, a.page_url AS detail, a.page_url AS url, x.sales, x.revenue FROM (
                SELECT s.artist_id, count(*) AS sales, coalesce(sum(s.amount_paid_usd), 0)::numeric(16,2) AS revenue
                FROM sale s WHERE \(filter.condition) GROUP BY s.artist_id
                ORDER BY 2 DESC, 3 DESC, s.artist_id LIMIT \(limit)
            ) x JOIN artist a ON a.id = x.artist_id ORDER BY x.sales DESC, x.revenue DESC, a.id
            """)
    }

    /// The top releases by sales.
    public func releases(_ filter: DashboardFilter, limit: Int = 10) async throws -> [RankedRow] {
        try await ranked(
            """
            SELECT r.id::text AS key, coalesce(r.title, r.album_title, r.url) AS name, a.name AS detail, r.url,
                x.sales, x.revenue
            FROM (
                SELECT s.release_id, count(*) AS sales, coalesce(sum(s.amount_paid_usd), 0)::numeric(16,2) AS revenue
                FROM sale s WHERE \(filter.condition) GROUP BY s.release_id
                ORDER BY 2 DESC, 3 DESC, s.release_id LIMIT \(limit)
            ) x JOIN release r ON r.id = x.release_id JOIN artist a ON a.id = r.artist_id
            ORDER BY x.sales DESC, x.revenue DESC, r.id
            """)
    }

    /// Sales by buyer country (unknown countries left out), most first.
    public func countries(_ filter: DashboardFilter, limit: Int = 250) async throws -> [RankedRow] {
        try await ranked(
            """
            SELECT c.code AS key, c.name, NULL AS detail, NULL AS url, x.sales, x.revenue FROM (
                SELECT s.buyer_country_code AS code, count(*) AS sales,
                    coalesce(sum(s.amount_paid_usd), 0)::numeric(16,2) AS revenue
                FROM sale s WHERE \(filter.condition) AND s.buyer_country_code IS NOT NULL GROUP BY 1
            ) x JOIN country c ON c.code = x.code ORDER BY x.sales DESC, x.revenue DESC, c.code
            LIMIT \(limit)
            """)
    }

    /// Sales by item type.
    public func itemTypes(_ filter: DashboardFilter) async throws -> [RankedRow] {
        let rows = try await ranked(
            """
            SELECT s.item_type::text AS key, s.item_type::text AS name, NULL AS detail, NULL AS url, count(*) AS sales,
                coalesce(sum(s.amount_paid_usd), 0)::numeric(16,2) AS revenue
            FROM sale s WHERE \(filter.condition) GROUP BY 1 ORDER BY 5 DESC, 1
            """)
        return rows.map { row in
            var named = row
            named.name = DashboardFilter.itemTypes.first { $0.0 == row.key }?.1 ?? row.key
            return named
        }
    }

    /// Countries that bought anything, for the filter's list: code and name, by name.
    public func countryNames() async throws -> [(code: String, name: String)] {
        try await db.query("SELECT code, name FROM country ORDER BY name").map { row in
            (try row.decode("code"), try row.decode("name"))
        }
    }

    /// The genres with the most releases, for the filter's list (read from the releases' tags, not the sales:
    /// cheap at any range).
    public func genreChoices(limit: Int = 60) async throws -> [(key: String, name: String)] {
        try await db.query(
            """
            SELECT t.key, t.name FROM release_tag rt JOIN tag t ON t.id = rt.tag_id
            GROUP BY t.id ORDER BY count(*) DESC, t.key LIMIT \(limit)
            """
        ).map { row in (try row.decode("key"), try row.decode("name")) }
    }

    /// A genre's display name, by its key.
    public func genreName(_ key: String) async throws -> String? {
        try await db.query("SELECT name FROM tag WHERE key = \(key)").scalarIfPresent()
    }

    /// Sales of each (genre, country) pair among the given genres and countries.
    public func heatmap(_ filter: DashboardFilter, genres: [String], countries: [String]) async throws -> [String:
        [String: Int]]
    {
        guard !genres.isEmpty, !countries.isEmpty else { return [:] }
        var cells: [String: [String: Int]] = [:]
        for row in try await db.query(
            """
            SELECT t.key, s.buyer_country_code AS country, count(*) AS sales
            FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id JOIN tag t ON t.id = rt.tag_id
            WHERE \(filter.condition) AND t.key = ANY(\(genres)::text[])
                AND s.buyer_country_code = ANY(\(countries)::text[])
            GROUP BY 1, 2
            """)
        {
            cells[try row.decode("key"), default: [:]][try row.decode("country")] = try row.decode("sales")
        }
        return cells
    }

    /// Each of the given genres' top artists.
    public func topArtists(_ filter: DashboardFilter, genres: [String], each: Int = 3) async throws -> [String:
        [RankedRow]]
    {
        guard !genres.isEmpty else { return [:] }
        var result: [String: [RankedRow]] = [:]
        for row in try await db.query(
            """
            SELECT x.genre, a.id::text AS key, a.name, a.page_url AS detail, a.page_url AS url, x.sales, x.revenue
            FROM (
                SELECT t.key AS genre, s.artist_id, count(*) AS sales,
                    coalesce(sum(s.amount_paid_usd), 0)::numeric(16,2) AS revenue,
                    row_number() OVER (PARTITION BY t.key ORDER BY count(*) DESC, sum(s.amount_paid_usd) DESC, s.artist_id)
                        AS place
                FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id JOIN tag t ON t.id = rt.tag_id
                WHERE \(filter.condition) AND t.key = ANY(\(genres)::text[])
                GROUP BY t.key, s.artist_id
            ) x JOIN artist a ON a.id = x.artist_id
            WHERE x.place <= \(each) ORDER BY x.genre, x.place
            """)
        {
            result[try row.decode("genre"), default: []].append(try RankedRow(row: row))
        }
        return result
    }

    /// The genres the trend engine finds rising at the end of the range (its 24-hour and 7-day genre rules,
    /// exactly as the alerts run them; the other filters do not apply to the site-wide test).
    public func risingGenres(at: Int64, rules: [TrendRule] = TrendRule.standard.filter { $0.entity == .genre })
        async throws -> [RisingGenre]
    {
        let scans = try await AlertQuery().counts(rules, at: at, from: db)
        var signals: [(rule: TrendRule, signal: TrendSignal)] = []
        var seen: Set<Int64> = []
        for (rule, scan) in zip(rules, scans) {
            for signal in TrendEngine().evaluate(rule, counts: scan.counts, site: scan.site).signals
            where seen.insert(signal.entity).inserted {
                signals.append((rule, signal))
            }
        }
        guard !signals.isEmpty else { return [] }
        var byID: [Int64: (key: String, name: String)] = [:]
        for row in try await db.query(
            "SELECT id, key, name FROM tag WHERE id = ANY(\(signals.map(\.signal.entity))::bigint[])")
        {
            byID[try row.decode("id")] = (try row.decode("key"), try row.decode("name"))
        }
        return signals.compactMap { rule, signal in
            guard let tag = byID[signal.entity] else { return nil }
            return RisingGenre(
                key: tag.key, name: tag.name, rule: rule.id, kind: signal.kind.rawValue, current: signal.current,
                perDayNow: signal.perDayNow, perDayBefore: signal.perDayBefore, estimate: signal.estimate,
                lowerBound: signal.lowerBound, qValue: signal.qValue)
        }
    }

    /// Artists whose names hold `text` (any case), with their sales in the filter's range, most first.
    public func searchArtists(_ text: String, _ filter: DashboardFilter, limit: Int = 50) async throws -> [RankedRow] {
        var unnamed = filter
        unnamed.artist = nil
        return try await ranked(
            """
            SELECT a.id::text AS key, a.name, a.page_url AS detail, a.page_url AS url, count(s.sale_key) AS sales,
                coalesce(sum(s.amount_paid_usd), 0)::numeric(16,2) AS revenue
            FROM artist a LEFT JOIN sale s ON s.artist_id = a.id AND \(unnamed.condition)
            WHERE strpos(lower(a.name), lower(\(text))) > 0
            GROUP BY a.id ORDER BY 5 DESC, 6 DESC, a.name, a.id LIMIT \(limit)
            """)
    }

    /// An artist's name, page and place.
    public func artist(_ id: Int64) async throws -> ArtistHeader? {
        guard
            let row = try await db.query(
                """
                SELECT a.id, a.name, a.page_url,
                    (SELECT r.location FROM release r WHERE r.artist_id = a.id AND r.location IS NOT NULL
                     ORDER BY r.page_read_at DESC NULLS LAST LIMIT 1) AS location
                FROM artist a WHERE a.id = \(id)::bigint
                """
            ).first
        else { return nil }
        return ArtistHeader(
            id: id, name: try row.decode("name"), pageURL: try row.decode("page_url"),
            location: try row.decode("location"))
    }

    /// An artist's releases sold in the range, with the median price asked and paid.
    public func artistReleases(_ filter: DashboardFilter, limit: Int = 25) async throws -> [ReleaseRow] {
        try await db.query(
            """
            SELECT coalesce(r.title, r.album_title, r.url) AS title, r.url, count(*) AS sales,
                coalesce(sum(s.amount_paid_usd), 0)::numeric(16,2) AS revenue,
                (percentile_cont(0.5) WITHIN GROUP (ORDER BY s.price_asked_usd))::numeric(14,2) AS median_asked,
                (percentile_cont(0.5) WITHIN GROUP (ORDER BY s.amount_paid_usd))::numeric(14,2) AS median_paid,
                avg((s.overpaid_usd > 0)::int) FILTER (WHERE s.price_asked_usd > 0) AS paid_more
            FROM sale s JOIN release r ON r.id = s.release_id WHERE \(filter.condition)
            GROUP BY r.id ORDER BY 3 DESC, 4 DESC, r.id LIMIT \(limit)
            """
        ).map { row in
            ReleaseRow(
                title: try row.decode("title"), url: try row.decode("url"), sales: try row.decode("sales"),
                revenueUSD: try row.decode("revenue"), medianAskedUSD: try row.decode("median_asked"),
                medianPaidUSD: try row.decode("median_paid"), paidMoreShare: try row.decode("paid_more"))
        }
    }

    /// Sales in bands of paid ÷ asked.
    public func paidBands(_ filter: DashboardFilter) async throws -> PaidBands {
        let row = try await db.query(
            """
            SELECT count(*) FILTER (WHERE s.price_asked_usd = 0) AS band_0,
                count(*) FILTER (WHERE s.paid_to_price_ratio < 0.995) AS band_1,
                count(*) FILTER (WHERE s.paid_to_price_ratio >= 0.995 AND s.paid_to_price_ratio <= 1.005) AS band_2,
                count(*) FILTER (WHERE s.paid_to_price_ratio > 1.005 AND s.paid_to_price_ratio <= 1.5) AS band_3,
                count(*) FILTER (WHERE s.paid_to_price_ratio > 1.5 AND s.paid_to_price_ratio <= 2) AS band_4,
                count(*) FILTER (WHERE s.paid_to_price_ratio > 2) AS band_5,
                avg(s.paid_to_price_ratio) FILTER (WHERE s.price_asked_usd > 0) AS mean_ratio
            FROM sale s WHERE \(filter.condition)
            """
        ).single()
        let labels = ["Name your price", "Under the price", "As asked", "Up to +50%", "+50% to double", "Over double"]
        return PaidBands(
            bands: try labels.enumerated().map { index, label in (label, try row.decode("band_\(index)")) },
            meanRatio: try row.decode("mean_ratio"))
    }

    /// Alerts raised in the range (for a genre or artist filter, theirs), latest first.
    public func alerts(_ filter: DashboardFilter, limit: Int = 100) async throws -> [AlertRow] {
        var conditions: [SQLQuery] = [
            "a.evaluated_at >= to_timestamp(\(filter.from.start)::float8)",
            "a.evaluated_at <= to_timestamp(\(filter.to.end)::float8)",
        ]
        if let genre = filter.genre {
            conditions.append("a.entity_type = 'genre' AND a.entity_id = (SELECT id FROM tag WHERE key = \(genre))")
        }
        if let artist = filter.artist {
            conditions.append("a.entity_type = 'artist' AND a.entity_id = \(artist)::bigint")
        }
        return try await db.query(
            """
            SELECT a.id, a.rule, a.entity_type, a.entity_id, coalesce(a.details->>'name', '#' || a.entity_id) AS name,
                a.details->>'url' AS url, a.kind, floor(date_part('epoch', a.evaluated_at))::bigint AS evaluated_at,
                a.current_sales, a.baseline_sales, a.ratio, a.estimate, a.lower_bound, a.q_value, a.per_day_now,
                a.per_day_before,
                (SELECT count(*) FROM alert_delivery d WHERE d.alert_id = a.id AND d.status = 'sent') AS sent,
                a.details->>'key' AS key
            FROM alert a WHERE \(SQLQuery.joined(conditions, separator: " AND "))
            ORDER BY a.evaluated_at DESC, a.rank, a.id LIMIT \(limit)
            """
        ).map { row in
            AlertRow(
                id: try row.decode("id"), rule: try row.decode("rule"), entityType: try row.decode("entity_type"),
                entityID: try row.decode("entity_id"), name: try row.decode("name"), url: try row.decode("url"),
                kind: try row.decode("kind"), evaluatedAt: try row.decode("evaluated_at"),
                current: try row.decode("current_sales"), baseline: try row.decode("baseline_sales"),
                ratio: try row.decode("ratio"), estimate: try row.decode("estimate"),
                lowerBound: try row.decode("lower_bound"), qValue: try row.decode("q_value"),
                perDayNow: try row.decode("per_day_now"), perDayBefore: try row.decode("per_day_before"),
                sent: try row.decode("sent"), key: try row.decode("key"))
        }
    }

    /// The feed windows loaded for the range, as the share of its seconds they cover (up to `now`).
    public func coverage(_ filter: DashboardFilter, now: Int64) async throws -> Double {
        let end = min(filter.to.end, now)
        guard end > filter.from.start else { return 1 }
        let covered: Double = try await db.query(
            """
            SELECT coalesce(sum(date_part('epoch', upper(r) - lower(r))), 0) AS covered FROM unnest((
                SELECT range_agg(tstzrange(greatest(f.start_at, to_timestamp(\(filter.from.start)::float8)),
                    least(f.end_at, to_timestamp(\(end)::float8)), '[]'))
                FROM feed_window f
                WHERE f.end_at > to_timestamp(\(filter.from.start)::float8) AND f.start_at < to_timestamp(\(end)::float8)
            )) AS r
            """
        ).scalar()
        return min(1, covered / Double(end - filter.from.start))
    }

    /// Rows of `key`, `name`, `detail`, `url`, `sales` and `revenue`.
    private func ranked(_ query: SQLQuery) async throws -> [RankedRow] {
        try await db.query(query).decode(RankedRow.self)
    }

    /// `artist.bandcamp.com` of `https://artist.bandcamp.com`; other text as it is.
    public static func host(_ text: String) -> String {
        text.hasPrefix("https://") ? String(text.dropFirst(8)) : text
    }

    // MARK: Analysis

    /// Components' analysis of the filtered sales.
    public func analysis(_ filter: DashboardFilter) async throws -> SalesAnalysis {
        try await SalesAnalysis.read(db, from: filter.from, to: filter.to, condition: filter.condition)
    }

    /// The datasets backfilled, newest first.
    public func backfills() async throws -> [BackfillRow] {
        try await db.query(
            """
            SELECT l.object_key, l.status, l.items, l.inserted, date_part('epoch', p.first_sale_at)::bigint AS first,
                date_part('epoch', p.last_sale_at)::bigint AS last
            FROM load_ledger l JOIN backfill_progress p ON p.ledger_id = l.id
            ORDER BY p.started_at DESC LIMIT 20
            """
        ).map { row in
            BackfillRow(
                key: try row.decode("object_key"), status: try row.decode("status"), records: try row.decode("items"),
                inserted: try row.decode("inserted"), first: try row.decode("first"), last: try row.decode("last"))
        }
    }
}

extension RankedRow: PostgresRowDecodable {
    /// From `key`, `name`, `detail` (a page URL is shown as its host), `url`, `sales` and `revenue`.
    public init(row: PostgresRow) throws {
        self.init(
            key: try row.decode("key"), name: try row.decode("name"),
            detail: try row.decode("detail", as: String?.self).map(DashboardQuery.host), url: try row.decode("url"),
            sales: try row.decode("sales"), revenueUSD: try row.decode("revenue"))
    }
}
