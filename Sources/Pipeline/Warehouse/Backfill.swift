import Adapters
import Logging
import Postgres
import Tracker

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Where a backfill stands after a run.
public struct BackfillOutcome: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        /// Every row has been loaded (now, or by an earlier run).
        case done
        /// Stopped for time after some chunks: the next run goes on from the last chunk committed.
        case inProgress = "in-progress"
        /// The file cannot be read as the dataset (its header, or its CSV): recorded in the ledger with the reason.
        case failed
        /// Not a dataset the backfill knows (another prefix or ending): left alone.
        case ignored
    }

    public var key: String
    public var status: Status
    public var etag: String?
    /// The file's size, and the offset of the first byte not yet loaded.
    public var size = 0
    public var offset = 0
    /// Data records read so far (all runs), sales new to the warehouse, rows already there, rows refused.
    public var records = 0
    public var inserted = 0
    public var duplicates = 0
    public var rejected = 0
    /// Chunks loaded by this run, and the sales they added.
    public var chunks = 0
    public var insertedNow = 0
    public var reason: String?

    /// How much of the file has been loaded, 0-100.
    public var percent: Double {
        size == 0 ? (status == .done ? 100 : 0) : Double(offset) * 100 / Double(size)
    }

    /// `percent` to a tenth, rounded down (`99.9%` until the last byte is in).
    public var percentText: String {
        let tenths = Int((percent * 10).rounded(.down))
        return "\(tenths / 10).\(tenths % 10)%"
    }
}

extension Loader {
    /// Options of a backfill.
    public struct BackfillOptions: Sendable {
        /// Rows loaded in one transaction (a run of rows with the same `utc_date` is never split).
        public var chunkRows = 50_000

        public init(chunkRows: Int = 50_000) {
            self.chunkRows = max(1, chunkRows)
        }
    }

    /// Whether a key names a dataset the backfill takes: `backfill/….csv`.
    public static func isBackfill(_ key: String) -> Bool {
        key.hasPrefix(RawKeys.backfillPrefix) && key.lowercased().hasSuffix(".csv")
    }

    /// Loads Components' CSV into the warehouse, chunk by chunk, through the same staging and the same identity
    /// as the live feed: each chunk commits its sales, its refused rows and the offset after it in one
    /// transaction, so a timeout, a crash or a second run racing it goes on where the last commit left off and
    /// never stores a sale twice. A file replaced by another version starts again from its first byte (its
    /// sales are stored once all the same).
    /// - Parameters:
    ///   - deadline: When to stop starting chunks (a Lambda's time left, less a margin); `nil` for no limit.
    ///   - progress: Told after each chunk, for a person watching.
    public func backfill(
        key: String, options: BackfillOptions = BackfillOptions(), deadline: ContinuousClock.Instant? = nil,
        progress: (@Sendable (BackfillOutcome) -> Void)? = nil
    ) async throws -> BackfillOutcome {
        guard Self.isBackfill(key) else { return BackfillOutcome(key: key, status: .ignored) }
        guard var info = try await store.head(key) else {
            throw ObjectStoreError(.notFound, location: store.location, key: key, detail: "no such object")
        }
        var chunks = 0
        var insertedNow = 0
        var attempt = 0
        while true {
            let started = ContinuousClock.now
            var step: ChunkResult
            do {
                step = try await backfillChunk(info, options: options, started: started)
                attempt = 0
            } catch let error as PostgresError
                where ["40P01", "40001"].contains(error.sqlState) && attempt < 5
            {
                attempt += 1
                logger.warning("retrying after a transient conflict", metadata: ["key": "\(key)", "error": "\(error)"])
                try await Task.sleep(for: .milliseconds(50 * attempt))
                continue
            } catch let error as MalformedObject {
                let failed = try await recordFailure(
                    key, kind: .components, info, reason: error.description, started: started)
                var outcome = try await backfillState(key, info) ?? BackfillOutcome(key: key, status: .failed)
                outcome.status = .failed
                outcome.reason = failed.reason
                outcome.chunks = chunks
                outcome.insertedNow = insertedNow
                return outcome
            } catch let error as ObjectStoreError where error.code == .changed {
                attempt += 1
                if attempt >= 5 { throw error }
                logger.info(
                    "the file changed while being read; starting on its new version", metadata: ["key": "\(key)"])
                guard let newer = try await store.head(key) else {
                    throw ObjectStoreError(.notFound, location: store.location, key: key, detail: "no such object")
                }
                info = newer
                continue
            }
            chunks += step.loadedChunk ? 1 : 0
            insertedNow += step.inserted
            step.outcome.chunks = chunks
            step.outcome.insertedNow = insertedNow
            if step.loadedChunk { progress?(step.outcome) }
            if step.outcome.status != .inProgress { return step.outcome }
            if let deadline {
                // Another chunk only if one like the last would finish well before the deadline.
                let elapsed = ContinuousClock.now - started
                if ContinuousClock.now + elapsed * 2 >= deadline { return step.outcome }
            }
        }
    }

