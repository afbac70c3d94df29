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

/// What loading one raw object did.
public struct LoadOutcome: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        /// Loaded now.
        case loaded
        /// Loaded before, with the same ETag: nothing done.
        case alreadyLoaded = "already-loaded"
        /// The object is malformed: recorded as failed, with the reason, in the ledger.
        case failed
        /// Not a raw object Load knows (another prefix): left alone.
        case ignored
    }

    public var key: String
    public var status: Status
    public var etag: String?
    /// Items in the object (sales), or 1 for a release page.
    public var items: Int = 0
    /// Rows new to the warehouse.
    public var inserted: Int = 0
    /// Items already in the warehouse (from an overlapping window or another object).
    public var duplicates: Int = 0
    /// Items that cannot be sales (kept in `load_reject` with the reason).
    public var rejected: Int = 0
    /// Why it failed.
    public var reason: String?
}

/// An object that cannot be loaded because of what is in it (not because of the database or the store).
public struct MalformedObject: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Loads raw objects into the warehouse, each exactly once.
///
/// A salesfeed window is streamed from the store (ranged reads, gunzip and the feed reader piece by piece) into
/// a temporary staging table with COPY, then moved into the real tables with `INSERT … ON CONFLICT DO NOTHING`,
/// in one transaction with its ledger row, under an advisory lock on its key: a crash at any point, a retry or
/// two loads racing leave every sale stored once. A malformed object is recorded in the ledger as failed, with
/// the reason, and not tried again until it changes.
public struct Loader: Sendable {
    /// Options.
    public struct Options: Sendable {
        /// Bytes read from the store at a time.
        public var readSize = 8 << 20
        /// Bytes of COPY data sent at a time (the backfill's chunks).
        public var copySize = 1 << 20
        /// Bytes of COPY data in a stage of a window: staged, then moved while the next stage is parsed.
        public var stageSize = 32 << 20
        /// Objects of at least this many (compressed) bytes have the artists and releases of each stage inserted on
        /// a second connection (when the loader has one), while the first inserts the sales of the stage before.
        public var secondConnectionFrom = 2 << 20
        /// Rejected items recorded per object (all are counted).
        public var rejectsKept = 1000
        /// Attempts when PostgreSQL aborts a transaction for a deadlock or a serialisation failure.
        public var attempts = 5

        public init() {}
    }

    let store: any ObjectStore
    let db: PostgresConnection
    let options: Options
    let logger: Logger
    let secondConnection: (@Sendable () async throws -> PostgresConnection)?

    /// A loader.
    /// - Parameter secondConnection: Opens another connection to the same database, for the artists and releases
    ///   of a large window (`Options.secondConnectionFrom`); without it, one connection does everything.
    public init(
        store: any ObjectStore, database: PostgresConnection, options: Options = Options(), logger: Logger,
        secondConnection: (@Sendable () async throws -> PostgresConnection)? = nil
    ) {
        self.store = store
        self.db = database
        self.options = options
        self.logger = logger
        self.secondConnection = secondConnection
    }

    /// Loads one raw object (a no-op when the ledger has it with this ETag).
    /// - Parameter etag: The ETag the event named, if any: saves reading an object already loaded.
    /// - Throws: `PostgresError` or `ObjectStoreError` for failures that are not the object's: the object is then
    ///   loaded by a later run (the event's retry, or the sweep).
    public func load(key: String, etag: String? = nil) async throws -> LoadOutcome {
        guard Self.kind(of: key) != nil else { return LoadOutcome(key: key, status: .ignored) }
        if let etag, try await isLoaded(key, etag: etag) {
            return LoadOutcome(key: key, status: .alreadyLoaded, etag: etag)
        }
        guard let current = try await store.head(key) else {
            throw ObjectStoreError(.notFound, location: store.location, key: key, detail: "no such object")
        }
        if try await isLoaded(key, etag: current.etag) {
            return LoadOutcome(key: key, status: .alreadyLoaded, etag: current.etag)
        }
        return try await load(current)
    }

    /// Which kind of raw object a key names: a sales window, a release page, or `nil` for none Load takes.
    static func kind(of key: String) -> ObjectKind? {
        guard key.hasSuffix(RawKeys.suffix) else { return nil }
        if key.hasPrefix(RawKeys.salesfeedPrefix) { return .salesfeed }
        if key.hasPrefix(RawKeys.releasesPrefix) { return .release }
        return nil
    }

