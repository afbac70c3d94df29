import Adapters
import Dashboard
import LambdaEvents
import RuntimeShim
import Tracker
import Warehouse

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The dashboard behind its function URL: each request (payload format 2.0) is a page.
struct DashboardHandler: LambdaHandler {
    let app: DashboardApp
    let database: WarehouseDatabase

    func handle(_ request: FunctionURLRequest, context: LambdaContext) async throws -> FunctionURLResponse {
        let started = ContinuousClock.now
        let response = try await app.respond(request)
        context.logger.info(
            "page",
            metadata: [
                "method": "\(request.method)", "path": "\(request.path)", "status": "\(response.statusCode)",
                "bytes": "\(response.body.utf8.count)", "duration": "\(ContinuousClock.now - started)",
            ])
        return response
    }

    func shutdown() async {
        database.close()
    }
}

/// The dashboard's settings beyond the shared ones: who may sign in.
///
/// `DASHBOARD_SECRET_ARN` names a Secrets Manager secret `{"username": …, "password": …}` (required on Lambda).
/// Locally, `DASHBOARD_CREDENTIALS_FILE` may name a file with the same JSON; with neither, the pages are open,
/// which only a laptop run allows.
func loadCredentials(_ environment: [String: String], adapters: AdapterFactory) async throws -> DashboardCredentials? {
    if let secret = environment["DASHBOARD_SECRET_ARN"], !secret.isEmpty {
        return try DashboardCredentials(secret: try await adapters.secretString(secret))
    }
    if Settings.isOnLambda(environment) {
        throw ConfigurationError(problems: [
            .init(variable: "DASHBOARD_SECRET_ARN", message: "is needed on Lambda: the dashboard's sign-in secret")
        ])
    }
    if let path = environment["DASHBOARD_CREDENTIALS_FILE"], !path.isEmpty {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(problems: [
                .init(variable: "DASHBOARD_CREDENTIALS_FILE", message: "'\(path)' cannot be read")
            ])
        }
        return try DashboardCredentials(secret: String(decoding: data, as: UTF8.self))
    }
    return nil
}

await Lambda.main { setup in
    let environment = setup.environment.variables
    let settings = try Settings.load(
        environment: environment, needs: [.database, .mail], workingDirectory: setup.environment.workingDirectory)
    let adapters = AdapterFactory(environment: environment)
    let database = WarehouseDatabase(settings: settings, adapters: adapters, logger: setup.logger)
    let credentials = try await loadCredentials(environment, adapters: adapters)
    if credentials == nil {
        setup.logger.warning("no sign-in: the pages are open to anyone who reaches this address (local use only)")
    }
    let mailer = try adapters.mailer(settings.mailer)
    let app = DashboardApp(
        database: database, mailer: mailer, mailFrom: settings.mailFrom,
        credentials: credentials, logger: setup.logger)
    setup.logger.info(
        "ready",
        metadata: [
            "database": "\(settings.databaseURL)", "mailer": "\(mailer.location)",
            "signIn": "\(credentials == nil ? "off" : "on")",
        ])
    return DashboardHandler(app: app, database: database)
}
