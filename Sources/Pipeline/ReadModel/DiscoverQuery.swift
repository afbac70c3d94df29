import Postgres
import Tracker

/// An artist, release or genre with its sales in a range and in the range of the same length before: what a
/// scout scans for who is moving.
public struct Mover: Sendable, Equatable {
    /// The artist's or release's id, or the genre's tag key.
    public var key: String
    public var name: String
    /// A second line: an artist's page host, a release's artist.
    public var detail: String?
    /// The Bandcamp page.
    public var url: String?
    /// Where the artist says they are based (their latest release page's location line).
    public var location: String?
    /// The genre the artist's (or the release's) releases are most often tagged with.
    public var genreKey: String?
    public var genreName: String?
    public var sales: Int
    public var before: Int
    public var revenueUSD: Money
    /// The day of the first sale the warehouse holds (artists and releases).
    public var firstDay: CalendarDay?

    /// The change against the range before.
    public var change: Change { Change.between(Double(before), Double(sales)) }
}

/// Who to look at: the artists, releases and genres that rose most against the range before, the artists whose
/// first sale is in the range, and the same for small artists only (fewer than N sales in the 90 days before).
extension DashboardQuery {
    /// How many days before the range a small artist's sales are counted over.
    public static let smallArtistDays = 90

    /// The artists whose sales rose most against the range before (most more sales first), at most `limit`.
    /// - Parameter smallUnder: Only artists with fewer sales than this in the 90 days before the range.
    public func artistMovers(_ filter: DashboardFilter, smallUnder: Int?, limit: Int = 50) async throws -> [Mover] {
        try await artists(filter, smallUnder: smallUnder, newOnly: false, limit: limit)
    }

    /// The artists whose first sale in the warehouse is in the range, most sales first, at most `limit`.
    public func newArtists(_ filter: DashboardFilter, smallUnder: Int?, limit: Int = 50) async throws -> [Mover] {
        try await artists(filter, smallUnder: smallUnder, newOnly: true, limit: limit)
    }

    /// The releases whose sales rose most against the range before, at most `limit`; with `smallUnder`, only
    /// small artists' releases.
    public func releaseMovers(_ filter: DashboardFilter, smallUnder: Int?, limit: Int = 50) async throws -> [Mover] {
        let artist: SQLQuery = "(SELECT r0.artist_id FROM release r0 WHERE r0.id = x.entity_id)"
        let smallArtist = smallUnder.map { small($0, filter, artist: artist) }
        let ranked = keptSmall(
            filter, kind: "rising release", under: smallUnder, newOnly: false, limit: limit,
            otherwise: ranked(
                filter, entity: "release", newOnly: false, probes: smallArtist.map { [$0.probe] } ?? [],
                sure: smallArtist?.sure, limit: limit))
        return try await db.query(
            """
            WITH ranked AS (\(ranked))
            SELECT r.id::text AS key, coalesce(r.title, r.album_title, r.url) AS name, a.name AS detail, r.url,
                r.location, g.key AS genre_key, g.name AS genre_name, x.sales, x.before, x.revenue,
                (SELECT floor(date_part('epoch', min(h.sold_at)) / 86400)::bigint FROM sale h
                    WHERE h.release_id = x.entity_id) AS first_day
            FROM ranked x JOIN release r ON r.id = x.entity_id JOIN artist a ON a.id = r.artist_id
            LEFT JOIN LATERAL (
                SELECT t.key, t.name FROM release_tag rt JOIN tag t ON t.id = rt.tag_id
                WHERE rt.release_id = r.id ORDER BY rt.position, t.key LIMIT 1
            ) g ON true
            ORDER BY \(Self.order(newOnly: false))
            """
        ).decode(Mover.self)
    }

