import Adapters
import Postgres
import RuntimeShim

#if canImport(Glibc)
    import Glibc
#endif

/// What Load answers.
public struct LoadResponse: Encodable, Sendable {
    public var summary: String
    public var object: LoadOutcome?
    public var sweep: SweepSummary?
    public var schemaVersion: Int?
}

/// Loads raw objects into the PostgreSQL warehouse.
public struct LoadHandler: WarehouseHandler {
    let warehouse: StoreAndWarehouse
    public var database: WarehouseDatabase { warehouse.database }

    /// The handler of a cold start, from the function's settings.
    /// - Throws: `ConfigurationError` naming every missing or malformed setting.
    public static func start(_ setup: LambdaInitContext) throws -> LoadHandler {
        LoadHandler(warehouse: try StoreAndWarehouse(setup, needs: [.loadSweep]))
    }

    public func handle(_ request: LoadRequest, context: LambdaContext) async throws -> LoadResponse {
        try await database.invocation(context) { db, deadline in
            let loader = Loader(
                store: warehouse.store, database: db, logger: context.logger,
                secondConnection: { try await database.newConnection() })
            switch request {
            case .object(let key, let etag):
                let started = ContinuousClock.now
                let outcome = try await loader.load(key: key, etag: etag)
                Self.metrics(
                    loaded: outcome.status == .loaded ? 1 : 0, failed: outcome.status == .failed ? 1 : 0,
                    sales: outcome.inserted, duplicates: outcome.duplicates, rejected: outcome.rejected,
                    since: started)
                context.logger.info(
                    "\(outcome.status.rawValue) \(key)",
                    metadata: [
                        "items": "\(outcome.items)", "inserted": "\(outcome.inserted)",
                        "duplicates": "\(outcome.duplicates)", "rejected": "\(outcome.rejected)",
                    ])
                return LoadResponse(
                    summary: "\(outcome.status.rawValue): \(key): \(outcome.inserted) new of \(outcome.items)"
                        + (outcome.reason.map { " (\($0))" } ?? ""),
                    object: outcome)
            case .sweep(let days, let scheduled):
                // Leave time to finish the object in hand: a quarter of what is left, at most a minute.
                let margin = min(Duration.seconds(60), context.remainingTime / 4)
                let started = ContinuousClock.now
                let summary = try await loader.sweep(
                    days: scheduled ? warehouse.settings.loadSweepDays : days, now: Int64(time(nil)),
                    deadline: deadline - margin
                ) { outcome, summary in
                    context.logger.info(
                        "\(outcome.status.rawValue) \(outcome.key)",
                        metadata: ["inserted": "\(outcome.inserted)", "loadedSoFar": "\(summary.loaded)"])
                }
                Self.metrics(
                    loaded: summary.loaded, failed: summary.failed, sales: summary.inserted,
                    duplicates: summary.duplicates, rejected: summary.rejected, since: started)
                return LoadResponse(
                    summary: "swept \(summary.listed) objects: \(summary.loaded) loaded (\(summary.inserted) new "
                        + "sales), \(summary.failed) failed, \(summary.skipped) already in the ledger"
                        + (summary.stoppedEarly ? "; stopped for time, the next sweep goes on" : ""),
                    sweep: summary)
            case .rebuildSummaries:
                let started = ContinuousClock.now
                let sales = try await Summaries.rebuild(db, logger: context.logger)
                return LoadResponse(
                    summary: "summaries rebuilt from \(sales) sales in \(ContinuousClock.now - started)")
            case .migrate:
                let version = try await WarehouseSchema.version(db)
                return LoadResponse(
                    summary: "schema at version \(version.map(String.init) ?? "?")", schemaVersion: version)
            }
        }
    }

    /// The run's metrics: objects loaded and failed, sales new and already stored, items rejected, its time.
    static func metrics(
        loaded: Int, failed: Int, sales: Int, duplicates: Int, rejected: Int, since: ContinuousClock.Instant
    ) {
        var metrics = RunMetrics(function: "Load")
        metrics.add("ObjectsLoaded", loaded)
        metrics.add("ObjectsFailed", failed)
        metrics.add("SalesLoaded", sales)
        metrics.add("SalesAlreadyStored", duplicates)
        metrics.add("ItemsRejected", rejected)
        metrics.addRunTime(since: since)
        metrics.emit()
    }
}