    /// Loads a version of an object that the ledger did not have when it was described (by a HEAD or a
    /// listing); under the lock the ledger is asked again.
    func load(_ described: ObjectInfo) async throws -> LoadOutcome {
        let key = described.key
        guard let kind = Self.kind(of: key) else { return LoadOutcome(key: key, status: .ignored) }
        var current = described
        let started = ContinuousClock.now
        var attempt = 0
        while true {
            attempt += 1
            do {
                let expected = current
                return try await db.transaction { db in
                    try await db.query("SELECT pg_advisory_xact_lock(hashtextextended(\(key), 0))")
                    // Under the lock: a racing load of the same object has finished, or not begun.
                    if try await isLoaded(key, etag: expected.etag) {
                        return LoadOutcome(key: key, status: .alreadyLoaded, etag: expected.etag)
                    }
                    return kind == .salesfeed
                        ? try await loadWindow(key, expected, started: started)
                        : try await loadReleasePage(key, expected, started: started)
                }
            } catch let error as PostgresError
                where ["40P01", "40001"].contains(error.sqlState) && attempt < options.attempts
            {
                logger.warning("retrying after a transient conflict", metadata: ["key": "\(key)", "error": "\(error)"])
                try await Task.sleep(for: .milliseconds(50 * attempt))
            } catch let error as MalformedObject {
                return try await recordFailure(key, kind: kind, current, reason: error.description, started: started)
            } catch let error as PostgresError where error.sqlState?.hasPrefix("22") == true {
                // A data exception: a value PostgreSQL refuses, which another attempt would refuse again.
                return try await recordFailure(key, kind: kind, current, reason: error.description, started: started)
            } catch let error as ObjectStoreError where error.code == .changed {
                // Replaced while being read: the new version has its own event; read it now.
                logger.info("the object changed while being read; reading it again", metadata: ["key": "\(key)"])
                if attempt >= options.attempts { throw error }
                guard let newer = try await store.head(key) else {
                    throw ObjectStoreError(.notFound, location: store.location, key: key, detail: "no such object")
                }
                current = newer
            }
        }
    }

    /// Whether the ledger has this version of the object loaded.
    private func isLoaded(_ key: String, etag: String) async throws -> Bool {
        try await db.query(
            "SELECT 1 AS loaded FROM load_ledger WHERE object_key = \(key) AND etag = \(etag) AND status = 'loaded'"
        ).count == 1
    }

    // MARK: Sales windows

