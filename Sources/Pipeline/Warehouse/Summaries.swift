import Logging
import Postgres
import Tracker

/// The summaries the read side answers from (migrations 7's and 8's `summary_*` tables), kept exact by the transactions
/// that write sales or release tags: each takes `summary_lock()` first, so they follow one another and each adds
/// what it changed to the summaries in the same transaction. A retry, an overlap, a race or a kill therefore
/// counts a sale once, or not at all until its transaction commits.
public enum Summaries {
    /// The columns of the temporary table `sale_delta` that `summary_add()` reads, from a row of `sale`.
    static let deltaColumns: SQLQuery = """
        sold_at, release_id, artist_id, buyer_country_code, item_type, amount_paid_usd, price_asked_usd,
        overpaid_usd, paid_to_price_ratio, currency, amount_paid, price_asked, item_description
        """

    /// Runs `body`, a transaction's writing of sales or tags: first waits until no other such transaction is
    /// running (the lock is held until this one ends), collects the sales it inserts in `sale_delta`, and last
    /// adds them to every summary and to the rolling windows.
    public static func writing<T>(_ db: PostgresConnection, _ body: () async throws -> T) async throws -> T {
        try await db.query("SELECT summary_lock()")
        try await collectDelta(db)
        let result = try await body()
        try await addDelta(db)
        try await db.query("SELECT summary_add_windows()")
        return result
    }

    /// The temporary table `sale_delta` of this transaction, created if it is not there yet: the sales the
    /// transaction inserts are collected in it (`INSERT … RETURNING`) until `addDelta`.
    public static func collectDelta(_ db: PostgresConnection) async throws {
        try await db.query(
            """
            CREATE TEMPORARY TABLE IF NOT EXISTS sale_delta (
                sold_at timestamptz, release_id bigint, artist_id bigint, country char(2), item_type item_type,
                paid numeric, asked numeric, overpaid numeric, ratio numeric, currency char(3), paid_local numeric,
                asked_local numeric, description text
            ) ON COMMIT DROP
            """)
    }

    /// Adds the sales collected in `sale_delta` to every summary, and empties it. A load adds its stages' sales
    /// once, at its end: a release or an artist that sells in every stage of a large window is then upserted
    /// once rather than once a stage (a million sales in eleven stages: 9.1 s instead of 14.0 s).
    public static func addDelta(_ db: PostgresConnection) async throws {
        try await collectDelta(db)
        try await db.query(
            """
            SELECT summary_add(), summary_add_last(), summary_add_first() WHERE EXISTS (SELECT FROM sale_delta)
            """)
        try await db.query("TRUNCATE sale_delta")
    }

    /// Moves a release's sales from the genres and location line it had to those it has after `change` (its page
    /// read for the first time, or again with other tags or another line).
    static func retag(_ releaseID: Int64, _ db: PostgresConnection, change: () async throws -> Void) async throws {
        // The sales collected so far first, by the tags they were sold under; sale_delta is then empty.
        try await addDelta(db)
        let sales = try await db.query(
            "INSERT INTO sale_delta SELECT \(deltaColumns) FROM sale WHERE release_id = \(releaseID)"
        ).affected
        if sales > 0 {
            try await db.query(
                """
                SELECT summary_add_genres(-1), summary_add_window_genres(-1), summary_retag_last(-1),
                    summary_add_window_places(-1)
                """)
        }
        try await change()
        if sales > 0 {
            try await db.query(
                """
                SELECT summary_add_genres(1), summary_add_window_genres(1), summary_retag_last(1),
                    summary_add_window_places(1)
                """)
        }
        try await db.query("TRUNCATE sale_delta")
    }

    /// Every summary worked out again from `sale`, a month of sales at a time, in one transaction (readers see
    /// the old summaries until it commits).
    /// - Returns: The sales counted.
    public static func rebuild(_ db: PostgresConnection, logger: Logger) async throws -> Int {
        try await db.transaction { db in
            let total = try await writing(db) { try await rebuildMonths(db, logger: logger) }
            // Discover's small-artist lists, which a transaction of so many sales leaves to be built.
            try await db.query("SELECT summary_small_build_dropped()")
            return total
        }
    }

    /// Empties the summaries and adds every month of `sale` again.
    private static func rebuildMonths(_ db: PostgresConnection, logger: Logger) async throws -> Int {
        try await db.query(
            """
            TRUNCATE summary_day, summary_hour, summary_artist_day, summary_release_day, summary_amount_day,
                summary_genre_day, summary_genre_hour, summary_genre_country_day, summary_genre_type_day,
                summary_genre_amount_day, summary_analysis_day, summary_ratio_day, summary_ratio_slice_day,
                summary_window_release, summary_window_artist, summary_window_genre_artist, summary_window_place,
                summary_window_country_artist, summary_window_country_release, summary_window_country_amount,
                summary_window_type_artist, summary_window_type_release, summary_window_type_amount,
                summary_window_genre_pair, summary_first_artist, summary_last_release, summary_last_artist_country,
                summary_last_genre_artist, summary_last_genre_country, summary_genre_analysis_day,
                summary_genre_analysis_country_day, summary_genre_ratio_day, summary_window_genre_pair_country,
                summary_window_genre_artist_release, summary_small_kept, summary_small_before, summary_small_list
            """)
        try await db.query("UPDATE summary_window SET ends = NULL")
        try await db.query("SET LOCAL work_mem = '128MB'")
        let months: [String] = try await db.query(
            """
            SELECT DISTINCT to_char(sold_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month FROM sale ORDER BY 1
            """
        ).map { try $0.decode("month") }
        try await collectDelta(db)
        var total = 0
        for (index, month) in months.enumerated() {
            let first: SQLQuery = "(\(month) || '-01')::date"
            let sales = try await db.query(
                """
                INSERT INTO sale_delta SELECT \(deltaColumns) FROM sale
                WHERE sold_at >= \(first)::timestamp AT TIME ZONE 'UTC'
                    AND sold_at < (\(first) + interval '1 month')::timestamp AT TIME ZONE 'UTC'
                """
            ).affected
            try await addDelta(db)
            total += sales
            logger.info(
                "summaries rebuilt",
                metadata: ["month": "\(month)", "sales": "\(sales)", "done": "\(index + 1)/\(months.count)"])
        }
        return total
    }
}