    /// Goes on with every dataset under `backfill/` that is not yet loaded (the scheduled run), until done or out
    /// of time.
    public func continueBackfills(
        options: BackfillOptions = BackfillOptions(), deadline: ContinuousClock.Instant? = nil,
        progress: (@Sendable (BackfillOutcome) -> Void)? = nil
    ) async throws -> [BackfillOutcome] {
        var outcomes: [BackfillOutcome] = []
        for object in try await store.listAll(prefix: RawKeys.backfillPrefix) where Self.isBackfill(object.key) {
            if let deadline, ContinuousClock.now >= deadline { break }
            if let state = try await backfillState(object.key, object), state.status != .inProgress {
                continue
            }
            outcomes.append(
                try await backfill(key: object.key, options: options, deadline: deadline, progress: progress))
            if outcomes.last?.status == .inProgress { break }
        }
        return outcomes
    }

    /// What the ledger says of a dataset's version: `nil` when it has not been started (or was another version).
    public func backfillState(_ key: String, _ info: ObjectInfo) async throws -> BackfillOutcome? {
        try await progress(key, info)?.outcome
    }

    /// A backfill's ledger row and, while it is loading, where its next chunk starts.
    private struct Progress: Sendable {
        var outcome: BackfillOutcome
        var ledgerID: Int64
        /// Whether it has a progress row (it is being loaded, not only recorded as failed).
        var started: Bool
        var header: [String]?
        var records: Int
    }

    /// The ledger's and the progress's rows of a dataset's version, in one query.
    private func progress(_ key: String, _ info: ObjectInfo) async throws -> Progress? {
        let result = try await db.query(
            """
            SELECT l.status, l.reason, l.items, l.inserted, l.duplicates, l.rejected,
                coalesce(p.next_offset, 0) AS next_offset, l.id, p.ledger_id IS NOT NULL AS started, p.header,
                coalesce(p.records, 0) AS records
            FROM load_ledger l LEFT JOIN backfill_progress p ON p.ledger_id = l.id
            WHERE l.object_key = \(key) AND l.etag = \(info.etag) AND l.kind = 'components'
            """)
        guard let row = result.first else { return nil }
        let status: BackfillOutcome.Status =
            switch try row.decode("status", as: LedgerStatus.self) {
            case .loaded: .done
            case .failed: .failed
            case .loading: .inProgress
            }
        return Progress(
            outcome: BackfillOutcome(
                key: key, status: status, etag: info.etag, size: info.size,
                offset: status == .done ? info.size : try row.decode("next_offset"), records: try row.decode("items"),
                inserted: try row.decode("inserted"), duplicates: try row.decode("duplicates"),
                rejected: try row.decode("rejected"), reason: try row.decode("reason")),
            ledgerID: try row.decode("id"), started: try row.decode("started"), header: try row.decode("header"),
            records: try row.decode("records"))
    }

    private struct ChunkResult: Sendable {
        var outcome: BackfillOutcome
        var loadedChunk: Bool
        var inserted: Int
    }

    /// Stops reading once a chunk has enough rows.
    private struct EnoughRows: Error {}

