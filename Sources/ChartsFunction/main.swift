import AWS
import Adapters
import LambdaEvents
import Logging
import RuntimeShim
import Tracker
import Warehouse

/// What Charts is asked to do.
enum ChartsRequest: Decodable, Sendable {
    /// One export (EventBridge's S3 "Object Created" under `charts/`, or `{"command": "import", "key": …}`).
    case file(key: String)
    /// Every export not yet imported (EventBridge's "Scheduled Event", or `{"command": "sweep"}`).
    case sweep

    private enum Keys: String, CodingKey {
        case command, key
    }

    init(from decoder: any Decoder) throws {
        switch try EventBridgeTrigger.decode(from: decoder, function: "Charts", accepts: [.objectCreated, .scheduled]) {
        case .objectCreated(let key, _):
            self = .file(key: key)
            return
        case .scheduled:
            self = .sweep
            return
        case nil: break
        }
        let container = try decoder.container(keyedBy: Keys.self)
        switch try container.decode(String.self, forKey: .command) {
        case "import": self = .file(key: try container.decode(String.self, forKey: .key))
        case "sweep": self = .sweep
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .command, in: container, debugDescription: "unknown command '\(other)' (import, sweep)")
        }
    }
}

/// What Charts answers.
struct ChartsResponse: Encodable, Sendable {
    var summary: String
    var files: [ChartImportOutcome]
}

/// Imports Spotify's chart exports into the warehouse's chart tables (issue #10).
struct ChartsHandler: LambdaHandler {
    let objectStore: any ObjectStore
    let database: WarehouseDatabase

    func handle(_ request: ChartsRequest, context: LambdaContext) async throws -> ChartsResponse {
        let deadline = ContinuousClock.now + context.remainingTime
        return try await AWSDeadline.within(deadline) {
            try await database.withConnection { db in
                let importer = ChartImporter(store: objectStore, database: db, logger: context.logger)
                let files: [ChartImportOutcome]
                switch request {
                case .file(let key): files = [try await importer.importFile(key: key)]
                case .sweep:
                    files = try await importer.sweep { outcome in
                        context.logger.info(
                            "\(outcome.status.rawValue) \(outcome.key)", metadata: ["charts": "\(outcome.charts.count)"]
                        )
                    }
                }
                let imported = files.filter { $0.status == .imported }
                let failed = files.filter { $0.status == .failed }
                var summary =
                    files.isEmpty
                    ? "no chart export to import"
                    : "\(imported.count) of \(files.count) files imported: "
                        + "\(imported.reduce(0) { $0 + $1.charts.count }) charts, "
                        + "\(imported.reduce(0) { $0 + $1.entries }) entries "
                        + "(\(imported.reduce(0) { $0 + $1.replaced }) charts replaced)"
                if !failed.isEmpty {
                    summary +=
                        "; \(failed.count) failed: "
                        + failed.prefix(3).map { "\($0.key): \($0.reason ?? "?")" }.joined(separator: "; ")
                }
                if files.count == 1, let only = files.first, only.status != .imported {
                    summary = "\(only.key): \(only.status.rawValue)" + (only.reason.map { ": \($0)" } ?? "")
                }
                return ChartsResponse(summary: summary, files: files)
            }
        }
    }

    func shutdown() async {
        database.close()
    }
}

await Lambda.main { setup in
    let start = try StoreAndWarehouse(
        environment: setup.environment.variables, workingDirectory: setup.environment.workingDirectory,
        logger: setup.logger)
    return ChartsHandler(objectStore: start.store, database: start.database)
}
