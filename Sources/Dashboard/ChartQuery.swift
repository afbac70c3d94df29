import Postgres
import Report
import Tracker

/// What the charts page shows: which charts there are, and the answers to the questions the Spotify project
/// asked (which weekday releases do best, how songs do over their first weeks, which songs and artists lead),
/// with the artists found both on the charts and among Bandcamp's sellers.
struct ChartScope: Sendable, Equatable {
    var region: String
    var period: String
    var from: CalendarDay
    var to: CalendarDay
}

struct ChartLeader: Sendable, Equatable {
    var name: String
    var detail: String
    var streams: Int64
    var bestRank: Int
    var periodsAtTop: Int
    var appearances: Int
}

struct WeekdayRow: Sendable, Equatable {
    var weekday: Int
    var debuts: Int
    var medianRank: Double?
    var medianStreams: Double?
    var topFifty: Int
}

struct FirstPeriodsRow: Sendable, Equatable {
    /// 1 for the debut.
    var index: Int
    /// Debuts whose `index`th period the charts in hand cover, and those of them still on the chart.
    var covered: Int
    var charting: Int
    /// The median of each charting track's streams over its debut's.
    var medianOfDebut: Double?
    var medianRank: Double?
}

struct SharedArtist: Sendable, Equatable {
    var name: String
    var bandcampArtistID: Int64
    var bestRank: Int
    var chartEntries: Int
    var regions: Int
    var sales: Int
    var revenueUSD: Money
}

extension DashboardQuery {
    /// The regions with charts, with how many charts each has (daily, weekly), global first.
    func chartRegions() async throws -> [(
        region: String, daily: Int, weekly: Int, first: CalendarDay, last: CalendarDay
    )] {
        try await db.query(
            """
            SELECT region, count(*) FILTER (WHERE period = 'daily'), count(*) FILTER (WHERE period = 'weekly'),
                min(chart_date)::text, max(chart_date)::text
            FROM chart WHERE kind = 'top200' GROUP BY region ORDER BY region <> 'global', region
            """
        ).rows.compactMap { row in
            guard let region = row[0], let first = row[3].flatMap(CalendarDay.init(iso:)),
                let last = row[4].flatMap(CalendarDay.init(iso:))
            else { return nil }
            return (region, Int(row[1] ?? "") ?? 0, Int(row[2] ?? "") ?? 0, first, last)
        }
    }

    /// The leading songs (`byArtist` false) or artists of a region's charts in the scope, by streams.
    func chartLeaders(_ scope: ChartScope, byArtist: Bool, limit: Int = 15) async throws -> [ChartLeader] {
        let parameters = [scope.region, scope.period, scope.from.iso, scope.to.iso, String(limit)]
        let (columns, joins, group) =
            byArtist
            ? (
                "a.name, count(DISTINCT e.track_id)::text || ' songs'",
                "JOIN chart_track_artist ta ON ta.track_id = e.track_id JOIN chart_artist a ON a.id = ta.artist_id",
                "a.id, a.name"
            )
            : (
                """
                t.name, coalesce((SELECT string_agg(a.name, ', ' ORDER BY ta.position) FROM chart_track_artist ta
                    JOIN chart_artist a ON a.id = ta.artist_id WHERE ta.track_id = t.id), '')
                """,
                "JOIN chart_track t ON t.id = e.track_id", "t.id, t.name"
            )
        let sql = """
            SELECT \(columns), coalesce(sum(e.streams), 0), min(e.rank), count(*) FILTER (WHERE e.rank = 1), count(*)
            FROM chart c JOIN chart_entry e ON e.chart_id = c.id \(joins)
            WHERE c.region = $1 AND c.period = $2 AND c.kind = 'top200' AND c.chart_date BETWEEN $3::date AND $4::date
            GROUP BY \(group) ORDER BY 3 DESC, 4, 1 LIMIT $5
            """
        return try await db.query(sql, parameters).rows.map { row in
            ChartLeader(
                name: row[0] ?? "", detail: row[1] ?? "", streams: Int64(row[2] ?? "") ?? 0,
                bestRank: Int(row[3] ?? "") ?? 0, periodsAtTop: Int(row[4] ?? "") ?? 0,
                appearances: Int(row[5] ?? "") ?? 0)
        }
    }

    /// Songs' debuts on a region's daily charts by weekday: a debut is a song's first day on the chart (its
    /// days on chart 1, or, where the export does not say, absent from the day before's chart in hand).
    func debutWeekdays(_ scope: ChartScope) async throws -> [WeekdayRow] {
        let rows = try await db.query(
            """
            WITH days AS (
                SELECT c.id, c.chart_date FROM chart c
                WHERE c.region = $1 AND c.period = 'daily' AND c.kind = 'top200'
                    AND c.chart_date BETWEEN $2::date AND $3::date
            ), debuts AS (
                SELECT d.chart_date, e.rank, e.streams FROM days d JOIN chart_entry e ON e.chart_id = d.id
                WHERE e.periods_on_chart = 1 OR (e.periods_on_chart IS NULL AND e.previous_rank IS NULL
                    AND EXISTS (SELECT 1 FROM chart p WHERE p.region = $1 AND p.period = 'daily' AND p.kind = 'top200'
                        AND p.chart_date = d.chart_date - 1)
                    AND NOT EXISTS (SELECT 1 FROM chart p JOIN chart_entry pe ON pe.chart_id = p.id
                        WHERE p.region = $1 AND p.period = 'daily' AND p.kind = 'top200'
                            AND p.chart_date = d.chart_date - 1 AND pe.track_id = e.track_id))
            )
            SELECT extract(isodow FROM chart_date)::int, count(*),
                percentile_cont(0.5) WITHIN GROUP (ORDER BY rank), percentile_cont(0.5) WITHIN GROUP (ORDER BY streams),
                count(*) FILTER (WHERE rank <= 50)
            FROM debuts GROUP BY 1 ORDER BY 1
            """, [scope.region, scope.from.iso, scope.to.iso]
        ).rows
        var byDay: [Int: WeekdayRow] = [:]
        for row in rows {
            guard let day = row[0].flatMap({ Int($0) }) else { continue }
            byDay[day] = WeekdayRow(
                weekday: day, debuts: Int(row[1] ?? "") ?? 0, medianRank: row[2].flatMap(Double.init),
                medianStreams: row[3].flatMap(Double.init), topFifty: Int(row[4] ?? "") ?? 0)
        }
        return (1...7).map {
            byDay[$0] ?? WeekdayRow(weekday: $0, debuts: 0, medianRank: nil, medianStreams: nil, topFifty: 0)
        }
    }

