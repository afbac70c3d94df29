import Postgres
import Tracker

/// What the charts page shows: which charts there are, and the answers to the questions the Spotify project
/// asked (which weekday releases do best, how songs do over their first weeks, which songs and artists lead),
/// with the artists found both on the charts and among Bandcamp's sellers.
public struct ChartScope: Sendable, Equatable {
    public var region: String
    public var period: String
    public var from: CalendarDay
    public var to: CalendarDay

    public init(region: String, period: String, from: CalendarDay, to: CalendarDay) {
        self.region = region
        self.period = period
        self.from = from
        self.to = to
    }
}

public struct ChartLeader: Sendable, Equatable {
    public var name: String
    public var detail: String
    public var streams: Int64
    public var bestRank: Int
    public var periodsAtTop: Int
    public var appearances: Int
}

public struct WeekdayRow: Sendable, Equatable {
    public var weekday: Int
    public var debuts: Int
    public var medianRank: Double?
    public var medianStreams: Double?
    public var topFifty: Int
}

public struct FirstPeriodsRow: Sendable, Equatable {
    /// 1 for the debut.
    public var index: Int
    /// Debuts whose `index`th period the charts in hand cover, and those of them still on the chart.
    public var covered: Int
    public var charting: Int
    /// The median of each charting track's streams over its debut's.
    public var medianOfDebut: Double?
    public var medianRank: Double?
}

public struct SharedArtist: Sendable, Equatable {
    public var name: String
    public var bandcampArtistID: Int64
    public var bestRank: Int
    public var chartEntries: Int
    public var regions: Int
    public var sales: Int
    public var revenueUSD: Money
}

extension DashboardQuery {
    /// The regions with charts, with how many charts each has (daily, weekly), global first.
    public func chartRegions() async throws -> [(
        region: String, daily: Int, weekly: Int, first: CalendarDay, last: CalendarDay
    )] {
        try await db.query(
            """
            SELECT region, count(*) FILTER (WHERE period = 'daily') AS daily,
                count(*) FILTER (WHERE period = 'weekly') AS weekly, min(chart_date)::text AS first,
                max(chart_date)::text AS last
            FROM chart WHERE kind = 'top200' GROUP BY region ORDER BY region <> 'global', region
            """
        ).map { row in
            func day(_ column: String) throws -> CalendarDay {
                let text: String = try row.decode(column)
                guard let day = CalendarDay(iso: text) else {
                    throw PostgresError.unexpected("'\(text)' is not a date")
                }
                return day
            }
            return (
                try row.decode("region"), try row.decode("daily"), try row.decode("weekly"), try day("first"),
                try day("last")
            )
        }
    }

    /// The leading songs (`byArtist` false) or artists of a region's charts in the scope, by streams.
    public func chartLeaders(_ scope: ChartScope, byArtist: Bool, limit: Int = 15) async throws -> [ChartLeader] {
        let (columns, joins, group): (String, String, String) =
            byArtist
            ? (
                "a.name, count(DISTINCT e.track_id)::text || ' songs' AS detail",
                "JOIN chart_track_artist ta ON ta.track_id = e.track_id JOIN chart_artist a ON a.id = ta.artist_id",
                "a.id, a.name"
            )
            : (
                """
                t.name, coalesce((SELECT string_agg(a.name, ', ' ORDER BY ta.position) FROM chart_track_artist ta
                    JOIN chart_artist a ON a.id = ta.artist_id WHERE ta.track_id = t.id), '') AS detail
                """,
                "JOIN chart_track t ON t.id = e.track_id", "t.id, t.name"
            )
        return try await db.query(
            """
            SELECT \(unescaped: columns), coalesce(sum(e.streams), 0) AS streams, min(e.rank) AS best,
                count(*) FILTER (WHERE e.rank = 1) AS at_top, count(*) AS appearances
            FROM chart c JOIN chart_entry e ON e.chart_id = c.id \(unescaped: joins)
            WHERE c.region = \(scope.region) AND c.period = \(scope.period) AND c.kind = 'top200'
                AND c.chart_date BETWEEN \(scope.from.iso)::date AND \(scope.to.iso)::date
            GROUP BY \(unescaped: group) ORDER BY 3 DESC, 4, 1 LIMIT \(limit)
            """
        ).map { row in
            ChartLeader(
                name: try row.decode("name"), detail: try row.decode("detail"), streams: try row.decode("streams"),
                bestRank: try row.decode("best"), periodsAtTop: try row.decode("at_top"),
                appearances: try row.decode("appearances"))
        }
    }