    private func loadWindow(_ key: String, _ expected: ObjectInfo, started: ContinuousClock.Instant) async throws
        -> LoadOutcome
    {
        try await createStaging()
        // The read is conditional on this ETag, so the ledger row can be written first (the transaction keeps it
        // unseen until the whole window is in).
        let ledgerID = try await upsertLedger(key, kind: .salesfeed, expected)
        // A large window's artists and releases are inserted (and committed) a stage at a time on a second
        // connection, while this one inserts the sales of the stage before: the two run on two cores. They are
        // facts about Bandcamp, true whatever becomes of this transaction (a rerun finds them).
        var helper: PostgresConnection?
        if expected.size >= options.secondConnectionFrom, let secondConnection {
            do {
                helper = try await secondConnection()
            } catch {
                // Slower, not wrong: this connection does it all.
                logger.warning(
                    "no second connection; loading on one", metadata: ["key": "\(key)", "error": "\(error)"])
            }
        }
        var stages = StagePipeline(loader: self, helper: helper, ledgerID: ledgerID, key: key, started: started)
        var header: SalesfeedReader.Header?
        var items = 0
        var events = 0  // read so far; also the index of the next one
        var rejected: [RejectedItem] = []
        var rejectedCount = 0
        let stageSize = options.stageSize
        let firstStageSize = max(1, min(stageSize, 4 << 20))
        let rejectsKept = options.rejectsKept
        let inflater = GzipInflater()
        var reader = SalesfeedReader()
        var text = CopyText(capacity: firstStageSize + (64 << 10))
        var rows: [SaleRow] = []
        var reported = 0
        do {
            _ = try await store.read(key, ifMatch: expected.etag, chunkSize: options.readSize) { piece in
                // A slice at a time, so that what one slice inflates to stays small.
                var start = 0
                while start < piece.count {
                    let end = min(piece.count, start + (256 << 10))
                    try inflater.inflate(Array(piece[start..<end])) { output in
                        for event in try reader.read(output) {
                            var eventRejects: [RejectedItem] = []
                            rows.removeAll(keepingCapacity: true)
                            SaleRow.collect(event, eventIndex: events, rows: &rows, rejected: &eventRejects)
                            events += 1
                            items += event.items.count
                            rejectedCount += eventRejects.count
                            rejected += eventRejects.prefix(max(0, rejectsKept - rejected.count))
                            for row in rows { row.copy(into: &text) }
                        }
                    }
                    start = end
                    // The server moves this stage while the next one is read and parsed here; the first stages are
                    // small, so that the server starts early, and each is twice the one before (the parse is
                    // several times faster than the move), up to the stage size.
                    if text.count >= min(stageSize, firstStageSize << min(stages.stages, 16)) {
                        try await stages.stage(text.take())
                    }
                    if items >= reported + 100_000 {
                        reported = items - items % 100_000
                        logger.info("staging", metadata: ["key": "\(key)", "items": "\(reported)"])
                    }
                }
            }
            try inflater.finish()
            header = try reader.finish()
            try await stages.stage(text.take())
            try await stages.finish()
        } catch {
            // A move may still be running on the connection: let it end before the transaction is rolled back.
            await stages.abandon()
            switch error {
            case let error as SalesfeedError: throw MalformedObject(description: error.description)
            case let error as GzipError: throw MalformedObject(description: "not a gzip file: \(error)")
            default: throw error
            }
        }
        guard let header else { throw MalformedObject(description: "the window was not read to its end") }
        logger.debug(
            "sales", metadata: ["key": "\(key)", "items": "\(items)", "after": "\(ContinuousClock.now - started)"])
        try await db.query("DELETE FROM load_reject WHERE ledger_id = \(ledgerID)")
        try await recordRejects(rejected, ledgerID: ledgerID)
        try await db.query(
            """
            INSERT INTO feed_window (ledger_id, start_at, end_at, events, items)
            VALUES (
                \(ledgerID), to_timestamp(\(header.startDate)), to_timestamp(\(max(header.startDate, header.endDate))),
                \(events), \(items))
            ON CONFLICT (ledger_id) DO UPDATE SET start_at = excluded.start_at, end_at = excluded.end_at,
                events = excluded.events, items = excluded.items
            """)
        var outcome = LoadOutcome(
            key: key, status: .loaded, etag: expected.etag, items: items, inserted: stages.inserted,
            duplicates: items - rejectedCount - stages.inserted, rejected: rejectedCount)
        try await finishLedger(ledgerID, &outcome, started: started)
        return outcome
    }

    /// A window's rows staged and moved a stage at a time: each stage is copied into the staging table, then
    /// moved into the real tables by the server while the loader reads and parses the next one (the parse on
    /// one core, PostgreSQL on the other), so that parsing costs no time of its own after the first stage.
    /// With a helper connection, a stage's artists and releases are inserted there while the sales of the stage
    /// before are inserted here. One stage is held in memory while another is moved, whatever the window's size.
    private struct StagePipeline {
        let loader: Loader
        let helper: PostgresConnection?
        let ledgerID: Int64
        let key: String
        let started: ContinuousClock.Instant
        private var moving: Task<Int, any Error>?
        private(set) var inserted = 0
        private(set) var stages = 0

        init(
            loader: Loader, helper: PostgresConnection?, ledgerID: Int64, key: String, started: ContinuousClock.Instant
        ) {
            self.loader = loader
            self.helper = helper
            self.ledgerID = ledgerID
            self.key = key
            self.started = started
        }

