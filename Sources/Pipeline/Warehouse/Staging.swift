import Adapters
import Gzip
import Logging
import Postgres
import Tracker

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension Loader {

    /// A temporary staging table for sale rows, dropped at the end of the transaction.
    func createStaging() async throws {
        // Sorts and hash joins over a large window in memory, not in temporary files (this transaction only).
        try await db.query("SET LOCAL work_mem = '128MB'")
        try await db.query(
            """
            CREATE TEMPORARY TABLE load_staging (
                sale_key text, utc_date numeric, release_url text, artist_page text, artist_name text,
                item_type text, item_description text, album_title text, image_url text, currency text,
                amount_paid numeric, item_price numeric, amount_paid_usd numeric, country_code text, country text,
                additional_count integer
            ) ON COMMIT DROP
            """)
    }

    /// Moves the staged rows into the real tables: the countries, sellers and releases not yet known, then the
    /// sales not yet stored (`ON CONFLICT DO NOTHING` on their keys), each tagged with the ledger row.
    /// - Returns: Sales new to the warehouse.
    func moveStaged(ledgerID: Int64, key: String, started: ContinuousClock.Instant) async throws -> Int {
        try await analyzeStaging()
        try await insertStagedDimensions()
        logger.debug("dimensions", metadata: ["key": "\(key)", "after": "\(ContinuousClock.now - started)"])
        return try await insertStagedSales(ledgerID: ledgerID)
    }

    /// Statistics on what the joins and groupings use, so that the planner joins a large stage by hashing rather
    /// than row by row (a sample of the table: its cost hardly grows with the stage).
    func analyzeStaging() async throws {
        try await db.query("ANALYZE load_staging (release_url, artist_page, artist_name, country_code)")
    }

    /// Inserts the artists and releases (and countries) of staged rows on another connection, in a transaction
    /// of its own with a staging table of its own, committed at once.
    func insertDimensions(of rows: [UInt8], on other: PostgresConnection) async throws {
        let helper = Loader(store: store, database: other, options: options, logger: logger)
        try await other.transaction { other in
            try await helper.createStaging()
            try await other.copyIn(SaleRow.stagingCopy, chunks: [rows])
            try await helper.analyzeStaging()
            try await helper.insertStagedDimensions()
        }
    }

    /// The countries, sellers and releases of the staged rows that are not yet known.
    func insertStagedDimensions() async throws {
        // Only the new ones, in a fixed order (two loads wait for each other rather than deadlock).
        try await db.query(
            """
            INSERT INTO country (code, name)
            SELECT country_code, min(country) FROM load_staging
            WHERE country_code IS NOT NULL GROUP BY country_code ORDER BY country_code
            ON CONFLICT (code) DO NOTHING
            """)
        // A name stored before countries were named by the standard (the feed's "C2" for China) is put right, once:
        // only rows whose name differs are touched (and locked).
        try await db.query(
            """
            UPDATE country c SET name = s.name
            FROM (SELECT country_code, min(country) AS name FROM load_staging WHERE country_code IS NOT NULL
                GROUP BY country_code) s
            WHERE c.code = s.country_code AND c.name IS DISTINCT FROM s.name
            """)
        try await db.query(
            """
            INSERT INTO artist (page_url, name)
            SELECT DISTINCT artist_page COLLATE "C", artist_name COLLATE "C" FROM load_staging ORDER BY 1, 2
            ON CONFLICT (page_url, name) DO NOTHING
            """)
        try await db.query(
            """
            INSERT INTO release (url, artist_id, title, album_title, image_url)
            SELECT DISTINCT ON (s.release_url COLLATE "C") s.release_url, a.id,
                CASE WHEN s.item_type IN ('album', 'track') THEN s.item_description
                     WHEN s.item_type = 'physical' THEN s.album_title END,
                CASE WHEN s.item_type = 'track' THEN s.album_title END,
                s.image_url
            FROM load_staging s JOIN artist a ON a.page_url = s.artist_page AND a.name = s.artist_name
            -- Releases already known are left before the sort (most of a stage's, after the first).
            WHERE NOT EXISTS (SELECT FROM release r WHERE r.url = s.release_url)
            ORDER BY s.release_url COLLATE "C", s.item_type IN ('album', 'track') DESC, s.utc_date
            ON CONFLICT (url) DO NOTHING
            """)
    }

    /// The staged sales not yet stored, each tagged with the ledger row (their artists and releases are in),
    /// and collected in `sale_delta` for the summaries (`Summaries.writing` adds them when the load ends).
    /// - Returns: Sales new to the warehouse.
    func insertStagedSales(ledgerID: Int64) async throws -> Int {
        try await Summaries.collectDelta(db)
        let inserted = try await db.query(
            """
            WITH new AS (
            INSERT INTO sale (
                sale_key, sold_at, utc_date, release_id, artist_id, item_type, item_description, currency,
                amount_paid, price_asked, amount_paid_usd, price_asked_usd, overpaid_usd, paid_to_price_ratio,
                buyer_country_code, additional_count, ledger_id)
            SELECT decode(s.sale_key, 'hex'), to_timestamp(s.utc_date::double precision), s.utc_date, r.id, a.id,
                s.item_type::item_type, s.item_description, s.currency, s.amount_paid, m.asked, s.amount_paid_usd,
                m.asked_usd, CASE WHEN s.amount_paid_usd IS NOT NULL AND m.asked_usd IS NOT NULL
                    THEN round(greatest(0, s.amount_paid_usd - m.asked_usd), 6) END,
                round(s.amount_paid / nullif(m.asked, 0), 6), s.country_code, s.additional_count, \(ledgerID)
            FROM load_staging s
            -- What was asked for all that was bought: item_price is already the total when more tracks were
            -- bought with this one (addl_count; in real items it equals what was paid for them), and in USD at the
            -- rate the feed's own USD amount implies (a free item's price is 0 in any currency).
            CROSS JOIN LATERAL (
                SELECT s.item_price AS asked,
                    round(CASE WHEN s.amount_paid > 0 THEN s.item_price * s.amount_paid_usd / s.amount_paid
                               WHEN s.item_price = 0 THEN 0 END, 6) AS asked_usd
            ) m
            JOIN release r ON r.url = s.release_url
            JOIN artist a ON a.page_url = s.artist_page AND a.name = s.artist_name
            ON CONFLICT (sale_key) DO NOTHING
            RETURNING \(Summaries.deltaColumns)
            )
            INSERT INTO sale_delta SELECT * FROM new
            """
        ).affected
        return inserted
    }

    /// Records items that could not be sales, with the reason, beside the object's ledger row.
    func recordRejects(_ rejected: [RejectedItem], ledgerID: Int64) async throws {
        for reject in rejected {
            try await db.query(
                """
                INSERT INTO load_reject (ledger_id, event_index, item_index, reason)
                VALUES (\(ledgerID), \(reject.event), \(reject.item), \(reject.reason))
                ON CONFLICT DO NOTHING
                """)
        }
    }
}