    /// The genres whose sales rose most against the range before (a sale counts for each genre of its release).
    public func genreMovers(_ filter: DashboardFilter, limit: Int = 30) async throws -> [Mover] {
        var span = filter
        span.from = filter.previous.from
        let rows: SQLQuery
        if useSummaries, filter.genre == nil, filter.artist == nil, let genreDays = Self.genreDays(filter) {
            rows = """
                SELECT g.tag_id AS entity_id, g.day >= \(filter.from.iso)::date AS in_range, g.sales, g.revenue
                FROM \(genreDays) g WHERE \(span.days("g"))
                """
        } else if let tag = onlyGenre(filter) {
            // One genre: the genres its releases carry, from the genre's rows of the pair window of a preset
            // range up to the latest day (period 0; the range before is period 1), else from their release days.
            rows = Self.latestWindowRows(
                filter,
                window: """
                    SELECT p.other_id AS entity_id, p.period = 0 AS in_range, p.sales, p.revenue
                    FROM summary_window_genre_pair p
                    WHERE p.span = \(filter.days)::integer AND p.period IN (0, 1) AND p.tag_id = \(tag)
                    """,
                otherwise: """
                    SELECT o.tag_id AS entity_id, r.day >= \(filter.from.iso)::date AS in_range, r.sales, r.revenue
                    \(Self.genreReleaseDays(span, tag: tag, joining: "JOIN release_tag o ON o.release_id = r.release_id"))
                    """)
        } else {
            rows = """
                SELECT rt.tag_id AS entity_id, s.sold_at >= to_timestamp(\(filter.from.start)::float8) AS in_range,
                    1 AS sales, coalesce(s.amount_paid_usd, 0) AS revenue
                FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id WHERE \(span.condition)
                """
        }
        return try await db.query(
            """
            WITH x AS (\(Self.nowAndBefore(rows)))
            SELECT t.key, t.name, NULL AS detail, NULL AS url, NULL AS location, t.key AS genre_key,
                t.name AS genre_name, x.sales, x.before, x.revenue, NULL::bigint AS first_day
            FROM x JOIN tag t ON t.id = x.entity_id WHERE x.sales > x.before
            ORDER BY x.sales - x.before DESC, x.sales DESC, t.key LIMIT \(limit)
            """
        ).decode(Mover.self)
    }

    /// The first day the warehouse has a sale on, if any: what "new" and "before" can reach back to.
    public func firstSaleDay() async throws -> CalendarDay? {
        let day: Int64? = try await db.query(
            "SELECT (min(d.day) - date '1970-01-01')::bigint AS day FROM summary_day d"
        ).scalar()
        return day.map { CalendarDay(daysSinceEpoch: $0) }
    }

    /// The artists as the page lists them: rising (more sales than before) or new (no sale before the
    /// range), with their location, genre and first sale.
    private func artists(
        _ filter: DashboardFilter, smallUnder: Int?, newOnly: Bool, limit: Int
    ) async throws -> [Mover] {
        var probes: [SQLQuery] = []
        if newOnly {
            // No sale before the range: the artist's first sale, or (without the summaries) none found in `sale`.
            probes.append(
                useSummaries
                    ? """
                    (SELECT f.first_at FROM summary_first_artist f WHERE f.artist_id = x.entity_id)
                        >= to_timestamp(\(filter.from.start)::float8)
                    """
                    : """
                    (SELECT 1 FROM sale h WHERE h.artist_id = x.entity_id
                        AND h.sold_at < to_timestamp(\(filter.from.start)::float8) LIMIT 1) IS NULL
                    """)
        }
        let smallArtist = smallUnder.map { small($0, filter, artist: "x.entity_id") }
        if let smallArtist { probes.append(smallArtist.probe) }
        let ranked = keptSmall(
            filter, kind: newOnly ? "new artist" : "rising artist", under: smallUnder, newOnly: newOnly, limit: limit,
            otherwise: ranked(
                filter, entity: "artist", newOnly: newOnly, probes: probes, sure: smallArtist?.sure, limit: limit))
        return try await db.query(
            """
            WITH ranked AS (\(ranked))
            SELECT a.id::text AS key, a.name, a.page_url AS detail, a.page_url AS url, l.location,
                g.key AS genre_key, g.name AS genre_name, x.sales, x.before, x.revenue,
                (SELECT floor(date_part('epoch', min(h.sold_at)) / 86400)::bigint FROM sale h
                    WHERE h.artist_id = x.entity_id) AS first_day
            FROM ranked x JOIN artist a ON a.id = x.entity_id
            LEFT JOIN LATERAL (
                SELECT r.location FROM release r WHERE r.artist_id = a.id AND r.location IS NOT NULL
                ORDER BY r.page_read_at DESC NULLS LAST, r.id DESC LIMIT 1
            ) l ON true
            LEFT JOIN LATERAL (
                SELECT t.key, t.name FROM release r JOIN release_tag rt ON rt.release_id = r.id
                    JOIN tag t ON t.id = rt.tag_id
                WHERE r.artist_id = a.id GROUP BY t.id ORDER BY count(*) DESC, min(rt.position), t.key LIMIT 1
            ) g ON true
            ORDER BY \(Self.order(newOnly: newOnly))
            """
        ).decode(Mover.self)
    }