    /// Loads the next chunk of a dataset in one transaction.
    private func backfillChunk(_ info: ObjectInfo, options: BackfillOptions, started: ContinuousClock.Instant)
        async throws -> ChunkResult
    {
        let key = info.key
        return try await db.transaction { db in
            try await db.query("SELECT pg_advisory_xact_lock(hashtextextended(\(key), 0))")
            return try await Summaries.writing(db) {
                // Under the lock: where the last committed chunk left off.
                let current = try await progress(key, info)
                if let current, current.outcome.status != .inProgress {
                    return ChunkResult(outcome: current.outcome, loadedChunk: false, inserted: 0)
                }
                let ledgerID: Int64
                let offset: Int
                var header: [String]?
                let recordsBefore: Int
                if let current, current.started {
                    ledgerID = current.ledgerID
                    offset = current.outcome.offset
                    header = current.header
                    recordsBefore = current.records
                } else {
                    ledgerID = try await startBackfill(info)
                    offset = 0
                    recordsBefore = 0
                }
                let staged = try await stageChunk(
                    info, from: offset, header: header, recordNumber: recordsBefore, chunkRows: options.chunkRows)
                if header == nil { header = staged.header }
                let inserted =
                    staged.rows > 0 ? try await moveStaged(ledgerID: ledgerID, key: key, started: started) : 0
                let kept =
                    try await db.query("SELECT count(*) FROM load_reject WHERE ledger_id = \(ledgerID)").scalar(
                        Int.self)
                try await recordRejects(
                    Array(staged.rejected.prefix(max(0, self.options.rejectsKept - kept))), ledgerID: ledgerID)
                let rejected = staged.rejectedCount
                let duplicates = staged.records - rejected - inserted
                if staged.rows > 0 {
                    // The span the dataset covers, as a window of the feed (the report's and dashboard's coverage).
                    try await db.query(
                        """
                        INSERT INTO feed_window (ledger_id, start_at, end_at, events, items)
                        SELECT \(ledgerID), to_timestamp(min(utc_date)::double precision),
                            to_timestamp(max(utc_date)::double precision), count(*), count(*)
                        FROM load_staging
                        ON CONFLICT (ledger_id) DO UPDATE SET start_at = least(feed_window.start_at, excluded.start_at),
                            end_at = greatest(feed_window.end_at, excluded.end_at),
                            events = feed_window.events + excluded.events, items = feed_window.items + excluded.items
                        """)
                }
                try await db.query(
                    """
                    UPDATE backfill_progress SET next_offset = \(staged.nextOffset), header = \(header)::text[],
                        records = records + \(staged.records), chunks = chunks + 1, updated_at = now(),
                        finished_at = CASE WHEN \(staged.finished) THEN now() END,
                        first_sale_at = least(first_sale_at, (SELECT to_timestamp(min(utc_date)::double precision) FROM load_staging)),
                        last_sale_at = greatest(last_sale_at, (SELECT to_timestamp(max(utc_date)::double precision) FROM load_staging))
                    WHERE ledger_id = \(ledgerID)
                    """)
                let elapsed = ContinuousClock.now - started
                try await db.query(
                    """
                    UPDATE load_ledger SET items = items + \(staged.records), inserted = inserted + \(inserted),
                        duplicates = duplicates + \(duplicates), rejected = rejected + \(rejected),
                        status = CASE WHEN \(staged.finished) THEN 'loaded' ELSE 'loading' END,
                        duration_ms = duration_ms + \(elapsed.milliseconds), loaded_at = now()
                    WHERE id = \(ledgerID)
                    """)
                guard var outcome = try await backfillState(key, info) else {
                    throw PostgresError.unexpected("the ledger lost the backfill of \(key)")
                }
                if !staged.finished { outcome.offset = staged.nextOffset }
                logger.info(
                    "backfill chunk",
                    metadata: [
                        "key": "\(key)", "records": "\(staged.records)", "inserted": "\(inserted)",
                        "rejected": "\(rejected)", "offset": "\(staged.nextOffset)", "of": "\(info.size)",
                    ])
                return ChunkResult(outcome: outcome, loadedChunk: true, inserted: inserted)
            }
        }
    }

