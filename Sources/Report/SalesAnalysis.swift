import Postgres
import Tracker

/// The analysis people know from Components' dataset, for any range of the warehouse: digital against physical,
/// the physical formats, how often and by how much buyers pay more than asked, the paid-to-price ratio, and the
/// buyer countries and seller currencies.
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
            && lhs.countryCount == rhs.countryCount && lhs.currencies == rhs.currencies
    }
}

extension SalesAnalysis {
    /// The physical formats, read from the item's description (case-insensitive), first match wins.
    public static let physicalFormatRules: [(key: String, label: String, pattern: String)] = [
        ("vinyl", "Vinyl", #"vinyl|\mlps?\M|\d\s*x\s*lp|\m(7|10|12)\s*("|''|”|in\M|inch)|\mlathe"#),
        ("cd", "CD", #"\mcds?\M|compact dis[ck]|digicd|digipa[ck]k|jewel ?case|\mcd-?r\M"#),
        ("cassette", "Cassette", #"cassette|\mtapes?\M|\mcs\M"#),
        (
            "merch", "Apparel and merchandise",
            #"shirt|\mtees?\M|baseball t\M|hoodie|sweater|longsleeve|\mtote|\mbag\M|\mhat\M|beanie|\mcap\M|poster|sticker|\mpin\M|patch|mug"#
        ),
    ]

    /// The paid-to-price bands, as `(label, upper bound)`: a ratio falls in the first band whose bound it does not
    /// exceed (below 1 is a discount or a sale at a lower price).
    public static let ratioBandLimits: [(label: String, upTo: Double?)] = [
        ("below the price", 0.999_999), ("the price", 1), ("up to 1.5 ×", 1.5), ("1.5 to 2 ×", 2), ("2 to 5 ×", 5),
        ("over 5 ×", nil),
    ]

    /// Reads the analysis of the sales that satisfy `condition` (SQL on `sale s`, its values as `$1`, `$2`, …
    /// in `parameters`), for the range `from`…`to` that the condition covers.
    public static func read(
        _ db: PostgresConnection, from: CalendarDay, to: CalendarDay, condition: String, parameters: [String?]
    ) async throws -> SalesAnalysis {
        var analysis = SalesAnalysis(from: from, to: to)
        let totals =
            try await db.query(
                """
                SELECT count(*), coalesce(sum(s.amount_paid_usd), 0)::numeric(16,2),
                    count(*) FILTER (WHERE s.price_asked > 0 AND s.amount_paid IS NOT NULL),
                    count(*) FILTER (WHERE s.price_asked > 0 AND s.amount_paid > s.price_asked),
                    count(*) FILTER (WHERE s.price_asked > 0 AND s.amount_paid = s.price_asked),
                    coalesce(sum(s.overpaid_usd) FILTER (WHERE s.price_asked > 0), 0)::numeric(16,2),
                    (avg(s.overpaid_usd) FILTER (WHERE s.price_asked > 0 AND s.amount_paid > s.price_asked))::numeric(14,2),
                    count(*) FILTER (WHERE s.price_asked = 0),
                    count(*) FILTER (WHERE s.price_asked = 0 AND s.amount_paid > 0),
                    (avg(s.amount_paid_usd) FILTER (WHERE s.price_asked = 0 AND s.amount_paid > 0))::numeric(14,2),
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY s.paid_to_price_ratio),
                    percentile_cont(0.9) WITHIN GROUP (ORDER BY s.paid_to_price_ratio),
                    count(DISTINCT s.buyer_country_code)
                FROM sale s WHERE \(condition)
                """, parameters
            ).rows.first ?? []
        func int(_ index: Int) -> Int { index < totals.count ? Int(totals[index] ?? "") ?? 0 : 0 }
        func text(_ index: Int) -> String? { index < totals.count ? totals[index] : nil }
        analysis.sales = int(0)
        analysis.revenueUSD = Money(text(1) ?? "0.00")
        analysis.overpayment = Overpayment(
            priced: int(2), paidMore: int(3), paidExactly: int(4), overpaidUSD: Money(text(5) ?? "0.00"),
            meanOverpaidUSD: text(6).map(Money.init), free: int(7), freePaid: int(8),
            freeMeanPaidUSD: text(9).map(Money.init))
        analysis.medianRatio = text(10).flatMap(Double.init)
        analysis.ratio90 = text(11).flatMap(Double.init)
        analysis.countryCount = int(12)
        guard analysis.sales > 0 else { return analysis }
        let revenue = analysis.revenueUSD.value

        func parts(_ rows: [[String?]], whole: Int, wholeRevenue: Double, label: (String, String?) -> String) -> [Part]
        {
            rows.map { row in
                let key = row[0] ?? ""
                let sales = Int(row[2] ?? "") ?? 0
                let money = Money(row[3] ?? "0.00")
                return Part(
                    key: key, label: label(key, row[1]), sales: sales, revenueUSD: money,
                    salesShare: whole > 0 ? Double(sales) / Double(whole) : 0,
                    revenueShare: wholeRevenue > 0 ? money.value / wholeRevenue : 0,
                    paidMoreShare: row.count > 4 ? row[4].flatMap(Double.init) : nil)
            }
        }

        let types = try await db.query(
            """
            SELECT s.item_type::text, NULL, count(*), coalesce(sum(s.amount_paid_usd), 0)::numeric(16,2),
                avg((s.amount_paid > s.price_asked)::int) FILTER (WHERE s.price_asked > 0 AND s.amount_paid IS NOT NULL)
            FROM sale s WHERE \(condition) GROUP BY 1 ORDER BY 3 DESC, 1
            """, parameters
        ).rows
        let typeNames = [
            "album": "Digital album", "track": "Digital track", "physical": "Physical", "bundle": "Bundle",
        ]
        analysis.itemTypes = parts(types, whole: analysis.sales, wholeRevenue: revenue) { key, _ in
            typeNames[key] ?? key
        }

        var formatParameters = parameters
        var cases = ""
        for rule in physicalFormatRules {
            formatParameters.append(rule.pattern)
            cases += " WHEN s.item_description ~* $\(formatParameters.count) THEN '\(rule.key)'"
        }
        let formats = try await db.query(
            """
            SELECT CASE\(cases) ELSE 'other' END, NULL, count(*), coalesce(sum(s.amount_paid_usd), 0)::numeric(16,2),
                avg((s.amount_paid > s.price_asked)::int) FILTER (WHERE s.price_asked > 0 AND s.amount_paid IS NOT NULL)
            FROM sale s WHERE \(condition) AND s.item_type = 'physical' GROUP BY 1 ORDER BY 3 DESC, 1
            """, formatParameters
        ).rows
        let physical = analysis.itemTypes.first { $0.key == "physical" }
        let formatNames = Dictionary(uniqueKeysWithValues: physicalFormatRules.map { ($0.key, $0.label) })
        analysis.physicalFormats = parts(
            formats, whole: physical?.sales ?? 0, wholeRevenue: physical?.revenueUSD.value ?? 0
        ) { key, _ in formatNames[key] ?? "Other" }

        var bandParameters = parameters
        var bandCases = ""
        for (index, band) in ratioBandLimits.enumerated() {
            guard let limit = band.upTo else { continue }
            bandParameters.append(String(limit))
            bandCases += " WHEN s.paid_to_price_ratio <= $\(bandParameters.count)::numeric THEN \(index)"
        }
        let bands = try await db.query(
            """
            SELECT CASE\(bandCases) ELSE \(ratioBandLimits.count - 1) END, count(*)
            FROM sale s WHERE \(condition) AND s.paid_to_price_ratio IS NOT NULL GROUP BY 1
            """, bandParameters
        ).rows
        var bandSales = [Int](repeating: 0, count: ratioBandLimits.count)
        for row in bands {
            if let index = row[0].flatMap({ Int($0) }), bandSales.indices.contains(index) {
                bandSales[index] = Int(row[1] ?? "") ?? 0
            }
        }
        analysis.ratioBands = zip(ratioBandLimits, bandSales).map { ($0.label, $1) }

        let countries = try await db.query(
            """
            SELECT coalesce(s.buyer_country_code, '—'), max(c.name), count(*),
                coalesce(sum(s.amount_paid_usd), 0)::numeric(16,2)
            FROM sale s LEFT JOIN country c ON c.code = s.buyer_country_code
            WHERE \(condition) GROUP BY 1 ORDER BY 3 DESC, 1 LIMIT 10
            """, parameters
        ).rows
        analysis.countries = parts(countries, whole: analysis.sales, wholeRevenue: revenue) { key, name in
            name ?? (key == "—" ? "Unknown" : key)
        }
        let currencies = try await db.query(
            """
            SELECT coalesce(s.currency, '—'), NULL, count(*), coalesce(sum(s.amount_paid_usd), 0)::numeric(16,2)
            FROM sale s WHERE \(condition) GROUP BY 1 ORDER BY 3 DESC, 1
            """, parameters
        ).rows
        analysis.currencies = parts(currencies, whole: analysis.sales, wholeRevenue: revenue) { key, _ in
            key == "—" ? "Unknown" : key
        }
        return analysis
    }

    /// The analysis of the sales of whole UTC days, `from` to `to` inclusive.
    public static func read(_ db: PostgresConnection, from: CalendarDay, to: CalendarDay) async throws
        -> SalesAnalysis
    {
        try await read(
            db, from: from, to: to,
            condition: "s.sold_at >= to_timestamp($1::float8) AND s.sold_at < to_timestamp($2::float8)",
            parameters: [String(from.start), String(to.end)])
    }
}