    /// The order of a list: rising (most more sales than before first) or new (most sales first); then revenue,
    /// then the id, so that the order is total.
    static func order(newOnly: Bool) -> SQLQuery {
        newOnly
            ? "x.sales DESC, x.revenue DESC, x.entity_id"
            : "x.sales - x.before DESC, x.sales DESC, x.revenue DESC, x.entity_id"
    }

    /// The first `limit` artists or releases (`entity`) of a list (rising, or `newOnly`) that meet every probe, as
    /// `entity_id`, `sales`, `before`, `revenue` (in no order). When a preset range ends on the latest day, they
    /// are read from its rolling window (`windowRanked`, with `sure`: see there), else ranked from the day
    /// summaries or from `sale`.
    private func ranked(
        _ filter: DashboardFilter, entity: String, newOnly: Bool, probes: [SQLQuery], sure: SQLQuery?, limit: Int
    ) -> SQLQuery {
        let condition: SQLQuery = newOnly ? "x.sales > 0" : "x.sales > x.before"
        let ranked = Self.ranked(where: condition, order: Self.order(newOnly: newOnly), probes: probes, limit: limit)
        let general: SQLQuery = "WITH x AS MATERIALIZED (\(movers(filter, entity: entity))) \(ranked)"
        guard let window = windowRows(filter, entity: entity) else { return general }
        return Self.latestWindowRows(
            filter,
            window: Self.windowRanked(
                filter, entity: entity, window: window, newOnly: newOnly, probes: probes, sure: sure, limit: limit),
            otherwise: general)
    }

    /// `otherwise` (a list's ranked rows), unless Discover's kept lists of small artists (`summary_small_list`,
    /// exact while their window is in `summary_small_kept`) answer: small artists of size `under`, the filter
    /// narrowed by days alone to a preset range up to the latest day whose lists are kept, and a list of `kind` at
    /// least `limit` long kept for it. Only the rows taken are read (the conditions are one-time filters).
    func keptSmall(
        _ filter: DashboardFilter, kind: String, under: Int?, newOnly: Bool, limit: Int, otherwise: SQLQuery
    ) -> SQLQuery {
        guard let under, onlyDays(filter) else { return otherwise }
        let kept: SQLQuery = """
            (\(filter.windowPeriod) = 0 AND EXISTS (
                SELECT FROM summary_small_size z WHERE z.under = \(under)::integer AND z.length >= \(limit)::integer
            ) AND EXISTS (SELECT FROM summary_small_kept k WHERE k.span = \(filter.days)::integer)) IS TRUE
            """
        return """
            SELECT k.* FROM (
                SELECT x.entity_id, x.sales, x.before, x.revenue FROM summary_small_list x
                WHERE x.span = \(filter.days)::integer AND x.under = \(under)::integer AND x.kind = \(kind)
                ORDER BY \(Self.order(newOnly: newOnly)) LIMIT \(limit)
            ) k WHERE \(kept)
            UNION ALL
            SELECT r.* FROM (\(otherwise)) r WHERE NOT \(kept)
            """
    }

    /// The rows of `window` when the filter's range is a preset one up to the latest day (its rolling window's
    /// period 0, the range before it period 1), else those of `otherwise`: in one statement, and only the one
    /// taken is run (the other's condition is a one-time filter).
    static func latestWindowRows(_ filter: DashboardFilter, window: SQLQuery, otherwise: SQLQuery) -> SQLQuery {
        """
        SELECT * FROM (\(window)) w WHERE \(filter.windowPeriod) = 0
        UNION ALL
        SELECT * FROM (\(otherwise)) d WHERE \(filter.windowPeriod) IS DISTINCT FROM 0
        """
    }

