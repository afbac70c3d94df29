import Alerts
import Postgres
import Report
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
        let latest = try await db.query("SELECT floor(date_part('epoch', max(sold_at)) / 86400)::bigint FROM sale")
            .scalar.flatMap { Int64($0) }
        return latest.map { CalendarDay(daysSinceEpoch: $0) } ?? CalendarDay(containing: now)
    }

    /// The figures of a filtered range.
    public func totals(_ filter: DashboardFilter) async throws -> Totals {
        var parameters = SQLParameters()
        let condition = filter.condition(&parameters)
        let row =
            try await db.query(
                """
                SELECT count(*), coalesce(sum(s.amount_paid_usd), 0)::numeric(16,2), count(DISTINCT s.artist_id),
                    count(DISTINCT s.release_id), count(DISTINCT s.buyer_country_code),
                    (percentile_cont(0.5) WITHIN GROUP (ORDER BY s.amount_paid_usd))::numeric(14,2),
                    avg((s.overpaid_usd > 0)::int) FILTER (WHERE s.price_asked_usd > 0)
                FROM sale s WHERE \(condition)
                """, parameters.values
            ).rows.first ?? []
        func int(_ index: Int) -> Int { row.count > index ? Int(row[index] ?? "0") ?? 0 : 0 }
        return Totals(
            sales: int(0), revenueUSD: Money(row.count > 1 ? row[1] ?? "0.00" : "0.00"), artists: int(2),
            releases: int(3), countries: int(4), medianPaidUSD: row.count > 5 ? row[5].map(Money.init) : nil,
            paidMoreShare: row.count > 6 ? row[6].flatMap(Double.init) : nil)
    }

    /// Sales in a filtered range (what `totals` counts first, without its distinct counts and median).
    public func salesCount(_ filter: DashboardFilter) async throws -> Int {
        var parameters = SQLParameters()
        let condition = filter.condition(&parameters)
        return try await db.query("SELECT count(*) FROM sale s WHERE \(condition)", parameters.values).scalar
            .flatMap(Int.init) ?? 0
    }

    /// Sales and revenue of each day of the range (days without sales are there, at zero).
    public func daily(_ filter: DashboardFilter) async throws -> [DayPoint] {
        var parameters = SQLParameters()
        let condition = filter.condition(&parameters)
        let rows = try await db.query(
            """
            SELECT floor(date_part('epoch', s.sold_at) / 86400)::bigint, count(*), coalesce(sum(s.amount_paid_usd), 0)
            FROM sale s WHERE \(condition) GROUP BY 1
            """, parameters.values
        ).rows
        var byDay: [Int64: (Int, Double)] = [:]
        for row in rows {
            guard let day = row[0].flatMap({ Int64($0) }) else { continue }
            byDay[day] = (Int(row[1] ?? "0") ?? 0, Double(row[2] ?? "0") ?? 0)
        }
        return (filter.from.daysSinceEpoch...filter.to.daysSinceEpoch).map { day in
            let value = byDay[day] ?? (0, 0)
            return DayPoint(day: CalendarDay(daysSinceEpoch: day), sales: value.0, revenueUSD: value.1)
        }
    }

    /// The top genres by sales (a sale counts for each genre of its release).
    public func genres(_ filter: DashboardFilter, limit: Int = 10) async throws -> [RankedRow] {
        var parameters = SQLParameters()
        let condition = filter.condition(&parameters)
        return try await ranked(
            """
            SELECT t.key, t.name, NULL, NULL, count(*), coalesce(sum(s.amount_paid_usd), 0)::numeric(16,2)
            FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id JOIN tag t ON t.id = rt.tag_id
            WHERE \(condition) GROUP BY t.id ORDER BY 5 DESC, 6 DESC, t.key LIMIT \(parameters.add(String(limit)))
            """, parameters)
    }

    /// The top artists by sales.
    public func artists(_ filter: DashboardFilter, limit: Int = 10) async throws -> [RankedRow] {
        var parameters = SQLParameters()
        let condition = filter.condition(&parameters)
        return try await ranked(
            """
            SELECT a.id, a.name, a.page_url, a.page_url, x.sales, x.revenue FROM (
                SELECT s.artist_id, count(*) AS sales, coalesce(sum(s.amount_paid_usd), 0)::numeric(16,2) AS revenue
                FROM sale s WHERE \(condition) GROUP BY s.artist_id
                ORDER BY 2 DESC, 3 DESC, s.artist_id LIMIT \(parameters.add(String(limit)))
            ) x JOIN artist a ON a.id = x.artist_id ORDER BY x.sales DESC, x.revenue DESC, a.id
            """, parameters)
    }

    /// The top releases by sales.
    public func releases(_ filter: DashboardFilter, limit: Int = 10) async throws -> [RankedRow] {
        var parameters = SQLParameters()
        let condition = filter.condition(&parameters)
        return try await ranked(
            """
            SELECT r.id, coalesce(r.title, r.album_title, r.url), a.name, r.url, x.sales, x.revenue FROM (
                SELECT s.release_id, count(*) AS sales, coalesce(sum(s.amount_paid_usd), 0)::numeric(16,2) AS revenue
                FROM sale s WHERE \(condition) GROUP BY s.release_id
                ORDER BY 2 DESC, 3 DESC, s.release_id LIMIT \(parameters.add(String(limit)))
            ) x JOIN release r ON r.id = x.release_id JOIN artist a ON a.id = r.artist_id
            ORDER BY x.sales DESC, x.revenue DESC, r.id
            """, parameters)
    }

    /// Sales by buyer country (unknown countries left out), most first.
    public func countries(_ filter: DashboardFilter, limit: Int = 250) async throws -> [RankedRow] {
        var parameters = SQLParameters()
        let condition = filter.condition(&parameters)
        return try await ranked(
            """
            SELECT c.code, c.name, NULL, NULL, x.sales, x.revenue FROM (
                SELECT s.buyer_country_code AS code, count(*) AS sales,
                    coalesce(sum(s.amount_paid_usd), 0)::numeric(16,2) AS revenue
                FROM sale s WHERE \(condition) AND s.buyer_country_code IS NOT NULL GROUP BY 1
            ) x JOIN country c ON c.code = x.code ORDER BY x.sales DESC, x.revenue DESC, c.code
            LIMIT \(parameters.add(String(limit)))
            """, parameters)
    }

    /// Sales by item type.
    public func itemTypes(_ filter: DashboardFilter) async throws -> [RankedRow] {
        var parameters = SQLParameters()
        let condition = filter.condition(&parameters)
        let rows = try await ranked(
            """
            SELECT s.item_type::text, s.item_type::text, NULL, NULL, count(*),
                coalesce(sum(s.amount_paid_usd), 0)::numeric(16,2)
            FROM sale s WHERE \(condition) GROUP BY 1 ORDER BY 5 DESC, 1
            """, parameters)
        return rows.map { row in
            var named = row
            named.name = DashboardFilter.itemTypes.first { $0.0 == row.key }?.1 ?? row.key
            return named
        }
    }

    /// Countries that bought anything, for the filter's list: code and name, by name.
    public func countryNames() async throws -> [(code: String, name: String)] {
        try await db.query("SELECT code, name FROM country ORDER BY name").rows.compactMap { row in
            guard let code = row[0], let name = row[1] else { return nil }
            return (code, name)
        }
    }

    /// The genres with the most releases, for the filter's list (read from the releases' tags, not the sales:
    /// cheap at any range).
    public func genreChoices(limit: Int = 60) async throws -> [(key: String, name: String)] {
        try await db.query(
            """
            SELECT t.key, t.name FROM release_tag rt JOIN tag t ON t.id = rt.tag_id
            GROUP BY t.id ORDER BY count(*) DESC, t.key LIMIT $1
            """, [String(limit)]
        ).rows.compactMap { row in row[0].flatMap { key in row[1].map { (key, $0) } } }
    }

    /// A genre's display name, by its key.
    public func genreName(_ key: String) async throws -> String? {
        try await db.query("SELECT name FROM tag WHERE key = $1", [key]).scalar
    }

    /// Sales of each (genre, country) pair among the given genres and countries.
    public func heatmap(_ filter: DashboardFilter, genres: [String], countries: [String]) async throws -> [String:
        [String: Int]]
    {
        guard !genres.isEmpty, !countries.isEmpty else { return [:] }
        var parameters = SQLParameters()
        let condition = filter.condition(&parameters)
        let rows = try await db.query(
            """
            SELECT t.key, s.buyer_country_code, count(*)
            FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id JOIN tag t ON t.id = rt.tag_id
            WHERE \(condition) AND t.key = ANY(\(parameters.add(PostgresArray.literal(genres)))::text[])
                AND s.buyer_country_code = ANY(\(parameters.add(PostgresArray.literal(countries)))::text[])
            GROUP BY 1, 2
            """, parameters.values
        ).rows
        var cells: [String: [String: Int]] = [:]
        for row in rows {
            guard let genre = row[0], let country = row[1] else { continue }
            cells[genre, default: [:]][country] = Int(row[2] ?? "0") ?? 0
        }
        return cells
    }

    /// Each of the given genres' top artists.
    public func topArtists(_ filter: DashboardFilter, genres: [String], each: Int = 3) async throws -> [String:
        [RankedRow]]
    {
        guard !genres.isEmpty else { return [:] }
        var parameters = SQLParameters()
        let condition = filter.condition(&parameters)
        let rows = try await db.query(
            """
            SELECT x.key, a.id, a.name, a.page_url, a.page_url, x.sales, x.revenue FROM (
                SELECT t.key, s.artist_id, count(*) AS sales, coalesce(sum(s.amount_paid_usd), 0)::numeric(16,2) AS revenue,
                    row_number() OVER (PARTITION BY t.key ORDER BY count(*) DESC, sum(s.amount_paid_usd) DESC, s.artist_id)
                        AS place
                FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id JOIN tag t ON t.id = rt.tag_id
                WHERE \(condition) AND t.key = ANY(\(parameters.add(PostgresArray.literal(genres)))::text[])
                GROUP BY t.key, s.artist_id
            ) x JOIN artist a ON a.id = x.artist_id
            WHERE x.place <= \(parameters.add(String(each))) ORDER BY x.key, x.place
            """, parameters.values
        ).rows
        var result: [String: [RankedRow]] = [:]
        for row in rows {
            guard let genre = row[0], let artist = Self.rankedRow(Array(row.dropFirst())) else { continue }
            result[genre, default: []].append(artist)
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
        let names = try await db.query(
            "SELECT id, key, name FROM tag WHERE id = ANY($1::bigint[])",
            [PostgresArray.literal(signals.map(\.signal.entity))]
        ).rows
        var byID: [Int64: (key: String, name: String)] = [:]
        for row in names {
            if let id = row[0].flatMap({ Int64($0) }), let key = row[1], let name = row[2] { byID[id] = (key, name) }
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
        var parameters = SQLParameters()
        var unnamed = filter
        unnamed.artist = nil
        let condition = unnamed.condition(&parameters)
        return try await ranked(
            """
            SELECT a.id, a.name, a.page_url, a.page_url, count(s.sale_key),
                coalesce(sum(s.amount_paid_usd), 0)::numeric(16,2)
            FROM artist a LEFT JOIN sale s ON s.artist_id = a.id AND \(condition)
            WHERE strpos(lower(a.name), lower(\(parameters.add(text)))) > 0
            GROUP BY a.id ORDER BY 5 DESC, 6 DESC, a.name, a.id LIMIT \(parameters.add(String(limit)))
            """, parameters)
    }

    /// An artist's name, page and place.
    public func artist(_ id: Int64) async throws -> ArtistHeader? {
        guard
            let row = try await db.query(
                """
                SELECT a.id, a.name, a.page_url,
                    (SELECT r.location FROM release r WHERE r.artist_id = a.id AND r.location IS NOT NULL
                     ORDER BY r.page_read_at DESC NULLS LAST LIMIT 1)
                FROM artist a WHERE a.id = $1::bigint
                """, [String(id)]
            ).rows.first, let name = row[1], let page = row[2]
        else { return nil }
        return ArtistHeader(id: id, name: name, pageURL: page, location: row[3])
    }

    /// An artist's releases sold in the range, with the median price asked and paid.
    public func artistReleases(_ filter: DashboardFilter, limit: Int = 25) async throws -> [ReleaseRow] {
        var parameters = SQLParameters()
        let condition = filter.condition(&parameters)
        return try await db.query(
            """
            SELECT coalesce(r.title, r.album_title, r.url), r.url, count(*),
                coalesce(sum(s.amount_paid_usd), 0)::numeric(16,2),
                (percentile_cont(0.5) WITHIN GROUP (ORDER BY s.price_asked_usd))::numeric(14,2),
                (percentile_cont(0.5) WITHIN GROUP (ORDER BY s.amount_paid_usd))::numeric(14,2),
                avg((s.overpaid_usd > 0)::int) FILTER (WHERE s.price_asked_usd > 0)
            FROM sale s JOIN release r ON r.id = s.release_id WHERE \(condition)
            GROUP BY r.id ORDER BY 3 DESC, 4 DESC, r.id LIMIT \(parameters.add(String(limit)))
            """, parameters.values
        ).rows.compactMap { row in
            guard let title = row[0], let url = row[1] else { return nil }
            return ReleaseRow(
                title: title, url: url, sales: Int(row[2] ?? "0") ?? 0, revenueUSD: Money(row[3] ?? "0.00"),
                medianAskedUSD: row[4].map(Money.init), medianPaidUSD: row[5].map(Money.init),
                paidMoreShare: row[6].flatMap(Double.init))
        }
    }

    /// Sales in bands of paid ÷ asked.
    public func paidBands(_ filter: DashboardFilter) async throws -> PaidBands {
        var parameters = SQLParameters()
        let condition = filter.condition(&parameters)
        let row =
            try await db.query(
                """
                SELECT count(*) FILTER (WHERE s.price_asked_usd = 0),
                    count(*) FILTER (WHERE s.paid_to_price_ratio < 0.995),
                    count(*) FILTER (WHERE s.paid_to_price_ratio >= 0.995 AND s.paid_to_price_ratio <= 1.005),
                    count(*) FILTER (WHERE s.paid_to_price_ratio > 1.005 AND s.paid_to_price_ratio <= 1.5),
                    count(*) FILTER (WHERE s.paid_to_price_ratio > 1.5 AND s.paid_to_price_ratio <= 2),
                    count(*) FILTER (WHERE s.paid_to_price_ratio > 2),
                    avg(s.paid_to_price_ratio) FILTER (WHERE s.price_asked_usd > 0)
                FROM sale s WHERE \(condition)
                """, parameters.values
            ).rows.first ?? []
        let labels = ["Name your price", "Under the price", "As asked", "Up to +50%", "+50% to double", "Over double"]
        return PaidBands(
            bands: labels.enumerated().map { index, label in
                (label, row.count > index ? Int(row[index] ?? "0") ?? 0 : 0)
            }, meanRatio: row.count > 6 ? row[6].flatMap(Double.init) : nil)
    }

    /// Alerts raised in the range (for a genre or artist filter, theirs), latest first.
    public func alerts(_ filter: DashboardFilter, limit: Int = 100) async throws -> [AlertRow] {
        var parameters = SQLParameters()
        var conditions = [
            "a.evaluated_at >= to_timestamp(\(parameters.add(String(filter.from.start)))::float8)",
            "a.evaluated_at <= to_timestamp(\(parameters.add(String(filter.to.end)))::float8)",
        ]
        if let genre = filter.genre {
            conditions.append(
                "a.entity_type = 'genre' AND a.entity_id = (SELECT id FROM tag WHERE key = \(parameters.add(genre)))")
        }
        if let artist = filter.artist {
            conditions.append("a.entity_type = 'artist' AND a.entity_id = \(parameters.add(String(artist)))::bigint")
        }
        return try await db.query(
            """
            SELECT a.id, a.rule, a.entity_type, a.entity_id, coalesce(a.details->>'name', '#' || a.entity_id),
                a.details->>'url', a.kind, floor(date_part('epoch', a.evaluated_at))::bigint, a.current_sales,
                a.baseline_sales, a.ratio, a.estimate, a.lower_bound, a.q_value, a.per_day_now, a.per_day_before,
                (SELECT count(*) FROM alert_delivery d WHERE d.alert_id = a.id AND d.status = 'sent'), a.details->>'key'
            FROM alert a WHERE \(conditions.joined(separator: " AND "))
            ORDER BY a.evaluated_at DESC, a.rank, a.id LIMIT \(parameters.add(String(limit)))
            """, parameters.values
        ).rows.compactMap { row in
            guard let id = row[0].flatMap({ Int64($0) }), let rule = row[1], let type = row[2],
                let entity = row[3].flatMap({ Int64($0) }), let name = row[4], let kind = row[6],
                let at = row[7].flatMap({ Int64($0) })
            else { return nil }
            func double(_ index: Int) -> Double { row[index].flatMap(Double.init) ?? 0 }
            return AlertRow(
                id: id, rule: rule, entityType: type, entityID: entity, name: name, url: row[5], kind: kind,
                evaluatedAt: at, current: Int(row[8] ?? "0") ?? 0, baseline: Int(row[9] ?? "0") ?? 0,
                ratio: row[10].flatMap(Double.init), estimate: double(11), lowerBound: double(12),
                qValue: double(13), perDayNow: double(14), perDayBefore: double(15), sent: Int(row[16] ?? "0") ?? 0,
                key: row[17])
        }
    }

    /// The feed windows loaded for the range, as the share of its seconds they cover (up to `now`).
    public func coverage(_ filter: DashboardFilter, now: Int64) async throws -> Double {
        let end = min(filter.to.end, now)
        guard end > filter.from.start else { return 1 }
        let covered =
            try await db.query(
                """
                SELECT coalesce(sum(date_part('epoch', upper(r) - lower(r))), 0) FROM unnest((
                    SELECT range_agg(tstzrange(greatest(f.start_at, to_timestamp($1::float8)),
                        least(f.end_at, to_timestamp($2::float8)), '[]'))
                    FROM feed_window f
                    WHERE f.end_at > to_timestamp($1::float8) AND f.start_at < to_timestamp($2::float8)
                )) AS r
                """, [String(filter.from.start), String(end)]
            ).scalar.flatMap(Double.init) ?? 0
        return min(1, covered / Double(end - filter.from.start))
    }

    private func ranked(_ sql: String, _ parameters: SQLParameters) async throws -> [RankedRow] {
        try await db.query(sql, parameters.values).rows.compactMap(Self.rankedRow)
    }

    /// A ranking's row from its columns: key, name, detail (a page URL is shown as its host), URL, sales, revenue.
    private static func rankedRow(_ row: [String?]) -> RankedRow? {
        guard let key = row[0], let name = row[1] else { return nil }
        return RankedRow(
            key: key, name: name, detail: row[2].map(host), url: row[3], sales: Int(row[4] ?? "0") ?? 0,
            revenueUSD: Money(row[5] ?? "0.00"))
    }

    /// `artist.bandcamp.com` of `https://artist.bandcamp.com`; other text as it is.
    static func host(_ text: String) -> String {
        text.hasPrefix("https://") ? String(text.dropFirst(8)) : text
    }

    // MARK: Analysis

    /// Components' analysis of the filtered sales.
    public func analysis(_ filter: DashboardFilter) async throws -> SalesAnalysis {
        var parameters = SQLParameters()
        let condition = filter.condition(&parameters)
        return try await SalesAnalysis.read(
            db, from: filter.from, to: filter.to, condition: condition, parameters: parameters.values)
    }

    /// The datasets backfilled, newest first.
    public func backfills() async throws -> [BackfillRow] {
        try await db.query(
            """
            SELECT l.object_key, l.status, l.items, l.inserted, date_part('epoch', p.first_sale_at)::bigint,
                date_part('epoch', p.last_sale_at)::bigint
            FROM load_ledger l JOIN backfill_progress p ON p.ledger_id = l.id
            ORDER BY p.started_at DESC LIMIT 20
            """
        ).rows.map { row in
            BackfillRow(
                key: row[0] ?? "", status: row[1] ?? "", records: Int(row[2] ?? "") ?? 0,
                inserted: Int(row[3] ?? "") ?? 0, first: row[4].flatMap { Int64($0) },
                last: row[5].flatMap { Int64($0) })
        }
    }
}
