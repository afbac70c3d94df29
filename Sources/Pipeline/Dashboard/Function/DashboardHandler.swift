import Adapters
import Configuration
import LambdaEvents
import RuntimeShim
import Warehouse

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The dashboard behind its function URL: each request (payload format 2.0) is a page.
public struct DashboardHandler: WarehouseHandler {
    let app: DashboardApp
    public let database: WarehouseDatabase

    /// The handler of a cold start, from the function's settings.
    /// - Throws: `ConfigurationError` naming every missing or malformed setting (the sign-in secret is needed on
    ///   Lambda); what reading the sign-in secret throws.
    public static func start(_ setup: LambdaInitContext) async throws -> DashboardHandler {
        let start = try FunctionStart(setup, needs: [.database, .mail, .dashboardSignIn, .objectStore])
        let (settings, adapters) = (start.settings, start.adapters)
        let database = WarehouseDatabase(
            settings: settings, adapters: adapters, logger: setup.logger,
            sessionSettings: WarehouseDatabase.readSettings)
        let credentials = try await credentials(settings, adapters: adapters)
        if credentials == nil {
            setup.logger.warning("no sign-in: the pages are open to anyone who reaches this address (local use only)")
        }
        let mailer = try adapters.mailer(settings.mailer)
        let reports = try adapters.objectStore(settings.objectStore)
        let app = DashboardApp(
            database: database, mailer: mailer, mailFrom: settings.mailFrom, reports: reports,
            credentials: credentials, logger: setup.logger)
        setup.logger.info(
            "ready",
            metadata: [
                "database": "\(settings.redactedDatabaseURL)", "mailer": "\(mailer.location)",
                "reports": "\(reports.location)",
                "signIn": "\(credentials == nil ? "off" : "on")",
            ])
        return DashboardHandler(app: app, database: database)
    }

    /// Who may sign in: the secret `DASHBOARD_SECRET_ARN` names (`{"username": …, "password": …}`), or locally
    /// the file `DASHBOARD_CREDENTIALS_FILE` names; with neither, the pages are open (Settings allows that only
    /// off Lambda).
    static func credentials(_ settings: Settings, adapters: AdapterFactory) async throws -> DashboardCredentials? {
        if let secret = settings.dashboardSecretID {
            return try DashboardCredentials(secret: try await adapters.secretString(secret))
        }
        if let path = settings.dashboardCredentialsFile {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigurationError(problems: [
                    .init(variable: "DASHBOARD_CREDENTIALS_FILE", message: "'\(path)' cannot be read")
                ])
            }
            return try DashboardCredentials(secret: String(decoding: data, as: UTF8.self))
        }
        return nil
    }

    public func handle(_ request: FunctionURLRequest, context: LambdaContext) async throws -> FunctionURLResponse {
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
}
