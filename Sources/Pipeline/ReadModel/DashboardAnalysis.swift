import Postgres
import Tracker
import Trends

/// Components' analysis of the filtered sales, and the datasets backfilled.
extension DashboardQuery {
    /// Components' analysis of the filtered sales (with `useSummaries` false, from `sale` by the reference's
    /// eight statements).
    public func analysis(_ filter: DashboardFilter) async throws -> SalesAnalysis {
        guard useSummaries else {
            return try await SalesAnalysis.read(db, from: filter.from, to: filter.to, condition: filter.condition)
        }
        // A range, or one country's or item type's, from the summaries; one genre's from the genre summaries; any
        // other filter from its sales, read once.
        let slice = onlySlice(filter)
        let source: SalesAnalysisSource =
            if onlyDays(filter) || slice != nil {
                .summaries(from: filter.from, to: filter.to, slice: slice)
            } else if let tag = onlyGenre(filter) {
                .genre(filter, tag: tag)
            } else {
                .sales(filter.condition)
            }
        return try await SalesAnalysis.read(db, from: filter.from, to: filter.to, source: source)
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
