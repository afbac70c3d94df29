import Adapters
import RuntimeShim

/// What the backfill answers.
public struct BackfillResponse: Encodable, Sendable {
    public var summary: String
    public var datasets: [BackfillOutcome]
}

/// Loads Components' dataset (and any CSV of its shape under `backfill/`) into the warehouse.
public struct BackfillHandler: WarehouseHandler {
    let warehouse: StoreAndWarehouse
    public var database: WarehouseDatabase { warehouse.database }
    /// Rows a chunk commits at a time, unless the request says.
    var chunkRows: Int { warehouse.settings.backfillChunkRows }

    /// The handler of a cold start, from the function's settings.
    /// - Throws: `ConfigurationError` naming every missing or malformed setting.
    public static func start(_ setup: LambdaInitContext) throws -> BackfillHandler {
        BackfillHandler(warehouse: try StoreAndWarehouse(setup, needs: [.backfill]))
    }

    public func handle(_ request: BackfillRequest, context: LambdaContext) async throws -> BackfillResponse {
        // Leave time to commit the chunk in hand: a fifth of what is left, at most a minute.
        let margin = min(Duration.seconds(60), context.remainingTime / 5)
        return try await database.invocation(context) { db, deadline in
            let stopStarting = deadline - margin
            let loader = Loader(store: warehouse.store, database: db, logger: context.logger)
            let report: @Sendable (BackfillOutcome) -> Void = { outcome in
                context.logger.info(
                    "\(outcome.key): \(outcome.percentText) (\(outcome.records) rows, \(outcome.inserted) new sales, \(outcome.rejected) refused)"
                )
            }
            let outcomes: [BackfillOutcome]
            switch request {
            case .dataset(let key, let rows):
                outcomes = [
                    try await loader.backfill(
                        key: key, options: .init(chunkRows: rows ?? chunkRows), deadline: stopStarting,
                        progress: report)
                ]
            case .continueAll(let rows):
                outcomes = try await loader.continueBackfills(
                    options: .init(chunkRows: rows ?? chunkRows), deadline: stopStarting, progress: report)
            }
            var metrics = RunMetrics(function: "Backfill")
            metrics.add("SalesLoaded", outcomes.reduce(0) { $0 + $1.insertedNow })
            metrics.add("ObjectsFailed", outcomes.filter { $0.status == .failed }.count)
            metrics.emit()
            return BackfillResponse(summary: Self.summary(outcomes), datasets: outcomes)
        }
    }

    public static func summary(_ outcomes: [BackfillOutcome]) -> String {
        guard !outcomes.isEmpty else { return "nothing to backfill" }
        return outcomes.map { outcome in
            switch outcome.status {
            case .done:
                "\(outcome.key): done, \(outcome.records) rows: \(outcome.inserted) new sales, "
                    + "\(outcome.duplicates) already stored, \(outcome.rejected) refused (\(outcome.insertedNow) new now)"
            case .inProgress:
                "\(outcome.key): \(outcome.percentText) after \(outcome.chunks) chunks now "
                    + "(\(outcome.records) rows so far, \(outcome.inserted) new sales); the next run goes on"
            case .failed: "\(outcome.key): failed: \(outcome.reason ?? "unknown")"
            case .ignored: "\(outcome.key): not a dataset to backfill (backfill/….csv): ignored"
            }
        }.joined(separator: "; ")
    }
}
