import Postgres
import Tracker

extension SalesAnalysis {
    /// The analysis of the sales of whole UTC days, `from` to `to` inclusive, from the summaries the warehouse
    /// keeps (`summary_analysis_day`, `summary_ratio_day`): the same figures as `read(_:from:to:condition:)`
    /// over `sale`.
    public static func readSummaries(_ db: PostgresConnection, from: CalendarDay, to: CalendarDay) async throws
        -> SalesAnalysis
    {
        try await read(db, from: from, to: to, source: .summaries(from: from, to: to, slice: nil))
    }

    /// The analysis of `source`'s rows (of the days `from` to `to`) in one statement: what each (item type,
    /// format, currency, country) sold, then the totals and each part's rows from those few combinations (the
    /// buyer countries' from rows of their own when the source keeps them apart), the ratio's percentiles, every
    /// day and the leading genres, told apart by `part`. Read from `sale`, the filtered sales are read once (a
    /// genre of 67,717 sales in a month: eight statements took 1.7 s).
    static func read(_ db: PostgresConnection, from: CalendarDay, to: CalendarDay, source: SalesAnalysisSource)
        async throws -> SalesAnalysis
    {
        var analysis = SalesAnalysis(from: from, to: to)
        let with: SQLQuery = source.with.map { "\($0)," } ?? ""
        let found = try await db.query(
            """
            WITH \(with) kinds AS MATERIALIZED (
                SELECT a.item_type, a.format, a.currency, a.country, sum(a.sales) AS sales, sum(a.revenue) AS revenue,
                    sum(a.priced) AS priced, sum(a.paid_more) AS paid_more, sum(a.paid_exactly) AS paid_exactly,
                    sum(a.overpaid) AS overpaid, sum(a.overpaid_more) AS overpaid_more,
                    sum(a.overpaid_more_known) AS overpaid_more_known, sum(a.free) AS free,
                    sum(a.free_paid) AS free_paid, sum(a.free_paid_usd) AS free_paid_usd,
                    sum(a.free_paid_known) AS free_paid_known, sum(a.ratio_band_0) AS band_0,
                    sum(a.ratio_band_1) AS band_1, sum(a.ratio_band_2) AS band_2, sum(a.ratio_band_3) AS band_3,
                    sum(a.ratio_band_4) AS band_4, sum(a.ratio_band_5) AS band_5
                FROM (\(source.kinds)) a GROUP BY 1, 2, 3, 4
            ), countries AS MATERIALIZED (
                SELECT c.country, sum(c.sales) AS sales, sum(c.revenue) AS revenue, sum(c.priced) AS priced,
                    sum(c.paid_more) AS paid_more
                FROM (\(source.countries ?? "SELECT k.country, k.sales, k.revenue, k.priced, k.paid_more FROM kinds k")) c
                GROUP BY 1
            ), parts AS (
                SELECT CASE
                        WHEN grouping(k.item_type, k.format, k.currency) = 7 THEN 'total'
                        WHEN grouping(k.format) = 0 THEN 'format'
                        WHEN grouping(k.item_type) = 0 THEN 'item_type'
                        ELSE 'currency'
                    END AS part,
                    CASE
                        WHEN grouping(k.format) = 0 THEN k.format
                        WHEN grouping(k.item_type) = 0 THEN k.item_type::text
                        WHEN grouping(k.currency) = 0 THEN nullif(k.currency, '')
                    END AS code,
                    k.item_type = 'physical' AS physical,
                    coalesce(sum(k.sales), 0)::bigint AS sales, round(coalesce(sum(k.revenue), 0), 2) AS revenue,
                    coalesce(sum(k.priced), 0)::bigint AS priced, coalesce(sum(k.paid_more), 0)::bigint AS paid_more,
                    coalesce(sum(k.paid_exactly), 0)::bigint AS paid_exactly,
                    round(coalesce(sum(k.overpaid), 0), 2) AS overpaid,
                    round(sum(k.overpaid_more) / nullif(sum(k.overpaid_more_known), 0), 2) AS mean_overpaid,
                    coalesce(sum(k.free), 0)::bigint AS free, coalesce(sum(k.free_paid), 0)::bigint AS free_paid,
                    round(sum(k.free_paid_usd) / nullif(sum(k.free_paid_known), 0), 2) AS free_mean_paid,
                    CASE WHEN grouping(k.item_type, k.format, k.currency) = 7 THEN
                        (SELECT count(*) FROM countries c WHERE c.country <> '')
                    END AS countries,
                    coalesce(sum(k.band_0), 0)::bigint AS band_0, coalesce(sum(k.band_1), 0)::bigint AS band_1,
                    coalesce(sum(k.band_2), 0)::bigint AS band_2, coalesce(sum(k.band_3), 0)::bigint AS band_3,
                    coalesce(sum(k.band_4), 0)::bigint AS band_4, coalesce(sum(k.band_5), 0)::bigint AS band_5
                FROM kinds k GROUP BY GROUPING SETS ((), (k.item_type), (k.item_type, k.format), (k.currency))
                UNION ALL
                SELECT \(Self.others(
                    "'country'", code: "nullif(c.country, '')", sales: "c.sales", revenue: "round(c.revenue, 2)",
                    priced: "c.priced", paidMore: "c.paid_more"))
                FROM countries c
            ),
            -- The ratio's percentiles as percentile_cont works them out: the values at the two rows around
            -- q × (n − 1), in double precision, and between them in proportion.
            ratios AS (
                SELECT a.ratio, sum(a.sales) AS sales FROM (\(source.ratios)) a GROUP BY 1
            ), placed AS (
                SELECT ratio::float8 AS value, sum(sales) OVER (ORDER BY ratio) AS upto, sum(sales) OVER () AS total
                FROM ratios
            ), positions AS (
                SELECT q, q * (max(total)::float8 - 1) AS position FROM placed, (VALUES (0.5::float8), (0.9::float8)) v(q)
                GROUP BY q
            ), ends AS (
                SELECT r.q, r.position - floor(r.position) AS proportion,
                    (SELECT min(p.value) FROM placed p WHERE p.upto > floor(r.position)) AS low,
                    (SELECT min(p.value) FROM placed p WHERE p.upto > ceil(r.position)) AS high
                FROM positions r
            ), everything AS (
                SELECT p.*, NULL::text AS genre, NULL::float8 AS q, NULL::float8 AS value, NULL::bigint AS day
                FROM parts p
                UNION ALL
                SELECT \(Self.others("'percentile'", sales: "NULL", revenue: "NULL")), NULL, e.q,
                    e.low + e.proportion * (e.high - e.low), NULL
                FROM ends e
                UNION ALL
                SELECT \(Self.others("'day'", sales: "sum(a.sales)", revenue: "sum(a.revenue)")), NULL, NULL, NULL,
                    (a.day - date '1970-01-01')::bigint
                FROM (\(source.days)) a GROUP BY a.day
                UNION ALL
                SELECT \(Self.others("'genre'", code: "t.key", sales: "x.sales", revenue: "x.revenue")), t.name, NULL,
                    NULL, NULL
                FROM (
                    SELECT a.tag_id, sum(a.sales) AS sales, round(sum(a.revenue), 2) AS revenue
                    FROM (\(source.genres)) a GROUP BY 1
                ) x JOIN tag t ON t.id = x.tag_id
            )
            SELECT e.*, coalesce(e.code, '—') AS key, coalesce(c.name, e.genre) AS name,
                e.paid_more::numeric / nullif(e.priced, 0) AS paid_more_share
            FROM everything e LEFT JOIN country c ON e.part = 'country' AND c.code = e.code
            ORDER BY e.part, e.sales DESC, CASE WHEN e.part = 'genre' THEN e.revenue END DESC, key
            """)
        func rows(_ part: String) throws -> [PostgresRow] {
            try found.filter { try $0.decode("part") == part }
        }
        guard let totals = try rows("total").first else {
            throw PostgresError.unexpected("the analysis gave no totals row")
        }
        try analysis.takeTotals(totals)
        for row in try rows("percentile") {
            let q: Double = try row.decode("q")
            let value: Double? = try row.decode("value")
            if q == 0.5 { analysis.medianRatio = value } else { analysis.ratio90 = value }
        }
        guard analysis.sales > 0 else { return analysis }
        analysis.ratioBands = try ratioBandLimits.enumerated().map { index, band in
            (band.label, try totals.decode("band_\(index)"))
        }
        analysis.itemTypes = try itemTypeParts(try rows("item_type"), analysis)
        analysis.physicalFormats = try physicalParts(
            try rows("format").filter { try $0.decode("physical") }, analysis)
        analysis.countries = try countryParts(Array(try rows("country").prefix(10)), analysis)
        analysis.currencies = try currencyParts(try rows("currency"), analysis)
        analysis.daily = try everyDay(try rows("day"), from: from, to: to)
        analysis.genres = try genreParts(Array(try rows("genre").prefix(10)), analysis)
        return analysis
    }

