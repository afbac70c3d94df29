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

    func upsertLedger(_ key: String, kind: ObjectKind, _ info: ObjectInfo) async throws -> Int64 {
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

    func finishLedger(_ id: Int64, _ outcome: inout LoadOutcome, started: ContinuousClock.Instant)
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
