import Adapters
import Configuration
import RuntimeShim
import Tracker
import Warehouse

/// What Alert answers.
public struct AlertResponse: Encodable, Sendable {
    public var summary: String
    public var alerts: AlertOutcome
}

/// Finds rising genres and artists and alerts subscribers.
public struct AlertHandler: WarehouseHandler {
    public let database: WarehouseDatabase
    let publisher: AlertPublisher

    /// The handler of a cold start, from the function's settings.
    /// - Throws: `ConfigurationError` naming every missing or malformed setting.
    public static func start(_ setup: LambdaInitContext) throws -> AlertHandler {
        let start = try FunctionStart(
            setup, needs: [.database, .mail, .notifications, .alertDigest, .emailLinks])
        let (settings, adapters) = (start.settings, start.adapters)
        let mailer = try adapters.mailer(settings.mailer)
        let notifier = try adapters.notifier(settings.notifier)
        let publisher = AlertPublisher(
            digestHour: settings.alertDigestHour, mailer: mailer, notifier: notifier,
            message: AlertMessage(
                from: settings.mailFrom, unsubscribeBase: settings.unsubscribeURL, dashboardBase: settings.dashboardURL),
            logger: setup.logger)
        let database = WarehouseDatabase(settings: settings, adapters: adapters, logger: setup.logger)
        setup.logger.info(
            "ready",
            metadata: [
                "mailer": "\(mailer.location)", "notifier": "\(notifier.location)",
                "database": "\(settings.redactedDatabaseURL)",
                "rules": "\(publisher.rules.map(\.id).joined(separator: ","))",
                "digestHour": "\(publisher.digestHour)",
            ])
        return AlertHandler(database: database, publisher: publisher)
    }

    public func handle(_ request: AlertRequest, context: LambdaContext) async throws -> AlertResponse {
        try await database.invocation(context) { db, _ in
            let started = ContinuousClock.now
            let outcome: AlertOutcome
            do {
                outcome = try await publisher.run(at: request.at, digest: request.digest, db: db)
            } catch let error as AlertDeliveryError {
                Self.metrics(error.outcome, failed: error.reasons.count, since: started)
                throw error
            }
            Self.metrics(outcome, failed: 0, since: started)
            let hour = outcome.evaluatedAt % 86_400 / 3600
            let tested = outcome.rules.map {
                "\($0.rule) \($0.signals) of \($0.tested) tested"
                    + ($0.baselineSales == 0 ? ", no baseline sales yet" : "")
            }.joined(separator: "; ")
            context.logger.info(
                "alerts run",
                metadata: [
                    "at": "\(outcome.evaluatedAt)", "alerts": "\(outcome.alerts)", "emails": "\(outcome.emails)",
                    "notifications": "\(outcome.notifications)", "digests": "\(outcome.digestEmails)",
                ])
            return AlertResponse(
                summary: "alerts at \(CalendarDay(containing: outcome.evaluatedAt).iso) "
                    + "\(hour < 10 ? "0" : "")\(hour):00 UTC: \(outcome.alerts) signals (\(tested)); "
                    + "\(outcome.deliveries) deliveries, \(outcome.queuedForDigest) queued for the digest, "
                    + "\(outcome.alreadyTold) already told; sent \(outcome.emails) emails and "
                    + "\(outcome.notifications) notifications"
                    + (outcome.digest ? "; \(outcome.digestEmails) digests" : ""),
                alerts: outcome)
        }
    }

    /// The run's metrics: alerts raised, messages sent (emails, notifications, digests), deliveries that failed,
    /// its time.
    static func metrics(_ outcome: AlertOutcome, failed: Int, since started: ContinuousClock.Instant) {
        var metrics = RunMetrics(function: "Alert")
        metrics.add("AlertsRaised", outcome.alerts)
        metrics.add("AlertsSent", outcome.emails + outcome.notifications + outcome.digestEmails)
        metrics.add("DeliveriesFailed", failed)
        metrics.addRunTime(since: started)
        metrics.emit()
    }
}
