import Postgres
import Tracker
import Trends

/// Components' analysis of the filtered sales, and the datasets backfilled.
extension DashboardQuery {
    /// Components' analysis of the filtered sales.
    public func analysis(_ filter: DashboardFilter) async throws -> SalesAnalysis {
        if onlyDays(filter) || onlySlice(filter) != nil {
            return try await SalesAnalysis.readSummaries(db, from: filter.from, to: filter.to, slice: onlySlice(filter))
        }
        return try await SalesAnalysis.read(db, from: filter.from, to: filter.to, condition: filter.condition)
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
