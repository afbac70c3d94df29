import AWS
import Adapters
import LambdaEvents
import Logging
import RuntimeShim
import Tracker
import Warehouse

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What the backfill is asked to do.
enum BackfillRequest: Decodable, Sendable {
    /// One dataset (EventBridge's S3 "Object Created" under `backfill/`, or `{"command": "backfill", "key": …}`).
    case dataset(key: String, chunkRows: Int?)
    /// Go on with every dataset not yet loaded (EventBridge's "Scheduled Event", or `{"command": "continue"}`).
    case continueAll(chunkRows: Int?)

    private enum Keys: String, CodingKey {
        case command, key, chunkRows
    }

    init(from decoder: any Decoder) throws {
        switch try EventBridgeTrigger.decode(
            from: decoder, function: "Backfill", accepts: [.objectCreated, .scheduled])
        {
        case .objectCreated(let key, _):
            self = .dataset(key: key, chunkRows: nil)
            return
        case .scheduled:
            self = .continueAll(chunkRows: nil)
            return
        case nil: break
        }
        let container = try decoder.container(keyedBy: Keys.self)
        let chunkRows = try container.decodeIfPresent(Int.self, forKey: .chunkRows)
        if let chunkRows, chunkRows < 1 {
            throw DecodingError.dataCorruptedError(
                forKey: .chunkRows, in: container, debugDescription: "chunkRows must be at least 1, not \(chunkRows)")
        }
        switch try container.decode(String.self, forKey: .command) {
        case "backfill": self = .dataset(key: try container.decode(String.self, forKey: .key), chunkRows: chunkRows)
        case "continue": self = .continueAll(chunkRows: chunkRows)
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .command, in: container, debugDescription: "unknown command '\(other)' (backfill, continue)")
        }
    }
}

/// What the backfill answers.
struct BackfillResponse: Encodable, Sendable {
    var summary: String
    var datasets: [BackfillOutcome]
}

/// Loads Components' dataset (and any CSV of its shape under `backfill/`) into the warehouse (issue #10).
struct BackfillHandler: LambdaHandler {
    let objectStore: any ObjectStore
    let database: WarehouseDatabase
    let chunkRows: Int

    func handle(_ request: BackfillRequest, context: LambdaContext) async throws -> BackfillResponse {
        let deadline = ContinuousClock.now + context.remainingTime
        // Leave time to commit the chunk in hand: a fifth of what is left, at most a minute.
        let stopStarting = deadline - min(Duration.seconds(60), context.remainingTime / 5)
        return try await AWSDeadline.within(deadline) {
            try await database.withConnection { db in
                let loader = Loader(store: objectStore, database: db, logger: context.logger)
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
                return BackfillResponse(summary: Self.summary(outcomes), datasets: outcomes)
            }
        }
    }

    static func summary(_ outcomes: [BackfillOutcome]) -> String {
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

    func shutdown() async {
        database.close()
    }
}

await Lambda.main { setup in
    let start = try StoreAndWarehouse(
        environment: setup.environment.variables, workingDirectory: setup.environment.workingDirectory,
        logger: setup.logger)
    return BackfillHandler(
        objectStore: start.store, database: start.database,
        chunkRows: Int(start.environment["BACKFILL_CHUNK_ROWS"] ?? "") ?? 50_000)
}
