import Adapters
import Gzip
import Logging
import Postgres
import Tracker

#if canImport(Glibc)
    import Glibc
#endif

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

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
        /// The clock, seconds since 1970: sales later than now (and a day) are not taken.
        public var now: @Sendable () -> Int64 = { Int64(time(nil)) }

        /// The values a sale may hold, as of now.
        var domain: SaleDomain { SaleDomain(now: now()) }

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
                    // Sales and tags change the summaries: one such transaction at a time.
                    return try await Summaries.writing(db) {
                        // Under the lock: a racing load of the same object has finished, or not begun.
                        if try await isLoaded(key, etag: expected.etag) {
                            return LoadOutcome(key: key, status: .alreadyLoaded, etag: expected.etag)
                        }
                        return kind == .salesfeed
                            ? try await loadWindow(key, expected, started: started)
                            : try await loadReleasePage(key, expected, started: started)
                    }
                }
            } catch let error as PostgresError
                where ["40P01", "40001"].contains(error.sqlState) && attempt < options.attempts
            {
                logger.warning("retrying after a transient conflict", metadata: ["key": "\(key)", "error": "\(error)"])
                try await Task.sleep(for: .milliseconds(50 * attempt))
            } catch let error as MalformedObject {
                return try await recordFailure(key, kind: kind, current, reason: error.description, started: started)
            } catch let error as PostgresError where error.isTheObjects {
                // A value PostgreSQL refuses (data, a constraint, a limit such as an index row's size), which
                // another attempt would refuse again: this object fails, and the sweep goes on to the next.
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
    func isLoaded(_ key: String, etag: String) async throws -> Bool {
        try await db.query(
            "SELECT 1 AS loaded FROM load_ledger WHERE object_key = \(key) AND etag = \(etag) AND status = 'loaded'"
        ).count == 1
    }
}

extension PostgresError {
    /// Whether the statement failed on the object's own values (a data exception, an integrity constraint, a
    /// program limit), not on the database being unreachable, short of resources or in conflict: such a failure
    /// is the object's, and recorded on it.
    var isTheObjects: Bool {
        guard code == .statement, let state = sqlState else { return false }
        return state.hasPrefix("22") || state.hasPrefix("23") || state.hasPrefix("54")
    }
}
