import Adapters
import Logging
import Postgres
import Tracker

/// What importing one chart export did.
public struct ChartImportOutcome: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case imported
        /// Imported before with the same ETag: nothing done.
        case alreadyImported = "already-imported"
        /// Not a chart export (its reason in the ledger).
        case failed
        /// Not under `charts/` or not a `.csv`: left alone.
        case ignored
    }

    public var key: String
    public var status: Status
    public var shape: String?
    /// Charts in the file, `region/period/kind/date` each; entries in all.
    public var charts: [String] = []
    public var entries = 0
    /// Charts of those (region, period, kind, date) that were there already and were replaced.
    public var replaced = 0
    public var reason: String?
}

/// Imports Spotify's chart exports from the object store into the chart tables: a file in one transaction with
/// its ledger row; each chart replacing any earlier import of the same (region, period, kind, date).
public struct ChartImporter: Sendable {
    /// The largest file taken (Kaggle's whole collection is 3.5 GB: split it by chart first).
    public static let largestFile = 64 << 20

    let store: any ObjectStore
    let db: PostgresConnection
    let logger: Logger

    public init(store: any ObjectStore, database: PostgresConnection, logger: Logger) {
        self.store = store
        self.db = database
        self.logger = logger
    }

    /// Whether a key names a chart export: `charts/….csv`.
    public static func isChartFile(_ key: String) -> Bool {
        key.hasPrefix(RawKeys.chartsPrefix) && key.lowercased().hasSuffix(".csv")
    }

    /// Imports one export (a no-op when the ledger has this version of it).
    public func importFile(key: String) async throws -> ChartImportOutcome {
        guard Self.isChartFile(key) else { return ChartImportOutcome(key: key, status: .ignored) }
        guard let info = try await store.head(key) else {
            throw ObjectStoreError(.notFound, location: store.location, key: key, detail: "no such object")
        }
        return try await importFile(info)
    }

    /// Imports every export under `charts/` the ledger does not have in its current version.
    public func sweep(progress: (@Sendable (ChartImportOutcome) -> Void)? = nil) async throws -> [ChartImportOutcome] {
        var outcomes: [ChartImportOutcome] = []
        let objects = try await store.listAll(prefix: RawKeys.chartsPrefix).filter { Self.isChartFile($0.key) }
        var etags: [String: String] = [:]
        for row in try await db.query(
            """
            SELECT object_key, etag FROM load_ledger
            WHERE kind = \(ObjectKind.charts) AND object_key = ANY(\(objects.map(\.key))::text[])
            """)
        {
            etags[try row.decode("object_key")] = try row.decode("etag", as: String.self)
        }
        for object in objects where etags[object.key] != object.etag {
            let outcome = try await importFile(object)
            progress?(outcome)
            outcomes.append(outcome)
        }
        return outcomes
    }

    private func importFile(_ info: ObjectInfo) async throws -> ChartImportOutcome {
        let key = info.key
        let name = String(key.split(separator: "/").last ?? Substring(key))
        guard info.size <= Self.largestFile else {
            return try await fail(
                info, "the file is \(info.size) bytes, more than the \(Self.largestFile) taken: split it by chart")
        }
        var body: [UInt8] = []
        let read = try await store.read(key, ifMatch: info.etag, chunkSize: 8 << 20) { body += $0 }
        let file: ChartFile
        do {
            file = try ChartFile.parse(body, name: name)
        } catch let error as ChartFileError {
            return try await fail(read, error.description)
        }
        return try await db.transaction { db in
            try await db.query("SELECT pg_advisory_xact_lock(hashtextextended(\(key), 0))")
            let done = try await db.query(
                """
                SELECT 1 AS loaded FROM load_ledger
                WHERE object_key = \(key) AND etag = \(read.etag) AND status = \(LedgerStatus.loaded)
                """)
            if !done.isEmpty {
                return ChartImportOutcome(key: key, status: .alreadyImported, shape: file.shape.rawValue)
            }
            let entries = file.charts.reduce(0) { $0 + $1.entries.count }
            let ledger =
                try await db.query(
                    """
                    INSERT INTO load_ledger (object_key, kind, etag, size, status, items, inserted)
                    VALUES (\(key), \(ObjectKind.charts), \(read.etag), \(read.size), 'loaded', \(entries), \(entries))
                    ON CONFLICT (object_key) DO UPDATE SET kind = excluded.kind, etag = excluded.etag, size = excluded.size,
                        status = 'loaded', reason = NULL, items = excluded.items, inserted = excluded.inserted,
                        attempts = load_ledger.attempts + 1, loaded_at = now()
                    RETURNING id
                    """
                ).scalar(Int64.self)
            var outcome = ChartImportOutcome(key: key, status: .imported, shape: file.shape.rawValue)
            for chart in file.charts {
                let replaced = try await store(chart, ledgerID: ledger, shape: file.shape.rawValue, db: db)
                outcome.charts.append("\(chart.key.region)/\(chart.key.period)/\(chart.key.kind)/\(chart.key.date.iso)")
                outcome.entries += chart.entries.count
                outcome.replaced += replaced ? 1 : 0
            }
            logger.info(
                "charts imported",
                metadata: ["key": "\(key)", "charts": "\(outcome.charts.count)", "entries": "\(outcome.entries)"])
            return outcome
        }
    }

