import Postgres
import Tracker

extension SalesAnalysis {
    /// The analysis of the sales of whole UTC days, `from` to `to` inclusive, from the summaries the warehouse
    /// keeps (`summary_analysis_day`, `summary_ratio_day`): the same figures as `read(_:from:to:condition:)`
    /// over `sale`.
    public static func readSummaries(_ db: PostgresConnection, from: CalendarDay, to: CalendarDay) async throws
        -> SalesAnalysis
    {
        var analysis = SalesAnalysis(from: from, to: to)
        let days: SQLQuery = "a.day >= \(from.iso)::date AND a.day <= \(to.iso)::date"
        let totals = try await db.query(
            """
            SELECT coalesce(sum(a.sales), 0)::bigint AS sales, round(coalesce(sum(a.revenue), 0), 2) AS revenue,
                coalesce(sum(a.priced), 0)::bigint AS priced, coalesce(sum(a.paid_more), 0)::bigint AS paid_more,
                coalesce(sum(a.paid_exactly), 0)::bigint AS paid_exactly,
                round(coalesce(sum(a.overpaid), 0), 2) AS overpaid,
                round(sum(a.overpaid_more) / nullif(sum(a.overpaid_more_known), 0), 2) AS mean_overpaid,
                coalesce(sum(a.free), 0)::bigint AS free, coalesce(sum(a.free_paid), 0)::bigint AS free_paid,
                round(sum(a.free_paid_usd) / nullif(sum(a.free_paid_known), 0), 2) AS free_mean_paid,
                count(DISTINCT a.country) FILTER (WHERE a.country <> '') AS countries,
                coalesce(sum(a.ratio_band_0), 0)::bigint AS band_0, coalesce(sum(a.ratio_band_1), 0)::bigint AS band_1,
                coalesce(sum(a.ratio_band_2), 0)::bigint AS band_2, coalesce(sum(a.ratio_band_3), 0)::bigint AS band_3,
                coalesce(sum(a.ratio_band_4), 0)::bigint AS band_4, coalesce(sum(a.ratio_band_5), 0)::bigint AS band_5
            FROM summary_analysis_day a WHERE \(days)
            """
        ).single()
        try analysis.takeTotals(totals)
        // The ratio's percentiles as percentile_cont works them out: the values at the two rows around
        // q × (n − 1), in double precision, and between them in proportion.
        let percentiles = try await db.query(
            """
            WITH ratios AS (
                SELECT a.ratio, sum(a.sales) AS sales FROM summary_ratio_day a WHERE \(days) GROUP BY 1
            ), placed AS (
                SELECT ratio::float8 AS value, sum(sales) OVER (ORDER BY ratio) AS upto, sum(sales) OVER () AS total
                FROM ratios
            ), rows AS (
                SELECT q, q * (max(total)::float8 - 1) AS position FROM placed, (VALUES (0.5::float8), (0.9::float8)) v(q)
                GROUP BY q
            ), ends AS (
                SELECT r.q, r.position - floor(r.position) AS proportion,
                    (SELECT min(p.value) FROM placed p WHERE p.upto > floor(r.position)) AS low,
                    (SELECT min(p.value) FROM placed p WHERE p.upto > ceil(r.position)) AS high
                FROM rows r
            )
            SELECT q, low + proportion * (high - low) AS value FROM ends
            """)
        for row in percentiles {
            let q: Double = try row.decode("q")
            let value: Double = try row.decode("value")
            if q == 0.5 { analysis.medianRatio = value } else { analysis.ratio90 = value }
        }
        guard analysis.sales > 0 else { return analysis }
        analysis.ratioBands = try ratioBandLimits.enumerated().map { index, band in
            (band.label, try totals.decode("band_\(index)"))
        }

        analysis.itemTypes = try itemTypeParts(
            try await db.query(
                """
                SELECT a.item_type::text AS key, NULL AS name, sum(a.sales)::bigint AS sales,
                    round(sum(a.revenue), 2) AS revenue, sum(a.paid_more)::numeric / nullif(sum(a.priced), 0) AS paid_more
                FROM summary_analysis_day a WHERE \(days) GROUP BY 1 ORDER BY 3 DESC, 1
                """), analysis)
        analysis.physicalFormats = try physicalParts(
            try await db.query(
                """
                SELECT a.format AS key, NULL AS name, sum(a.sales)::bigint AS sales, round(sum(a.revenue), 2) AS revenue,
                    sum(a.paid_more)::numeric / nullif(sum(a.priced), 0) AS paid_more
                FROM summary_analysis_day a WHERE \(days) AND a.item_type = 'physical' GROUP BY 1 ORDER BY 3 DESC, 1
                """), analysis)
        analysis.countries = try countryParts(
            try await db.query(
                """
                SELECT CASE WHEN a.country = '' THEN '—' ELSE a.country END AS key, max(c.name) AS name,
                    sum(a.sales)::bigint AS sales, round(sum(a.revenue), 2) AS revenue
                FROM summary_analysis_day a LEFT JOIN country c ON c.code = a.country
                WHERE \(days) GROUP BY 1 ORDER BY 3 DESC, 1 LIMIT 10
                """), analysis)
        analysis.currencies = try currencyParts(
            try await db.query(
                """
                SELECT CASE WHEN a.currency = '' THEN '—' ELSE a.currency END AS key, NULL AS name,
                    sum(a.sales)::bigint AS sales, round(sum(a.revenue), 2) AS revenue
                FROM summary_analysis_day a WHERE \(days) GROUP BY 1 ORDER BY 3 DESC, 1
                """), analysis)
        return analysis
    }