    /// Songs' debuts on a region's daily charts by weekday: a debut is a song's first day on the chart (its
    /// days on chart 1, or, where the export does not say, absent from the day before's chart in hand).
    public func debutWeekdays(_ scope: ChartScope) async throws -> [WeekdayRow] {
        let rows = try await db.query(
            """
            WITH days AS (
                SELECT c.id, c.chart_date FROM chart c
                WHERE c.region = \(scope.region) AND c.period = 'daily' AND c.kind = 'top200'
                    AND c.chart_date BETWEEN \(scope.from.iso)::date AND \(scope.to.iso)::date
            ), debuts AS (
                SELECT d.chart_date, e.rank, e.streams FROM days d JOIN chart_entry e ON e.chart_id = d.id
                WHERE e.periods_on_chart = 1 OR (e.periods_on_chart IS NULL AND e.previous_rank IS NULL
                    AND EXISTS (SELECT 1 FROM chart p WHERE p.region = \(scope.region) AND p.period = 'daily' AND p.kind = 'top200'
                        AND p.chart_date = d.chart_date - 1)
                    AND NOT EXISTS (SELECT 1 FROM chart p JOIN chart_entry pe ON pe.chart_id = p.id
                        WHERE p.region = \(scope.region) AND p.period = 'daily' AND p.kind = 'top200'
                            AND p.chart_date = d.chart_date - 1 AND pe.track_id = e.track_id))
            )
            SELECT extract(isodow FROM chart_date)::int AS weekday, count(*) AS debuts,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY rank) AS median_rank,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY streams) AS median_streams,
                count(*) FILTER (WHERE rank <= 50) AS top_fifty
            FROM debuts GROUP BY 1 ORDER BY 1
            """
        )
        var byDay: [Int: WeekdayRow] = [:]
        for row in rows {
            let day: Int = try row.decode("weekday")
            byDay[day] = WeekdayRow(
                weekday: day, debuts: try row.decode("debuts"), medianRank: try row.decode("median_rank"),
                medianStreams: try row.decode("median_streams"), topFifty: try row.decode("top_fifty"))
        }
        return (1...7).map {
            byDay[$0] ?? WeekdayRow(weekday: $0, debuts: 0, medianRank: nil, medianStreams: nil, topFifty: 0)
        }
    }

    /// How songs that debut in the scope do over their first `horizon` periods (weeks, or days): of the debuts
    /// whose nth period the charts in hand cover, how many still chart, and their streams against their debut's.
    public func firstPeriods(_ scope: ChartScope, horizon: Int = 8) async throws -> [FirstPeriodsRow] {
        let step = scope.period == "weekly" ? 7 : 1
        let rows = try await db.query(
            """
            WITH charts AS (
                SELECT c.id, c.chart_date FROM chart c
                WHERE c.region = \(scope.region) AND c.period = \(scope.period) AND c.kind = 'top200'
            ), debuts AS (
                SELECT e.track_id, c.chart_date AS debut, e.streams AS first_streams
                FROM charts c JOIN chart_entry e ON e.chart_id = c.id
                WHERE e.periods_on_chart = 1 AND c.chart_date BETWEEN \(scope.from.iso)::date AND \(scope.to.iso)::date
            ), periods AS (
                SELECT d.track_id, n, d.debut + (n - 1) * \(step)::int AS day, d.first_streams
                FROM debuts d CROSS JOIN generate_series(1, \(horizon)::int) AS n
            )
            SELECT p.n, count(*) FILTER (WHERE c.id IS NOT NULL) AS covered, count(e.track_id) AS charting,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY e.streams::float8 / nullif(p.first_streams, 0))
                    AS median_of_debut,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY e.rank) AS median_rank
            FROM periods p LEFT JOIN charts c ON c.chart_date = p.day
                LEFT JOIN chart_entry e ON e.chart_id = c.id AND e.track_id = p.track_id
            GROUP BY p.n ORDER BY p.n
            """
        )
        return try rows.map { row in
            FirstPeriodsRow(
                index: try row.decode("n"), covered: try row.decode("covered"), charting: try row.decode("charting"),
                medianOfDebut: try row.decode("median_of_debut"), medianRank: try row.decode("median_rank"))
        }
    }

    /// Artists on the charts (any region, any time) who also sell on Bandcamp under the same name, with their
    /// Bandcamp sales in the dashboard's range.
    public func sharedArtists(_ filter: DashboardFilter, limit: Int = 25) async throws -> [SharedArtist] {
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
                    round(coalesce(sum(s.amount_paid_usd), 0), 2) AS revenue
                FROM matched m LEFT JOIN sale s ON s.artist_id = m.artist_id
                    AND s.sold_at >= to_timestamp(\(filter.from.start)::float8) AND s.sold_at < to_timestamp(\(filter.to.end)::float8)
                GROUP BY 1
            )
            SELECT ca.name, sold.artist_id, charted.best, charted.entries, charted.regions, sold.sales, sold.revenue
            FROM charted JOIN sold USING (chart_artist_id) JOIN chart_artist ca ON ca.id = charted.chart_artist_id
            ORDER BY sold.sales DESC, charted.best, ca.name LIMIT \(limit)
            """
        ).map { row in
            SharedArtist(
                name: try row.decode("name"), bandcampArtistID: try row.decode("artist_id"),
                bestRank: try row.decode("best"), chartEntries: try row.decode("entries"),
                regions: try row.decode("regions"), sales: try row.decode("sales"),
                revenueUSD: try row.decode("revenue"))
        }
    }
}