    /// Stores one chart, replacing its entries if it was imported before. Returns whether it was.
    private func store(_ chart: Chart, ledgerID: Int64, shape: String, db: PostgresConnection) async throws -> Bool {
        let entries = chart.entries
        // Tracks and artists first (only the new ones), in a fixed order.
        try await db.query(
            """
            INSERT INTO chart_track (spotify_id, name)
            SELECT DISTINCT ON (id) id, name
            FROM unnest(\(entries.map(\.trackID))::text[], \(entries.map(\.trackName))::text[]) AS t(id, name)
            ORDER BY id, name
            ON CONFLICT (spotify_id) DO NOTHING
            """)
        var artistKeys: [String] = []
        var artistNames: [String] = []
        var pairTracks: [String] = []
        var pairKeys: [String] = []
        var pairPositions: [Int64] = []
        for entry in entries {
            var seen: Set<String> = []
            for (position, name) in entry.artists.enumerated() {
                let key = name.collapsingWhitespace().lowercased()
                guard !key.isEmpty, seen.insert(key).inserted else { continue }
                artistKeys.append(key)
                artistNames.append(name.collapsingWhitespace())
                pairTracks.append(entry.trackID)
                pairKeys.append(key)
                pairPositions.append(Int64(position))
            }
        }
        try await db.query(
            """
            INSERT INTO chart_artist (key, name)
            SELECT DISTINCT ON (key) key, name FROM unnest(\(artistKeys)::text[], \(artistNames)::text[]) AS a(key, name)
            ORDER BY key, name
            ON CONFLICT (key) DO NOTHING
            """)
        try await db.query(
            """
            INSERT INTO chart_track_artist (track_id, artist_id, position)
            SELECT t.id, a.id, min(p.position)
            FROM unnest(\(pairTracks)::text[], \(pairKeys)::text[], \(pairPositions)::bigint[]) AS p(track, key, position)
            JOIN chart_track t ON t.spotify_id = p.track JOIN chart_artist a ON a.key = p.key
            GROUP BY t.id, a.id
            ON CONFLICT (track_id, artist_id) DO NOTHING
            """)
        let chartRow = try await db.query(
            """
            INSERT INTO chart (region, period, kind, chart_date, ledger_id, source_shape, entries)
            VALUES (
                \(chart.key.region), \(chart.key.period), \(chart.key.kind), \(chart.key.date.iso)::date, \(ledgerID),
                \(shape), \(entries.count))
            ON CONFLICT (region, period, kind, chart_date) DO UPDATE SET ledger_id = excluded.ledger_id,
                source_shape = excluded.source_shape, entries = excluded.entries, imported_at = now()
            RETURNING id, xmax <> 0 AS replaced
            """
        ).single()
        let chartID: Int64 = try chartRow.decode("id")
        try await db.query("DELETE FROM chart_entry WHERE chart_id = \(chartID)")
        try await db.query(
            """
            INSERT INTO chart_entry (chart_id, rank, track_id, streams, peak_rank, previous_rank, periods_on_chart, source)
            SELECT \(chartID), e.rank, t.id, e.streams, e.peak, e.previous, e.periods, e.source
            FROM unnest(
                \(entries.map(\.rank))::int[], \(entries.map(\.trackID))::text[], \(entries.map(\.streams))::bigint[],
                \(entries.map(\.peakRank))::int[], \(entries.map(\.previousRank))::int[],
                \(entries.map(\.periodsOnChart))::int[], \(entries.map(\.source))::text[])
                AS e(rank, track, streams, peak, previous, periods, source)
            JOIN chart_track t ON t.spotify_id = e.track
            """)
        return try chartRow.decode("replaced")
    }

    private func fail(_ info: ObjectInfo, _ reason: String) async throws -> ChartImportOutcome {
        logger.error("cannot import a chart export", metadata: ["key": "\(info.key)", "reason": "\(reason)"])
        try await db.query(
            """
            INSERT INTO load_ledger (object_key, kind, etag, size, status, reason)
            VALUES (\(info.key), \(ObjectKind.charts), \(info.etag), \(info.size), 'failed', \(reason))
            ON CONFLICT (object_key) DO UPDATE SET etag = excluded.etag, size = excluded.size, status = 'failed',
                reason = excluded.reason, attempts = load_ledger.attempts + 1, loaded_at = now()
            WHERE NOT (load_ledger.status = 'loaded' AND load_ledger.etag = excluded.etag)
            """)
        return ChartImportOutcome(key: info.key, status: .failed, reason: reason)
    }
}