    /// The sales, revenue, overpayment and country count of a row of totals (`sales`, `revenue`, `priced`,
    /// `paid_more`, `paid_exactly`, `overpaid`, `mean_overpaid`, `free`, `free_paid`, `free_mean_paid`,
    /// `countries`), from `sale` or from the summaries.
    mutating func takeTotals(_ totals: PostgresRow) throws {
        sales = try totals.decode("sales")
        revenueUSD = try totals.decode("revenue")
        overpayment = Overpayment(
            priced: try totals.decode("priced"), paidMore: try totals.decode("paid_more"),
            paidExactly: try totals.decode("paid_exactly"), overpaidUSD: try totals.decode("overpaid"),
            meanOverpaidUSD: try totals.decode("mean_overpaid"), free: try totals.decode("free"),
            freePaid: try totals.decode("free_paid"), freeMeanPaidUSD: try totals.decode("free_mean_paid"))
        countryCount = try totals.decode("countries")
    }

    /// Parts from rows of `key`, `name` (or NULL), `sales`, `revenue` and, where there is one, `paid_more`.
    static func parts(
        _ rows: PostgresRows, whole: Int, wholeRevenue: Double, label: (String, String?) -> String
    ) throws -> [Part] {
        try rows.map { row in
            let key: String = try row.decode("key")
            let sales: Int = try row.decode("sales")
            let money: Money = try row.decode("revenue")
            return Part(
                key: key, label: label(key, try row.decode("name")), sales: sales, revenueUSD: money,
                salesShare: whole > 0 ? Double(sales) / Double(whole) : 0,
                revenueShare: wholeRevenue > 0 ? money.value / wholeRevenue : 0,
                paidMoreShare: row.has("paid_more") ? try row.decode("paid_more") : nil)
        }
    }

    static func itemTypeParts(_ rows: PostgresRows, _ analysis: SalesAnalysis) throws -> [Part] {
        let names = ["album": "Digital album", "track": "Digital track", "physical": "Physical", "bundle": "Bundle"]
        return try parts(rows, whole: analysis.sales, wholeRevenue: analysis.revenueUSD.value) { key, _ in
            names[key] ?? key
        }
    }

    static func physicalParts(_ rows: PostgresRows, _ analysis: SalesAnalysis) throws -> [Part] {
        let physical = analysis.itemTypes.first { $0.key == "physical" }
        return try parts(rows, whole: physical?.sales ?? 0, wholeRevenue: physical?.revenueUSD.value ?? 0) { key, _ in
            physicalFormats.first { $0.key == key }?.label ?? "Other"
        }
    }

    static func countryParts(_ rows: PostgresRows, _ analysis: SalesAnalysis) throws -> [Part] {
        try parts(rows, whole: analysis.sales, wholeRevenue: analysis.revenueUSD.value) { key, name in
            name ?? (key == "—" ? "Unknown" : key)
        }
    }

    static func currencyParts(_ rows: PostgresRows, _ analysis: SalesAnalysis) throws -> [Part] {
        try parts(rows, whole: analysis.sales, wholeRevenue: analysis.revenueUSD.value) { key, _ in
            key == "—" ? "Unknown" : key
        }
    }
}