    /// The columns of `parts` for a row of another `part` (or of the buyer countries'): its code, sales, revenue,
    /// priced and paid-more counts, the rest NULL.
    private static func others(
        _ part: SQLQuery, code: SQLQuery = "NULL", sales: SQLQuery, revenue: SQLQuery, priced: SQLQuery = "NULL",
        paidMore: SQLQuery = "NULL"
    ) -> SQLQuery {
        let nulls = SQLQuery.joined(Array(repeating: "NULL", count: 13), separator: ", ")
        return """
            \(part), \(code), NULL, (\(sales))::bigint, (\(revenue))::numeric, (\(priced))::bigint, \
            (\(paidMore))::bigint, \(nulls)
            """
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

    /// Parts from rows of `key`, `name` (or NULL), `sales`, `revenue` and `paid_more_share` (or NULL).
    static func parts(
        _ rows: some Sequence<PostgresRow>, whole: Int, wholeRevenue: Double, label: (String, String?) -> String
    ) throws -> [Part] {
        try rows.map { row in
            let key: String = try row.decode("key")
            let sales: Int = try row.decode("sales")
            let money: Money = try row.decode("revenue")
            return Part(
                key: key, label: label(key, try row.decode("name")), sales: sales, revenueUSD: money,
                salesShare: whole > 0 ? Double(sales) / Double(whole) : 0,
                revenueShare: wholeRevenue > 0 ? money.value / wholeRevenue : 0,
                paidMoreShare: try row.decode("paid_more_share"))
        }
    }

    static func genreParts(_ rows: some Sequence<PostgresRow>, _ analysis: SalesAnalysis) throws -> [Part] {
        try parts(rows, whole: analysis.sales, wholeRevenue: analysis.revenueUSD.value) { key, name in name ?? key }
    }

    /// Every day from `from` to `to` from rows of `day` (days since 1970), `sales` and `revenue`; days without a
    /// row at zero.
    static func everyDay(_ rows: some Sequence<PostgresRow>, from: CalendarDay, to: CalendarDay) throws -> [DayPoint] {
        var byDay: [Int64: (Int, Double)] = [:]
        for row in rows { byDay[try row.decode("day")] = (try row.decode("sales"), try row.decode("revenue")) }
        return (from.daysSinceEpoch...to.daysSinceEpoch).map { day in
            let value = byDay[day] ?? (0, 0)
            return DayPoint(day: CalendarDay(daysSinceEpoch: day), sales: value.0, revenueUSD: value.1)
        }
    }

    static func itemTypeParts(_ rows: some Sequence<PostgresRow>, _ analysis: SalesAnalysis) throws -> [Part] {
        let names = ["album": "Digital album", "track": "Digital track", "physical": "Physical", "bundle": "Bundle"]
        return try parts(rows, whole: analysis.sales, wholeRevenue: analysis.revenueUSD.value) { key, _ in
            names[key] ?? key
        }
    }

    static func physicalParts(_ rows: some Sequence<PostgresRow>, _ analysis: SalesAnalysis) throws -> [Part] {
        let physical = analysis.itemTypes.first { $0.key == "physical" }
        return try parts(rows, whole: physical?.sales ?? 0, wholeRevenue: physical?.revenueUSD.value ?? 0) { key, _ in
            physicalFormats.first { $0.key == key }?.label ?? "Other"
        }
    }

    static func countryParts(_ rows: some Sequence<PostgresRow>, _ analysis: SalesAnalysis) throws -> [Part] {
        try parts(rows, whole: analysis.sales, wholeRevenue: analysis.revenueUSD.value) { key, name in
            name ?? (key == "—" ? "Unknown" : key)
        }
    }

    static func currencyParts(_ rows: some Sequence<PostgresRow>, _ analysis: SalesAnalysis) throws -> [Part] {
        try parts(rows, whole: analysis.sales, wholeRevenue: analysis.revenueUSD.value) { key, _ in
            key == "—" ? "Unknown" : key
        }
    }
}
