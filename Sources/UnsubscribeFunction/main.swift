import Adapters
import Dashboard
import LambdaEvents
import RuntimeShim
import Tracker
import Warehouse

/// The unsubscribe page of the report's and the alerts' links (`UNSUBSCRIBE_URL?token=…`), behind a function
/// URL of its own: the dashboard's page (`Dashboard.UnsubscribePage`), with nothing else reachable.
struct UnsubscribeHandler: LambdaHandler {
    let database: WarehouseDatabase

    func handle(_ request: FunctionURLRequest, context: LambdaContext) async throws -> FunctionURLResponse {
        try await database.withConnection { db in
            try await UnsubscribePage.respond(request, db: db, logger: context.logger)
        }
    }

    func shutdown() async {
        database.close()
    }
}

await Lambda.main { setup in
    let settings = try Settings.load(
        environment: setup.environment.variables, needs: [.database],
        workingDirectory: setup.environment.workingDirectory)
    let database = WarehouseDatabase(
        settings: settings, adapters: AdapterFactory(environment: setup.environment.variables), logger: setup.logger)
    setup.logger.info("ready", metadata: ["database": "\(settings.databaseURL)"])
    return UnsubscribeHandler(database: database)
}