        /// Copies rows into the staging table (once the stage before has been moved) and starts moving them.
        mutating func stage(_ rows: [UInt8]) async throws {
            guard !rows.isEmpty else { return try await finish() }
            let loader = loader
            let dimensions = helper.map { helper in
                Task { try await loader.insertDimensions(of: rows, on: helper) }
            }
            do {
                try await finish()
                try await loader.db.copyIn(SaleRow.stagingCopy, chunks: [rows])
                try await dimensions?.value
            } catch {
                _ = try? await dimensions?.value
                throw error
            }
            stages += 1
            let (ledgerID, key, started, stage, helped) = (ledgerID, key, started, stages, helper != nil)
            moving = Task {
                let inserted: Int
                if helped {
                    try await loader.analyzeStaging()
                    inserted = try await loader.insertStagedSales(ledgerID: ledgerID)
                } else {
                    inserted = try await loader.moveStaged(ledgerID: ledgerID, key: key, started: started)
                }
                try await loader.db.query("TRUNCATE load_staging")
                loader.logger.debug(
                    "moved",
                    metadata: ["key": "\(key)", "stage": "\(stage)", "after": "\(ContinuousClock.now - started)"])
                return inserted
            }
        }

        /// Waits for the stage being moved.
        mutating func finish() async throws {
            guard let moving else { return }
            self.moving = nil
            inserted += try await moving.value
        }

        /// Lets a stage being moved end (the transaction is rolled back after it), whatever it did.
        mutating func abandon() async {
            _ = try? await moving?.value
            moving = nil
        }
    }

    // MARK: Staging, shared with the backfill

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
    private func insertStagedDimensions() async throws {
        // Only the new ones, in a fixed order (two loads wait for each other rather than deadlock).
        try await db.query(
            """
            INSERT INTO country (code, name)
            SELECT country_code, min(country) FROM load_staging
            WHERE country_code IS NOT NULL GROUP BY country_code ORDER BY country_code
            ON CONFLICT (code) DO NOTHING
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
            ORDER BY s.release_url COLLATE "C", s.item_type IN ('album', 'track') DESC, s.utc_date
            ON CONFLICT (url) DO NOTHING
            """)
    }

