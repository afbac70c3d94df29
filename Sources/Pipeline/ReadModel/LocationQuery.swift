import Postgres
import Tracker

/// The sales of the releases whose page gives one location line ("Leeds, UK"): where their artists say they are.
public struct LocationSales: Sendable, Equatable {
    public var location: String
    public var sales: Int
    /// Sellers of those releases with sales in the range.
    public var artists: Int
    public var revenueUSD: Money

    public init(location: String, sales: Int, artists: Int, revenueUSD: Money) {
        self.location = location
        self.sales = sales
        self.artists = artists
        self.revenueUSD = revenueUSD
    }
}

extension DashboardQuery {
    /// Sales by the location line of the release sold, most first (at most `limit` lines): from the rolling
    /// window of a preset range (a row a line and seller), from the day summaries by release when only other days
    /// narrow the filter, else from `sale`.
    public func locations(_ filter: DashboardFilter, limit: Int = 5000) async throws -> [LocationSales] {
        let rows: SQLQuery =
            onlyDays(filter)
            ? Self.windowedRows(
                filter,
                window: """
                    SELECT p.location, sum(p.sales)::bigint AS sales, count(*) AS artists,
                        round(sum(p.revenue), 2) AS revenue
                    FROM summary_window_place p WHERE \(Self.inWindow(filter, "p")) GROUP BY 1
                    """,
                days: """
                    SELECT r.location, sum(d.sales)::bigint AS sales, count(DISTINCT d.artist_id) AS artists,
                        round(sum(d.revenue), 2) AS revenue
                    FROM summary_release_day d JOIN release r ON r.id = d.release_id
                    WHERE \(filter.days("d")) AND r.location <> '' GROUP BY 1
                    """)
            : """
            SELECT r.location, count(*) AS sales, count(DISTINCT s.artist_id) AS artists,
                round(coalesce(sum(s.amount_paid_usd), 0), 2) AS revenue
            FROM sale s JOIN release r ON r.id = s.release_id
            WHERE \(filter.condition) AND r.location <> '' GROUP BY 1
            """
        return try await db.query("SELECT * FROM (\(rows)) x ORDER BY x.sales DESC, x.location LIMIT \(limit)").map {
            LocationSales(
                location: try $0.decode("location"), sales: try $0.decode("sales"), artists: try $0.decode("artists"),
                revenueUSD: try $0.decode("revenue"))
        }
    }
}
