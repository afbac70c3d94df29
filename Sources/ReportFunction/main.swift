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
enum ReportRequest: Decodable, Sendable {
    /// The daily report of a day; `resend` mails subscribers who already had it again.
    case daily(day: CalendarDay, resend: Bool)
    /// The one-off analysis of a range of UTC days (inclusive).
    case analysis(from: CalendarDay, to: CalendarDay)

    /// The longest range an analysis takes.
    static let longestAnalysis: Int64 = 3660

    private enum Keys: String, CodingKey {
        case detailType = "detail-type"
        case time, date, resend, command, from, to
    }

    /// EventBridge's "Scheduled Event": the UTC day before the event's time. Or `{"date": "YYYY-MM-DD"}`, with
    /// `"resend": true` to mail those who already had it. Or `{"command": "analysis", "from": "YYYY-MM-DD",
    /// "to": "YYYY-MM-DD"}`.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        func date(_ key: Keys) throws -> CalendarDay {
            let text = try container.decode(String.self, forKey: key)
            guard let day = CalendarDay(iso: text), text.count == 10 else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container, debugDescription: "'\(text)' is not a date as YYYY-MM-DD")
            }
            return day
        }
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
            self = .daily(day: today.adding(days: -1), resend: false)
            return
        }
        if let command = try container.decodeIfPresent(String.self, forKey: .command) {
            guard command == "analysis" else {
                throw DecodingError.dataCorruptedError(
                    forKey: .command, in: container, debugDescription: "unknown command '\(command)' (analysis)")
            }
            let from = try date(.from)
            let to = try date(.to)
            let days = to.daysSinceEpoch - from.daysSinceEpoch + 1
            guard days >= 1, days <= Self.longestAnalysis else {
                throw DecodingError.dataCorruptedError(
                    forKey: .to, in: container,
                    debugDescription: "the range \(from.iso) to \(to.iso) must run forwards and span at most "
                        + "\(Self.longestAnalysis) days")
            }
            self = .analysis(from: from, to: to)
            return
        }
        self = .daily(day: try date(.date), resend: try container.decodeIfPresent(Bool.self, forKey: .resend) ?? false)
    }
}

/// What Report answers.
struct ReportResponse: Encodable, Sendable {
    var summary: String
    var report: ReportOutcome?
    var analysis: AnalysisOutcome?
}

/// Builds the daily PDF report, stores it and mails it to subscribers (issue #6); builds one-off analyses of any
/// range (issue #10).
struct ReportHandler: LambdaHandler {
    let objectStore: any ObjectStore
    let database: WarehouseDatabase
    let publisher: ReportPublisher

    func handle(_ request: ReportRequest, context: LambdaContext) async throws -> ReportResponse {
        let deadline = ContinuousClock.now + context.remainingTime
        let location = objectStore.location.hasSuffix("/") ? objectStore.location : objectStore.location + "/"
        return try await AWSDeadline.within(deadline) {
            try await database.withConnection { db in
                switch request {
                case .analysis(let from, let to):
                    let outcome = try await publisher.publishAnalysis(from: from, to: to, now: Int64(time(nil)), db: db)
                    return ReportResponse(
                        summary: "analysis of \(outcome.from) to \(outcome.to): \(outcome.sales) sales, "
                            + "\(outcome.pages) pages at \(location)\(outcome.objectKey)",
                        analysis: outcome)
                case .daily(let day, let resend):
                    let outcome = try await publisher.publish(day, now: Int64(time(nil)), resend: resend, db: db)
                    context.logger.info(
                        "report published",
                        metadata: [
                            "date": "\(outcome.date)", "key": "\(outcome.objectKey)", "mailed": "\(outcome.mailed)",
                            "alreadyMailed": "\(outcome.alreadyMailed)",
                        ])
                    return ReportResponse(
                        summary: "report of \(outcome.date): \(outcome.sales) sales, \(outcome.pages) pages at "
                            + "\(location)\(outcome.objectKey); mailed to \(outcome.mailed) subscribers"
                            + (outcome.alreadyMailed > 0 ? " (\(outcome.alreadyMailed) already had it)" : ""),
                        report: outcome)
                }
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