    /// The rolling window that holds `entity`'s rows under the filter, when one does: the site's (days alone), a
    /// buyer country's or an item type's, a genre's artists, or the site's releases of a genre's. As its table,
    /// the condition that picks the filter's rows `w` of it, and the condition that a row `b` is of the same
    /// country, type or genre as `w` (a release is its own).
    private func windowRows(_ filter: DashboardFilter, entity: String) -> WindowRows? {
        let slice = onlySlice(filter)
        if onlyDays(filter) || slice != nil {
            return WindowRows(
                table: Self.windowTable(entity, slice: slice), picks: Self.inSlice(slice, "w"),
                same: slice.map { "AND \($0.matches("b", "w"))" } ?? "")
        }
        if let tag = onlyGenre(filter) {
            return entity == "artist"
                ? WindowRows(
                    table: "summary_window_genre_artist", picks: "AND w.tag_id = \(tag)",
                    same: "AND b.tag_id = w.tag_id")
                : WindowRows(
                    // A probe of each row the ranking reads, not a join: the planner, not knowing the floor under
                    // the gains, would read all the genre's releases to find the few window rows above it.
                    table: "summary_window_release",
                    picks: """
                        AND (SELECT true FROM release_tag rt WHERE rt.release_id = w.release_id AND rt.tag_id = \(tag))
                        """,
                    same: "")
        }
        return nil
    }

    /// A rolling window table and the conditions on its rows that `windowRows` gives.
    struct WindowRows {
        let table: SQLQuery
        let picks: SQLQuery
        let same: SQLQuery
    }

    /// `ranked` from the range's rolling window (period 0; the range before is period 1) that `window` names,
    /// without a scan of every row. New artists are read down the window's ranking index (most sales first) until
    /// `limit` pass. The rising are ranked by their gain, which no index holds: but an entity gains at most its
    /// sales, so the `limit`-th gain among any entities that pass is a floor under the `limit`-th gain of all,
    /// and only the entities selling at least that floor are ranked (a handful, read by index). The floor is
    /// taken from the window's `10 × limit` best sellers that pass the probes; when fewer than `limit` of them
    /// pass and there is `sure` (a cheap condition under which the probes pass, such as a small artist's
    /// bounds), from the first `3 × limit` rising rows down the ranking that meet it: when the probes turn the
    /// best sellers away (small artists), those keep the floor above one sale, where every row would be ranked.
    static func windowRanked(
        _ filter: DashboardFilter, entity: String, window: WindowRows, newOnly: Bool, probes: [SQLQuery],
        sure: SQLQuery?, limit: Int
    ) -> SQLQuery {
        let order = order(newOnly: newOnly)
        let table = window.table
        func rows(_ condition: SQLQuery) -> SQLQuery {
            let id: SQLQuery = "\(unescaped: entity)_id"
            return """
                SELECT w.\(id) AS entity_id, w.sales, coalesce((
                    SELECT b.sales FROM \(table) b
                    WHERE b.span = w.span AND b.period = 1 AND b.\(id) = w.\(id) \(window.same)), 0)::bigint AS before,
                    round(w.revenue, 2) AS revenue
                FROM \(table) w
                WHERE w.span = \(filter.days)::integer AND w.period = 0 \(window.picks) AND \(condition)
                """
        }
        if newOnly {
            // Only the artists whose first sale is in the range can be new: read by the first sales' index.
            let first: SQLQuery = """
                w.artist_id IN (
                    SELECT f.artist_id FROM summary_first_artist f
                    WHERE f.first_at >= to_timestamp(\(filter.from.start)::float8))
                """
            return "WITH x AS (\(rows(first))) \(ranked(where: "true", order: order, probes: probes, limit: limit))"
        }
        let passing = SQLQuery.joined(["x.sales > x.before"] + probes, separator: " AND ")
        // The `limit`-th gain among `candidates` that pass, NULL when fewer pass.
        func gainFloor(among candidates: SQLQuery) -> SQLQuery {
            """
            (SELECT x.sales - x.before FROM (\(candidates)) x
                WHERE \(passing) ORDER BY x.sales - x.before DESC OFFSET \(limit - 1) LIMIT 1)
            """
        }
        var floors = [gainFloor(among: "\(rows("true")) ORDER BY w.sales DESC LIMIT \(limit * 10)")]
        if let sure {
            // Walked only when the best sellers give no floor (coalesce stops at the first value).
            floors.append(
                gainFloor(
                    among: """
                        SELECT x.* FROM (\(rows("true")) ORDER BY w.sales DESC OFFSET 0) x
                        WHERE x.sales > x.before AND \(sure) LIMIT \(limit * 3)
                        """))
        }
        let floor: SQLQuery = "(SELECT coalesce(\(SQLQuery.joined(floors + ["1"], separator: ", "))))"
        return """
            WITH x AS (\(rows("w.sales >= \(floor)")))
            \(ranked(where: "x.sales > x.before", order: order, probes: probes, limit: limit))
            """
    }

