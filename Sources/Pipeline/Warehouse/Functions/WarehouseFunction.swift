import AWS
import Adapters
import Configuration
import Logging
import Postgres
import RuntimeShim

/// A function that works on the warehouse: its invocations run on the shared connection, and it closes the
/// connection when the process ends.
public protocol WarehouseHandler: LambdaHandler {
    /// The warehouse's connection.
    var database: WarehouseDatabase { get }
}

extension WarehouseHandler {
    public func shutdown() async {
        database.close()
    }
}

extension WarehouseDatabase {
    /// An invocation's work: AWS calls bounded by the invocation's deadline (less the time to answer), on the
    /// warehouse's connection.
    /// - Parameters:
    ///   - context: The invocation, for its remaining time.
    ///   - body: The work, given the connection and the invocation's deadline.
    public func invocation<T: Sendable>(
        _ context: LambdaContext, _ body: (PostgresConnection, ContinuousClock.Instant) async throws -> T
    ) async throws -> T {
        let deadline = ContinuousClock.now + context.remainingTime
        return try await AWSDeadline.within(deadline) {
            try await withConnection { try await body($0, deadline) }
        }
    }
}

/// What a function that reads the object store and writes the warehouse (Load, Backfill, Charts) starts with,
/// from its environment: the store and the database of its settings.
public struct StoreAndWarehouse: Sendable {
    public let store: any ObjectStore
    public let database: WarehouseDatabase
    public let settings: Settings

    /// Reads the settings (an object store and a database, and `needs`) and logs that the function is ready.
    /// - Throws: `ConfigurationError` naming every missing or malformed setting.
    public init(_ setup: LambdaInitContext, needs: Set<Settings.Need> = []) throws {
        let start = try FunctionStart(setup, needs: needs.union([.objectStore, .database]))
        settings = start.settings
        store = try start.adapters.objectStore(settings.objectStore)
        database = WarehouseDatabase(
            settings: settings, adapters: start.adapters, logger: setup.logger,
            sessionSettings: WarehouseDatabase.writeSettings)
        setup.logger.info(
            "ready", metadata: ["objectStore": "\(store.location)", "database": "\(settings.redactedDatabaseURL)"])
    }
}
