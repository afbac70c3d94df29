import Adapters
import RuntimeShim

/// What Charts answers.
public struct ChartsResponse: Encodable, Sendable {
    public var summary: String
    public var files: [ChartImportOutcome]
}

/// Imports Spotify's chart exports into the warehouse's chart tables.
public struct ChartsHandler: WarehouseHandler {
    let warehouse: StoreAndWarehouse
    public var database: WarehouseDatabase { warehouse.database }

    /// The handler of a cold start, from the function's settings.
    /// - Throws: `ConfigurationError` naming every missing or malformed setting.
    public static func start(_ setup: LambdaInitContext) throws -> ChartsHandler {
        ChartsHandler(warehouse: try StoreAndWarehouse(setup))
    }

    public func handle(_ request: ChartsRequest, context: LambdaContext) async throws -> ChartsResponse {
        try await database.invocation(context) { db, _ in
            let importer = ChartImporter(store: warehouse.store, database: db, logger: context.logger)
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
            var metrics = RunMetrics(function: "Charts")
            metrics.add("ChartsImported", imported.reduce(0) { $0 + $1.charts.count })
            metrics.add("ObjectsFailed", failed.count)
            metrics.emit()
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
