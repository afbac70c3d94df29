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

    func loadWindow(_ key: String, _ expected: ObjectInfo, started: ContinuousClock.Instant) async throws
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
        var staging = WindowStaging(
            stageSize: options.stageSize, rejectsKept: options.rejectsKept, domain: options.domain)
        let inflater = GzipInflater()
        var reported = 0
        do {
            _ = try await store.read(key, ifMatch: expected.etag, chunkSize: options.readSize) { piece in
                // A slice at a time, so that what one slice inflates to stays small.
                var start = 0
                while start < piece.count {
                    let end = min(piece.count, start + (256 << 10))
                    try inflater.inflate(Array(piece[start..<end])) { try staging.read($0) }
                    start = end
                    // The server moves this stage while the next one is read and parsed here.
                    if let stage = staging.fullStage() { try await stages.stage(stage) }
                    if staging.items >= reported + 100_000 {
                        reported = staging.items - staging.items % 100_000
                        logger.info("staging", metadata: ["key": "\(key)", "items": "\(reported)"])
                    }
                }
            }
            try inflater.finish()
            header = try staging.finish()
            try await stages.stage(staging.takeStage())
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
        let (items, events, rejected, rejectedCount) = (
            staging.items, staging.events, staging.rejected, staging.rejectedCount
        )
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
    struct StagePipeline {
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
}
