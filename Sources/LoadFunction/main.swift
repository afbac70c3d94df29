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
#if canImport(Glibc)
    import Glibc
#endif

/// What Load is asked to do.
enum LoadRequest: Decodable, Sendable {
    /// One object (EventBridge's S3 "Object Created", or `{"command": "load", "key": …}`).
    case object(key: String, etag: String?)
    /// Every object not yet loaded: EventBridge's "Scheduled Event" (the last `LOAD_SWEEP_DAYS` days of
    /// windows), or `{"command": "sweep", "days": N}` (all days when `days` is left out).
    case sweep(days: Int?, scheduled: Bool)
    /// Only bring the schema up to date (`{"command": "migrate"}`).
    case migrate

    private enum Keys: String, CodingKey {
        case command, key, days
    }

    init(from decoder: any Decoder) throws {
        switch try EventBridgeTrigger.decode(from: decoder, function: "Load", accepts: [.objectCreated, .scheduled]) {
        case .objectCreated(let key, let etag):
            self = .object(key: key, etag: etag)
            return
        case .scheduled:
            self = .sweep(days: nil, scheduled: true)
            return
        case nil: break
        }
        let container = try decoder.container(keyedBy: Keys.self)
        switch try container.decode(String.self, forKey: .command) {
        case "load": self = .object(key: try container.decode(String.self, forKey: .key), etag: nil)
        case "sweep": self = .sweep(days: try container.decodeIfPresent(Int.self, forKey: .days), scheduled: false)
        case "migrate": self = .migrate
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .command, in: container, debugDescription: "unknown command '\(other)' (load, sweep, migrate)")
        }
    }
}

/// What Load answers.
struct LoadResponse: Encodable, Sendable {
    var summary: String
    var object: LoadOutcome?
    var sweep: SweepSummary?
    var schemaVersion: Int?
}

/// Loads raw objects into the PostgreSQL warehouse (issue #5).
struct LoadHandler: LambdaHandler {
    let objectStore: any ObjectStore
    let database: WarehouseDatabase
    let sweepDays: Int

    func handle(_ request: LoadRequest, context: LambdaContext) async throws -> LoadResponse {
        let deadline = ContinuousClock.now + context.remainingTime
        return try await AWSDeadline.within(deadline) {
            try await database.withConnection { db in
                let loader = Loader(
                    store: objectStore, database: db, logger: context.logger,
                    secondConnection: { try await database.newConnection() })
                switch request {
                case .object(let key, let etag):
                    let outcome = try await loader.load(key: key, etag: etag)
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
                    let summary = try await loader.sweep(
                        days: scheduled ? sweepDays : days, now: Int64(time(nil)), deadline: deadline - margin
                    ) { outcome, summary in
                        context.logger.info(
                            "\(outcome.status.rawValue) \(outcome.key)",
                            metadata: ["inserted": "\(outcome.inserted)", "loadedSoFar": "\(summary.loaded)"])
                    }
                    return LoadResponse(
                        summary: "swept \(summary.listed) objects: \(summary.loaded) loaded (\(summary.inserted) new "
                            + "sales), \(summary.failed) failed, \(summary.skipped) already in the ledger"
                            + (summary.stoppedEarly ? "; stopped for time, the next sweep goes on" : ""),
                        sweep: summary)
                case .migrate:
                    let version: Int? = try await db.query("SELECT max(version) FROM schema_migration").scalar()
                    return LoadResponse(
                        summary: "schema at version \(version.map(String.init) ?? "?")", schemaVersion: version)
                }
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
    return LoadHandler(
        objectStore: start.store, database: start.database,
        sweepDays: Int(start.environment["LOAD_SWEEP_DAYS"] ?? "") ?? 2)
}