    /// How songs that debut in the scope do over their first `horizon` periods (weeks, or days): of the debuts
    /// whose nth period the charts in hand cover, how many still chart, and their streams against their debut's.
    func firstPeriods(_ scope: ChartScope, horizon: Int = 8) async throws -> [FirstPeriodsRow] {
        let step = scope.period == "weekly" ? 7 : 1
        let rows = try await db.query(
            """
            WITH charts AS (
                SELECT c.id, c.chart_date FROM chart c
                WHERE c.region = $1 AND c.period = $2 AND c.kind = 'top200'
            ), debuts AS (
                SELECT e.track_id, c.chart_date AS debut, e.streams AS first_streams
                FROM charts c JOIN chart_entry e ON e.chart_id = c.id
                WHERE e.periods_on_chart = 1 AND c.chart_date BETWEEN $3::date AND $4::date
            ), periods AS (
                SELECT d.track_id, n, d.debut + (n - 1) * $5::int AS day, d.first_streams
                FROM debuts d CROSS JOIN generate_series(1, $6::int) AS n
            )
            SELECT p.n, count(*) FILTER (WHERE c.id IS NOT NULL), count(e.track_id),
                percentile_cont(0.5) WITHIN GROUP (ORDER BY e.streams::float8 / nullif(p.first_streams, 0)),
                percentile_cont(0.5) WITHIN GROUP (ORDER BY e.rank)
            FROM periods p LEFT JOIN charts c ON c.chart_date = p.day
                LEFT JOIN chart_entry e ON e.chart_id = c.id AND e.track_id = p.track_id
            GROUP BY p.n ORDER BY p.n
            """, [scope.region, scope.period, scope.from.iso, scope.to.iso, String(step), String(horizon)]
        ).rows
        return rows.map { row in
            FirstPeriodsRow(
                index: Int(row[0] ?? "") ?? 0, covered: Int(row[1] ?? "") ?? 0, charting: Int(row[2] ?? "") ?? 0,
                medianOfDebut: row[3].flatMap(Double.init), medianRank: row[4].flatMap(Double.init))
        }
    }

    /// Artists on the charts (any region, any time) who also sell on Bandcamp under the same name, with their
    /// Bandcamp sales in the dashboard's range.
    func sharedArtists(_ filter: DashboardFilter, limit: Int = 25) async throws -> [SharedArtist] {
        try await db.query(
            """
            WITH matched AS (
                SELECT ca.id AS chart_artist_id, ca.name, ar.id AS artist_id
                FROM chart_artist ca JOIN artist ar ON lower(ar.name) = ca.key
            ), charted AS (
                SELECT ta.artist_id AS chart_artist_id, min(e.rank) AS best, count(*) AS entries,
                    count(DISTINCT c.region) AS regions
                FROM (SELECT DISTINCT chart_artist_id FROM matched) m
                JOIN chart_track_artist ta ON ta.artist_id = m.chart_artist_id
                JOIN chart_entry e ON e.track_id = ta.track_id JOIN chart c ON c.id = e.chart_id
                GROUP BY 1
            ), sold AS (
                SELECT m.chart_artist_id, min(m.artist_id) AS artist_id, count(s.sale_key) AS sales,
                    coalesce(sum(s.amount_paid_usd), 0)::numeric(16,2) AS revenue
                FROM matched m LEFT JOIN sale s ON s.artist_id = m.artist_id
                    AND s.sold_at >= to_timestamp($1::float8) AND s.sold_at < to_timestamp($2::float8)
                GROUP BY 1
            )
            SELECT ca.name, sold.artist_id, charted.best, charted.entries, charted.regions, sold.sales, sold.revenue
            FROM charted JOIN sold USING (chart_artist_id) JOIN chart_artist ca ON ca.id = charted.chart_artist_id
            ORDER BY sold.sales DESC, charted.best, ca.name LIMIT $3
            """, [String(filter.from.start), String(filter.to.end), String(limit)]
        ).rows.map { row in
            SharedArtist(
                name: row[0] ?? "", bandcampArtistID: Int64(row[1] ?? "") ?? 0, bestRank: Int(row[2] ?? "") ?? 0,
                chartEntries: Int(row[3] ?? "") ?? 0, regions: Int(row[4] ?? "") ?? 0, sales: Int(row[5] ?? "") ?? 0,
                revenueUSD: Money(row[6] ?? "0.00"))
        }
    }
}
