import AWS
import Adapters
import Alerts
import RuntimeShim
import Tracker
import Trends
import Warehouse

#if canImport(Glibc)
    import Glibc
#endif

/// What Alert is asked to do.
struct AlertRequest: Decodable, Sendable {
    /// When: the windows end at the hour this falls in.
    var at: Int64
    /// Send the daily digests (nil: when the hour is the digest hour).
    var digest: Bool?

    private enum Keys: String, CodingKey {
        case detailType = "detail-type"
        case time, at, digest
    }

    /// EventBridge's "Scheduled Event" (hourly): its `time`. Or `{"at": "2026-11-22T06:00:00Z"}` (or a date), with
    /// `"digest": true` or `false` to send the daily digests or not whatever the hour.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        let key: Keys
        if let detailType = try container.decodeIfPresent(String.self, forKey: .detailType) {
            guard detailType == "Scheduled Event" else {
                throw DecodingError.dataCorruptedError(
                    forKey: .detailType, in: container,
                    debugDescription: "Alert takes 'Scheduled Event' events, not '\(detailType)'")
            }
            key = .time
        } else {
            key = .at
        }
        let text = try container.decode(String.self, forKey: key)
        guard let at = CalendarDay.seconds(iso: text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container,
                debugDescription: "'\(text)' is not a UTC time as 2026-11-22T06:00:00Z (or a date as 2026-11-22)")
        }
        self.at = at
        digest = key == .at ? try container.decodeIfPresent(Bool.self, forKey: .digest) : nil
    }
}

/// What Alert answers.
struct AlertResponse: Encodable, Sendable {
    var summary: String
    var alerts: AlertOutcome
}

/// Finds rising genres and artists and alerts subscribers (issue #7).
struct AlertHandler: LambdaHandler {
    let database: WarehouseDatabase
    let publisher: AlertPublisher

    func handle(_ request: AlertRequest, context: LambdaContext) async throws -> AlertResponse {
        let deadline = ContinuousClock.now + context.remainingTime
        return try await AWSDeadline.within(deadline) {
            try await database.withConnection { db in
                let outcome = try await publisher.run(at: request.at, digest: request.digest, db: db)
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
    }

    func shutdown() async {
        database.close()
    }
}

await Lambda.main { setup in
    let environment = setup.environment.variables
    let settings = try Settings.load(
        environment: environment, needs: [.database, .mail, .notifications],
        workingDirectory: setup.environment.workingDirectory)
    let adapters = AdapterFactory(environment: environment)
    let digestHour = try environment["ALERT_DIGEST_HOUR"].map { text in
        guard let hour = Int(text), (0..<24).contains(hour) else {
            throw ConfigurationError(problems: [
                .init(variable: "ALERT_DIGEST_HOUR", message: "'\(text)' is not an hour from 0 to 23 (UTC)")
            ])
        }
        return hour
    }
    let mailer = try adapters.mailer(settings.mailer)
    let notifier = try adapters.notifier(settings.notifier)
    let publisher = AlertPublisher(
        digestHour: digestHour ?? 7, mailer: mailer, notifier: notifier,
        message: AlertMessage(from: settings.mailFrom, unsubscribeBase: environment["UNSUBSCRIBE_URL"]),
        logger: setup.logger)
    let database = WarehouseDatabase(settings: settings, adapters: adapters, logger: setup.logger)
    setup.logger.info(
        "ready",
        metadata: [
            "mailer": "\(mailer.location)", "notifier": "\(notifier.location)", "database": "\(settings.databaseURL)",
            "rules": "\(publisher.rules.map(\.id).joined(separator: ","))", "digestHour": "\(publisher.digestHour)",
        ])
    return AlertHandler(database: database, publisher: publisher)
}