    /// The first `limit` rows of `x` (an entity's `sales`, `before`, `revenue`) in `order` that meet `where` and
    /// every probe: ranked first, then probed one at a time down the ranking until `limit` pass (the fence,
    /// `OFFSET 0`, keeps the planner from running a probe on every row, or turning it into a join over all of
    /// `sale`), so that a probe by index runs for about as many rows as are shown, not for every artist.
    static func ranked(where condition: SQLQuery, order: SQLQuery, probes: [SQLQuery], limit: Int) -> SQLQuery {
        guard !probes.isEmpty else {
            return "SELECT x.* FROM x WHERE \(condition) ORDER BY \(order) LIMIT \(limit)"
        }
        return """
            SELECT x.* FROM (SELECT x.* FROM x WHERE \(condition) ORDER BY \(order) OFFSET 0) x
            WHERE \(SQLQuery.joined(probes, separator: " AND ")) LIMIT \(limit)
            """
    }

    /// Each artist's or release's (`entity`) sales and revenue in the range and its sales in the range before, as
    /// `entity_id`, `sales`, `before`, `revenue`: from the day summaries when only days narrow the filter (or a
    /// genre: its releases' days), else from `sale`.
    private func movers(_ filter: DashboardFilter, entity: String) -> SQLQuery {
        var span = filter
        span.from = filter.previous.from
        let id: SQLQuery = "\(unescaped: entity)_id"
        let rows: SQLQuery =
            if onlyDays(filter) {
                """
                SELECT d.\(id) AS entity_id, d.day >= \(filter.from.iso)::date AS in_range, d.sales, d.revenue
                FROM summary_\(unescaped: entity)_day d WHERE \(span.days("d"))
                """
            } else if let tag = onlyGenre(filter) {
                // One genre: the release days of its releases.
                """
                SELECT r.\(id) AS entity_id, r.day >= \(filter.from.iso)::date AS in_range, r.sales, r.revenue
                \(Self.genreReleaseDays(span, tag: tag))
                """
            } else {
                """
                SELECT s.\(id) AS entity_id, s.sold_at >= to_timestamp(\(filter.from.start)::float8) AS in_range, 1 AS sales,
                    coalesce(s.amount_paid_usd, 0) AS revenue
                FROM sale s WHERE \(span.condition)
                """
            }
        return Self.nowAndBefore(rows)
    }

    /// Rows of `entity_id`, `in_range`, `sales` and `revenue` summed for each entity: its `sales` and `revenue`
    /// in the range and its sales `before`.
    static func nowAndBefore(_ rows: SQLQuery) -> SQLQuery {
        """
        SELECT r.entity_id, coalesce(sum(r.sales) FILTER (WHERE r.in_range), 0)::bigint AS sales,
            coalesce(sum(r.sales) FILTER (WHERE NOT r.in_range), 0)::bigint AS before,
            round(coalesce(sum(r.revenue) FILTER (WHERE r.in_range), 0), 2) AS revenue
        FROM (\(rows)) r GROUP BY 1
        """
    }

}

extension Mover: PostgresRowDecodable {
    /// From `key`, `name`, `detail` (a page URL is shown as its host), `url`, `location`, `genre_key`,
    /// `genre_name`, `sales`, `before`, `revenue` and `first_day` (days since 1970).
    public init(row: PostgresRow) throws {
        self.init(
            key: try row.decode("key"), name: try row.decode("name"),
            detail: try row.decode("detail", as: String?.self).map(DashboardQuery.host), url: try row.decode("url"),
            location: try row.decode("location"), genreKey: try row.decode("genre_key"),
            genreName: try row.decode("genre_name"), sales: try row.decode("sales"), before: try row.decode("before"),
            revenueUSD: try row.decode("revenue"),
            firstDay: try row.decode("first_day", as: Int64?.self).map { CalendarDay(daysSinceEpoch: $0) })
    }
}
