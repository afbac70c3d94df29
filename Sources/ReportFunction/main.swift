import AWS
import Adapters
import PDF
import Report
import RuntimeShim
import Tracker
import Warehouse

#if canImport(Glibc)
    import Glibc
#endif

/// What Report is asked to do.
struct ReportRequest: Decodable, Sendable {
    /// The day reported on.
    var day: CalendarDay
    /// Mail subscribers who already had this day's report again.
    var resend: Bool

    private enum Keys: String, CodingKey {
        case detailType = "detail-type"
        case time, date, resend
    }

    /// EventBridge's "Scheduled Event": the UTC day before the event's time. Or `{"date": "YYYY-MM-DD"}`, with
    /// `"resend": true` to mail those who already had it.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        if let detailType = try container.decodeIfPresent(String.self, forKey: .detailType) {
            guard detailType == "Scheduled Event" else {
                throw DecodingError.dataCorruptedError(
                    forKey: .detailType, in: container,
                    debugDescription: "Report takes 'Scheduled Event' events, not '\(detailType)'")
            }
            let time = try container.decode(String.self, forKey: .time)
            guard let today = CalendarDay(iso: time) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .time, in: container, debugDescription: "'\(time)' is not an ISO 8601 time")
            }
            day = today.adding(days: -1)
            resend = false
            return
        }
        let date = try container.decode(String.self, forKey: .date)
        guard let day = CalendarDay(iso: date), date.count == 10 else {
            throw DecodingError.dataCorruptedError(
                forKey: .date, in: container, debugDescription: "'\(date)' is not a date as YYYY-MM-DD")
        }
        self.day = day
        resend = try container.decodeIfPresent(Bool.self, forKey: .resend) ?? false
    }
}

/// What Report answers.
struct ReportResponse: Encodable, Sendable {
    var summary: String
    var report: ReportOutcome
}

/// Builds the daily PDF report, stores it and mails it to subscribers (issue #6).
struct ReportHandler: LambdaHandler {
    let objectStore: any ObjectStore
    let database: WarehouseDatabase
    let publisher: ReportPublisher

    func handle(_ request: ReportRequest, context: LambdaContext) async throws -> ReportResponse {
        let deadline = ContinuousClock.now + context.remainingTime
        return try await AWSDeadline.within(deadline) {
            try await database.withConnection { db in
                let outcome = try await publisher.publish(
                    request.day, now: Int64(time(nil)), resend: request.resend, db: db)
                context.logger.info(
                    "report published",
                    metadata: [
                        "date": "\(outcome.date)", "key": "\(outcome.objectKey)", "mailed": "\(outcome.mailed)",
                        "alreadyMailed": "\(outcome.alreadyMailed)",
                    ])
                return ReportResponse(
                    summary: "report of \(outcome.date): \(outcome.sales) sales, \(outcome.pages) pages at "
                        + "\(objectStore.location.hasSuffix("/") ? objectStore.location : objectStore.location + "/")"
                        + "\(outcome.objectKey); mailed to \(outcome.mailed) subscribers"
                        + (outcome.alreadyMailed > 0 ? " (\(outcome.alreadyMailed) already had it)" : ""),
                    report: outcome)
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
        environment: environment, needs: [.objectStore, .database, .mail],
        workingDirectory: setup.environment.workingDirectory)
    let adapters = AdapterFactory(environment: environment)
    // Fonts: REPORT_FONT_DIR, else the function's package (fonts/ beside the bootstrap), else Debian's.
    let fontFolders =
        environment["REPORT_FONT_DIR"].map { [$0] }
        ?? (environment["LAMBDA_TASK_ROOT"].map { ["\($0)/fonts"] } ?? []) + PDFFontFiles.systemFolders
    let store = try adapters.objectStore(settings.objectStore)
    let mailer = try adapters.mailer(settings.mailer)
    let publisher = ReportPublisher(
        store: store, mailer: mailer, fonts: try PDFFontFiles.locate(in: fontFolders),
        email: ReportEmail(from: settings.mailFrom, unsubscribeBase: environment["UNSUBSCRIBE_URL"]),
        logger: setup.logger)
    let database = WarehouseDatabase(settings: settings, adapters: adapters, logger: setup.logger)
    setup.logger.info(
        "ready",
        metadata: [
            "objectStore": "\(store.location)", "mailer": "\(mailer.location)", "database": "\(settings.databaseURL)",
        ])
    return ReportHandler(objectStore: store, database: database, publisher: publisher)
}