    /// The staged sales not yet stored, each tagged with the ledger row (their artists and releases are in).
    /// - Returns: Sales new to the warehouse.
    func insertStagedSales(ledgerID: Int64) async throws -> Int {
        let inserted = try await db.query(
            """
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

    // MARK: Release pages

    private func loadReleasePage(_ key: String, _ expected: ObjectInfo, started: ContinuousClock.Instant)
        async throws -> LoadOutcome
    {
        var body: [UInt8] = []
        let info = try await store.read(key, ifMatch: expected.etag, chunkSize: options.readSize) { body += $0 }
        let record: ReleasePageRecord
        do {
            record = try JSONDecoder().decode(ReleasePageRecord.self, from: Data(try Gzip.decompress(body)))
        } catch let error as GzipError {
            throw MalformedObject(description: "not a gzip file: \(error)")
        } catch {
            throw MalformedObject(description: "not a release page record: \(error)")
        }
        guard
            let url = (record.url ?? record.page?.url ?? RawKeys.releaseURL(fromKey: key)).flatMap(ReleaseURL.normalize)
        else { throw MalformedObject(description: "no release URL in the record or its key") }
        let ledgerID = try await upsertLedger(key, kind: .release, info)
        let page = record.page
        let artistPage = page?.artistPage.flatMap(ReleaseURL.normalize).map(ReleaseURL.sellerPage(of:))
        let sellerPage = artistPage ?? ReleaseURL.sellerPage(of: url)
        let artistName = page?.artist?.collapsingWhitespace() ?? ""
        let artistID = try await db.query(
            """
            WITH found AS (
                INSERT INTO artist (page_url, name) VALUES (\(sellerPage), \(artistName))
                ON CONFLICT (page_url, name) DO NOTHING RETURNING id
            )
            SELECT id FROM found UNION ALL SELECT id FROM artist WHERE page_url = \(sellerPage) AND name = \(artistName)
            """
        ).scalar(Int64.self)
        var placeID: Int64?
        if let place = page?.place {
            placeID = try await upsertTag(place)
        }
        let releaseID = try await db.query(
            """
            INSERT INTO release (url, artist_id, title, page_status, page_http_status, kind, page_title, record_label,
                album_url, release_date, location, place_tag_id, tag_source, page_read_at)
            VALUES (
                \(url), \(artistID), \(page?.title), \(record.status == "ok" ? "read" : "gone"), \(record.httpStatus),
                \(page?.kind), \(page?.title), \(page?.recordLabel), \(page?.albumURL.flatMap(ReleaseURL.normalize)),
                \(page?.releaseDate)::date, \(page?.locationLine), \(placeID), \(page?.tagSource),
                to_timestamp(\(record.fetchedAt)))
            ON CONFLICT (url) DO UPDATE SET page_status = excluded.page_status,
                page_http_status = excluded.page_http_status, kind = excluded.kind,
                page_title = excluded.page_title, title = coalesce(release.title, excluded.page_title),
                record_label = excluded.record_label, album_url = excluded.album_url,
                release_date = excluded.release_date, location = excluded.location,
                place_tag_id = excluded.place_tag_id, tag_source = excluded.tag_source,
                page_read_at = excluded.page_read_at
            WHERE release.page_read_at IS NULL OR release.page_read_at <= excluded.page_read_at
            RETURNING id
            """
        ).scalarIfPresent(Int64.self)
        if let releaseID, let page {
            // The page read now is the truth about its genres.
            try await db.query("DELETE FROM release_tag WHERE release_id = \(releaseID)")
            var seen: Set<String> = []
            for (position, genre) in page.genres.enumerated()
            where !genre.key.isEmpty && seen.insert(genre.key).inserted {
                let tagID = try await upsertTag(genre)
                try await db.query(
                    """
                    INSERT INTO release_tag (release_id, tag_id, position) VALUES (\(releaseID), \(tagID), \(position))
                    """)
            }
        }
        var outcome = LoadOutcome(
            key: key, status: .loaded, etag: info.etag, items: 1, inserted: releaseID == nil ? 0 : 1)
        outcome.duplicates = 1 - outcome.inserted
        try await finishLedger(ledgerID, &outcome, started: started)
        return outcome
    }

    private func upsertTag(_ tag: ReleasePage.Tag) async throws -> Int64 {
        try await db.query(
            """
            WITH found AS (
                INSERT INTO tag (key, name) VALUES (\(tag.key), \(tag.name.collapsingWhitespace()))
                ON CONFLICT (key) DO NOTHING RETURNING id
            )
            SELECT id FROM found UNION ALL SELECT id FROM tag WHERE key = \(tag.key)
            """
        ).scalar()
    }

    // MARK: Ledger

    private func upsertLedger(_ key: String, kind: ObjectKind, _ info: ObjectInfo) async throws -> Int64 {
        let id = try await db.query(
            """
            INSERT INTO load_ledger (object_key, kind, etag, size, status)
            VALUES (\(key), \(kind), \(info.etag), \(info.size), 'loaded')
            ON CONFLICT (object_key) DO UPDATE SET etag = excluded.etag, size = excluded.size, status = 'loaded',
                reason = NULL, attempts = load_ledger.attempts + 1, loaded_at = now()
            RETURNING id
            """
        ).scalar(Int64.self)
        return id
    }

    private func finishLedger(_ id: Int64, _ outcome: inout LoadOutcome, started: ContinuousClock.Instant)
        async throws
    {
        let elapsed = ContinuousClock.now - started
        try await db.query(
            """
            UPDATE load_ledger SET items = \(outcome.items), inserted = \(outcome.inserted),
                duplicates = \(outcome.duplicates), rejected = \(outcome.rejected), duration_ms = \(elapsed.milliseconds)
            WHERE id = \(id)
            """)
    }

    func recordFailure(
        _ key: String, kind: ObjectKind, _ info: ObjectInfo, reason: String, started: ContinuousClock.Instant
    ) async throws -> LoadOutcome {
        logger.error("cannot load a raw object", metadata: ["key": "\(key)", "reason": "\(reason)"])
        try await db.query(
            """
            INSERT INTO load_ledger (object_key, kind, etag, size, status, reason)
            VALUES (\(key), \(kind), \(info.etag), \(info.size), 'failed', \(reason))
            ON CONFLICT (object_key) DO UPDATE SET etag = excluded.etag, size = excluded.size, status = 'failed',
                reason = excluded.reason, attempts = load_ledger.attempts + 1, loaded_at = now()
            WHERE NOT (load_ledger.status = 'loaded' AND load_ledger.etag = excluded.etag)
            """)
        return LoadOutcome(key: key, status: .failed, etag: info.etag, reason: reason)
    }
}
