import Postgres
import Tracker

/// The analysis people know from Components' dataset, for any range of the warehouse: digital against physical,
/// the physical formats, how often and by how much buyers pay more than asked, the paid-to-price ratio, the
/// buyer countries and seller currencies, the sales of each day and the leading genres.
public struct SalesAnalysis: Sendable, Equatable {
    /// A part of the sales: its sales, revenue and their shares of the whole it belongs to.
    public struct Part: Sendable, Equatable {
        public var key: String
        public var label: String
        public var sales: Int
        public var revenueUSD: Money
        public var salesShare: Double
        public var revenueShare: Double
        /// Among its sales with a price above 0: the share whose buyer paid more than asked.
        public var paidMoreShare: Double?
    }

    /// Paying more than asked.
    public struct Overpayment: Sendable, Equatable {
        /// Sales with a price above 0 and a known amount paid.
        public var priced = 0
        public var paidMore = 0
        public var paidExactly = 0
        /// What buyers paid above the price, in all (USD), and on average among those who paid more.
        public var overpaidUSD = Money("0")
        public var meanOverpaidUSD: Money?
        /// Sales whose price was 0 (name your price, nothing asked), those where the buyer paid something, and
        /// what those paid on average (USD).
        public var free = 0
        public var freePaid = 0
        public var freeMeanPaidUSD: Money?

        public var paidMoreShare: Double? { priced > 0 ? Double(paidMore) / Double(priced) : nil }
        public var freePaidShare: Double? { free > 0 ? Double(freePaid) / Double(free) : nil }
    }

    public var from: CalendarDay
    public var to: CalendarDay
    public var sales = 0
    public var revenueUSD = Money("0")
    /// Album, track, physical, bundle.
    public var itemTypes: [Part] = []
    /// Among physical items: vinyl, CD, cassette, apparel and merchandise, other (read from the description).
    public var physicalFormats: [Part] = []
    public var overpayment = Overpayment()
    /// The paid-to-price ratio (amount paid / price, in the seller's currency) of sales with a price: median and
    /// 90th percentile, and how many fall in each band.
    public var medianRatio: Double?
    public var ratio90: Double?
    public var ratioBands: [(label: String, sales: Int)] = []
    /// Buyer countries (the top ten) and seller currencies (all), by sales.
    public var countries: [Part] = []
    public var countryCount = 0
    public var currencies: [Part] = []
    /// Every day of the range, days without a sale at zero.
    public var daily: [DayPoint] = []
    /// The ten leading genres by sales (a sale counts for each genre of its release, so their shares may add up
    /// to more than the whole).
    public var genres: [Part] = []

    /// The share of sales that were digital (albums and tracks).
    public var digitalShare: Double {
        let digital = itemTypes.filter { $0.key == "album" || $0.key == "track" }.reduce(0) { $0 + $1.sales }
        return sales > 0 ? Double(digital) / Double(sales) : 0
    }

    public static func == (lhs: SalesAnalysis, rhs: SalesAnalysis) -> Bool {
        lhs.from == rhs.from && lhs.to == rhs.to && lhs.sales == rhs.sales && lhs.revenueUSD == rhs.revenueUSD
            && lhs.itemTypes == rhs.itemTypes && lhs.physicalFormats == rhs.physicalFormats
            && lhs.overpayment == rhs.overpayment && lhs.medianRatio == rhs.medianRatio && lhs.ratio90 == rhs.ratio90
            && lhs.ratioBands.map(\.label) == rhs.ratioBands.map(\.label)
            && lhs.ratioBands.map(\.sales) == rhs.ratioBands.map(\.sales) && lhs.countries == rhs.countries
            && lhs.countryCount == rhs.countryCount && lhs.currencies == rhs.currencies && lhs.daily == rhs.daily
            && lhs.genres == rhs.genres
    }
}

extension SalesAnalysis {
    /// The physical formats, read from the item's description by the warehouse's `physical_format(text)`
    /// (case-insensitive patterns, the first that matches wins), and their labels.
    public static let physicalFormats: [(key: String, label: String)] = [
        ("vinyl", "Vinyl"), ("cd", "CD"), ("cassette", "Cassette"), ("merch", "Apparel and merchandise"),
        ("other", "Other"),
    ]

    /// The paid-to-price bands, as `(label, upper bound)`: a ratio falls in the first band whose bound it does not
    /// exceed (below 1 is a discount or a sale at a lower price).
    public static let ratioBandLimits: [(label: String, upTo: Double?)] = [
        ("below the price", 0.999_999), ("the price", 1), ("up to 1.5 ×", 1.5), ("1.5 to 2 ×", 2), ("2 to 5 ×", 5),
        ("over 5 ×", nil),
    ]