    /// Starts (or starts again, for another version of the file) a backfill's ledger row and progress.
    private func startBackfill(_ info: ObjectInfo) async throws -> Int64 {
        let id = try await db.query(
            """
            INSERT INTO load_ledger (object_key, kind, etag, size, status)
            VALUES (\(info.key), 'components', \(info.etag), \(info.size), 'loading')
            ON CONFLICT (object_key) DO UPDATE SET kind = 'components', etag = excluded.etag, size = excluded.size,
                status = 'loading', reason = NULL, items = 0, inserted = 0, duplicates = 0, rejected = 0,
                attempts = load_ledger.attempts + 1, loaded_at = now(), duration_ms = 0
            RETURNING id
            """
        ).scalar(Int64.self)
        try await db.query("DELETE FROM load_reject WHERE ledger_id = \(id)")
        try await db.query("DELETE FROM feed_window WHERE ledger_id = \(id)")
        try await db.query(
            """
            INSERT INTO backfill_progress (ledger_id) VALUES (\(id))
            ON CONFLICT (ledger_id) DO UPDATE SET header = NULL, next_offset = 0, records = 0, chunks = 0,
                first_sale_at = NULL, last_sale_at = NULL, started_at = now(), updated_at = now(), finished_at = NULL
            """)
        logger.info("backfill started", metadata: ["key": "\(info.key)", "size": "\(info.size)"])
        return id
    }

    private struct StagedChunk: Sendable {
        var header: [String]?
        /// Data records read, rows staged, rows refused (all counted; the first ones kept).
        var records = 0
        var rows = 0
        var rejectedCount = 0
        var rejected: [RejectedItem] = []
        var nextOffset: Int
        var finished = false
    }

    /// Reads records from `offset` into the staging table until at least `chunkRows` rows are staged and a run of
    /// rows with the same `utc_date` ends (or the file does).
    private func stageChunk(
        _ info: ObjectInfo, from offset: Int, header: [String]?, recordNumber: Int, chunkRows: Int
    ) async throws -> StagedChunk {
        try await createStaging()
        var chunk = StagedChunk(header: header, nextOffset: offset)
        let copySize = options.copySize
        let rejectsKept = options.rejectsKept
        try await db.copyIn(
            SaleRow.stagingCopy
        ) { writer in
            var reader = CSVReader(startingAt: offset)
            let domain = options.domain
            var rows: ComponentsRows? = try header.map { try ComponentsRows(header: $0, domain: domain) }
            var text = CopyText(capacity: copySize + (64 << 10))
            // The run being read: committed to the chunk only once the next one starts.
            var run = CopyText(capacity: 64 << 10)
            var runRows = 0
            var runRecords = 0
            var runRejects: [RejectedItem] = []
            var number = recordNumber
            func commitRun(nextOffset: Int) {
                text.append(run)
                run = CopyText(capacity: 64 << 10)
                chunk.rows += runRows
                chunk.records += runRecords
                chunk.rejectedCount += runRejects.count
                chunk.rejected += runRejects.prefix(max(0, rejectsKept - chunk.rejected.count))
                chunk.nextOffset = nextOffset
                runRows = 0
                runRecords = 0
                runRejects.removeAll()
            }
            func take(_ record: CSVReader.Record) throws {
                guard var reading = rows else {
                    rows = try ComponentsRows(header: record.fields, domain: domain)
                    chunk.header = rows?.header
                    chunk.nextOffset = record.end
                    return
                }
                if reading.startsRun(record.fields) {
                    commitRun(nextOffset: record.start)
                    if chunk.rows >= chunkRows {
                        rows = reading
                        throw EnoughRows()
                    }
                }
                number += 1
                runRecords += 1
                switch reading.row(record.fields) {
                case .success(let row):
                    row.copy(into: &run)
                    runRows += 1
                case .failure(let problem):
                    runRejects.append(RejectedItem(event: number, item: 0, reason: "row \(number): \(problem)"))
                }
                rows = reading
            }
            do {
                _ = try await store.read(info.key, ifMatch: info.etag, from: offset, chunkSize: options.readSize) {
                    piece in
                    var start = 0
                    while start < piece.count {
                        let end = min(piece.count, start + (256 << 10))
                        for record in try reader.read(piece[start..<end]) { try take(record) }
                        start = end
                        if text.count >= copySize { try await writer.send(text.take()) }
                    }
                }
                if let last = try reader.finish() { try take(last) }
                guard rows != nil else { throw ComponentsDatasetError("the file is empty: no header line") }
                commitRun(nextOffset: reader.position)
                chunk.finished = true
            } catch is EnoughRows {
                // The chunk is full; the rest is the next chunk's.
            } catch let error as CSVError {
                throw MalformedObject(description: error.description)
            } catch let error as ComponentsDatasetError {
                throw MalformedObject(description: error.description)
            }
            try await writer.send(text.take())
        }
        return chunk
    }
}
