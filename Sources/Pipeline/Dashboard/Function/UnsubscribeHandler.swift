import Adapters
import Configuration
import LambdaEvents
import RuntimeShim
import Warehouse

/// The unsubscribe page of the report's and the alerts' links (`UNSUBSCRIBE_URL?token=…`), behind a function
/// URL of its own: the dashboard's page (`UnsubscribePage`), with nothing else reachable.
public struct UnsubscribeHandler: WarehouseHandler {
    public let database: WarehouseDatabase

    /// The handler of a cold start, from the function's settings.
    /// - Throws: `ConfigurationError` naming every missing or malformed setting.
    public static func start(_ setup: LambdaInitContext) throws -> UnsubscribeHandler {
        let start = try FunctionStart(setup, needs: [.database])
        let database = WarehouseDatabase(settings: start.settings, adapters: start.adapters, logger: setup.logger)
        setup.logger.info("ready", metadata: ["database": "\(start.settings.redactedDatabaseURL)"])
        return UnsubscribeHandler(database: database)
    }

    public func handle(_ request: FunctionURLRequest, context: LambdaContext) async throws -> FunctionURLResponse {
        try await database.withConnection { db in
            try await UnsubscribePage.respond(request, db: db, logger: context.logger)
        }
    }
}