    /// Reads the analysis of the sales that satisfy `condition` (SQL on `sale s`, with its values), for the range
    /// `from`…`to` that the condition covers.
    public static func read(
        _ db: PostgresConnection, from: CalendarDay, to: CalendarDay, condition: SQLQuery
    ) async throws -> SalesAnalysis {
        var analysis = SalesAnalysis(from: from, to: to)
        let paidMoreShare: SQLQuery = """
            avg((s.amount_paid > s.price_asked)::int) FILTER (WHERE s.price_asked > 0 AND s.amount_paid IS NOT NULL)
                AS paid_more_share
            """
        let totals =
            try await db.query(
                """
                SELECT count(*) AS sales, round(coalesce(sum(s.amount_paid_usd), 0), 2) AS revenue,
                    count(*) FILTER (WHERE s.price_asked > 0 AND s.amount_paid IS NOT NULL) AS priced,
                    count(*) FILTER (WHERE s.price_asked > 0 AND s.amount_paid > s.price_asked) AS paid_more,
                    count(*) FILTER (WHERE s.price_asked > 0 AND s.amount_paid = s.price_asked) AS paid_exactly,
                    round(coalesce(sum(s.overpaid_usd) FILTER (WHERE s.price_asked > 0), 0), 2) AS overpaid,
                    round(avg(s.overpaid_usd) FILTER (WHERE s.price_asked > 0 AND s.amount_paid > s.price_asked), 2)
                        AS mean_overpaid,
                    count(*) FILTER (WHERE s.price_asked = 0) AS free,
                    count(*) FILTER (WHERE s.price_asked = 0 AND s.amount_paid > 0) AS free_paid,
                    round(avg(s.amount_paid_usd) FILTER (WHERE s.price_asked = 0 AND s.amount_paid > 0), 2)
                        AS free_mean_paid,
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY s.paid_to_price_ratio) AS median_ratio,
                    percentile_cont(0.9) WITHIN GROUP (ORDER BY s.paid_to_price_ratio) AS ratio_90,
                    count(DISTINCT s.buyer_country_code) AS countries
                FROM sale s WHERE \(condition)
                """
            ).single()
        try analysis.takeTotals(totals)
        analysis.medianRatio = try totals.decode("median_ratio")
        analysis.ratio90 = try totals.decode("ratio_90")
        guard analysis.sales > 0 else { return analysis }

        let types = try await db.query(
            """
            SELECT s.item_type::text AS key, NULL AS name, count(*) AS sales,
                round(coalesce(sum(s.amount_paid_usd), 0), 2) AS revenue,
                avg((s.amount_paid > s.price_asked)::int) FILTER (WHERE s.price_asked > 0 AND s.amount_paid IS NOT NULL)
                    AS paid_more_share
            FROM sale s WHERE \(condition) GROUP BY 1 ORDER BY 3 DESC, 1
            """
        )
        analysis.itemTypes = try itemTypeParts(types, analysis)

        let formats = try await db.query(
            """
            SELECT physical_format(s.item_description) AS key, NULL AS name, count(*) AS sales,
                round(coalesce(sum(s.amount_paid_usd), 0), 2) AS revenue,
                avg((s.amount_paid > s.price_asked)::int) FILTER (WHERE s.price_asked > 0 AND s.amount_paid IS NOT NULL)
                    AS paid_more_share
            FROM sale s WHERE \(condition) AND s.item_type = 'physical' GROUP BY 1 ORDER BY 3 DESC, 1
            """
        )
        analysis.physicalFormats = try physicalParts(formats, analysis)

        let bandCases = SQLQuery.joined(
            ratioBandLimits.enumerated().compactMap { index, band in
                band.upTo.map { limit in "WHEN s.paid_to_price_ratio <= \(limit)::numeric THEN \(index)::int" }
            }, separator: " ")
        let bands = try await db.query(
            """
            SELECT CASE \(bandCases) ELSE \(ratioBandLimits.count - 1)::int END AS band, count(*) AS sales
            FROM sale s WHERE \(condition) AND s.paid_to_price_ratio IS NOT NULL GROUP BY 1
            """
        )
        var bandSales = [Int](repeating: 0, count: ratioBandLimits.count)
        for row in bands {
            let index: Int = try row.decode("band")
            guard bandSales.indices.contains(index) else { throw PostgresError.unexpected("band \(index)") }
            bandSales[index] = try row.decode("sales")
        }
        analysis.ratioBands = zip(ratioBandLimits, bandSales).map { ($0.label, $1) }

        let countries = try await db.query(
            """
            SELECT coalesce(s.buyer_country_code, '—') AS key, max(c.name) AS name, count(*) AS sales,
                round(coalesce(sum(s.amount_paid_usd), 0), 2) AS revenue, \(paidMoreShare)
            FROM sale s LEFT JOIN country c ON c.code = s.buyer_country_code
            WHERE \(condition) GROUP BY 1 ORDER BY 3 DESC, 1 LIMIT 10
            """
        )
        analysis.countries = try countryParts(countries, analysis)
        let currencies = try await db.query(
            """
            SELECT coalesce(s.currency, '—') AS key, NULL AS name, count(*) AS sales,
                round(coalesce(sum(s.amount_paid_usd), 0), 2) AS revenue, \(paidMoreShare)
            FROM sale s WHERE \(condition) GROUP BY 1 ORDER BY 3 DESC, 1
            """
        )
        analysis.currencies = try currencyParts(currencies, analysis)
        let days = try await db.query(
            """
            SELECT floor(date_part('epoch', s.sold_at) / 86400)::bigint AS day, count(*) AS sales,
                coalesce(sum(s.amount_paid_usd), 0) AS revenue
            FROM sale s WHERE \(condition) GROUP BY 1
            """)
        analysis.daily = try everyDay(days, from: from, to: to)
        let genres = try await db.query(
            """
            SELECT t.key, t.name, count(*) AS sales, round(coalesce(sum(s.amount_paid_usd), 0), 2) AS revenue,
                NULL::numeric AS paid_more_share
            FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id JOIN tag t ON t.id = rt.tag_id
            WHERE \(condition) GROUP BY t.id ORDER BY 3 DESC, 4 DESC, t.key LIMIT 10
            """)
        analysis.genres = try genreParts(genres, analysis)
        return analysis
    }

    /// The analysis of the sales of whole UTC days, `from` to `to` inclusive.
    public static func read(_ db: PostgresConnection, from: CalendarDay, to: CalendarDay) async throws
        -> SalesAnalysis
    {
        try await read(
            db, from: from, to: to,
            condition:
                "s.sold_at >= to_timestamp(\(from.start)::float8) AND s.sold_at < to_timestamp(\(to.end)::float8)")
    }
}
