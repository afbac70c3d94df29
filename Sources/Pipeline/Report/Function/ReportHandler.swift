import Adapters
import Configuration
import Logging
import PDF
import Postgres
import RuntimeShim
import Tracker
import Warehouse

#if canImport(Glibc)
    import Glibc
#endif

/// What Report answers.
public struct ReportResponse: Encodable, Sendable {
    public var summary: String
    public var report: ReportOutcome?
    public var analysis: AnalysisOutcome?
    public var export: SalesExportOutcome?

    public init(
        summary: String, report: ReportOutcome? = nil, analysis: AnalysisOutcome? = nil,
        export: SalesExportOutcome? = nil
    ) {
        self.summary = summary
        self.report = report
        self.analysis = analysis
        self.export = export
    }
}

/// Builds the daily PDF report, stores it and mails it to subscribers; builds one-off analyses of any range.
public struct ReportHandler: WarehouseHandler {
    let objectStore: any ObjectStore
    public let database: WarehouseDatabase
    let publisher: ReportPublisher

    /// The handler of a cold start, from the function's settings.
    /// - Throws: `ConfigurationError` naming every missing or malformed setting; `PDFError` when no font is
    ///   found.
    public static func start(_ setup: LambdaInitContext) throws -> ReportHandler {
        let start = try FunctionStart(setup, needs: [.objectStore, .database, .mail, .reportFonts, .emailLinks])
        let (settings, adapters) = (start.settings, start.adapters)
        // Fonts: REPORT_FONT_DIR, else the fonts layer (Lambda unpacks it under /opt), else Debian's.
        let fontFolders =
            settings.reportFontFolder.map { [$0] } ?? [PDFFontFiles.layerFolder] + PDFFontFiles.systemFolders
        let store = try adapters.objectStore(settings.objectStore)
        let mailer = try adapters.mailer(settings.mailer)
        let publisher = ReportPublisher(
            store: store, mailer: mailer, fonts: try PDFFontFiles.locate(in: fontFolders),
            email: ReportEmail(
                from: settings.mailFrom, unsubscribeBase: settings.unsubscribeURL, dashboardBase: settings.dashboardURL),
            logger: setup.logger)
        let database = WarehouseDatabase(
            settings: settings, adapters: adapters, logger: setup.logger,
            sessionSettings: WarehouseDatabase.readSettings)
        setup.logger.info(
            "ready",
            metadata: [
                "objectStore": "\(store.location)", "mailer": "\(mailer.location)",
                "database": "\(settings.redactedDatabaseURL)",
            ])
        return ReportHandler(objectStore: store, database: database, publisher: publisher)
    }

    public func handle(_ request: ReportRequest, context: LambdaContext) async throws -> ReportResponse {
        let location = objectStore.location.hasSuffix("/") ? objectStore.location : objectStore.location + "/"
        return try await database.invocation(context) { db, _ in
            switch request {
            case .analysis(let from, let to):
                let outcome = try await publisher.publishAnalysis(from: from, to: to, now: Int64(time(nil)), db: db)
                // The same PDF as a request from the dashboard asks for: that request is answered.
                if let request = AnalysisRequest(from: from, to: to), try await objectStore.head(request.key) != nil {
                    try await objectStore.delete(request.key)
                }
                return ReportResponse(
                    summary: "analysis of \(outcome.from) to \(outcome.to): \(outcome.sales) sales, "
                        + "\(outcome.pages) pages at \(location)\(outcome.objectKey)",
                    analysis: outcome)
            case .requested(let asked):
                guard let outcome = try await build(asked, db: db) else {
                    return ReportResponse(
                        summary: "the analysis of \(asked.from.iso) to \(asked.to.iso) asked for was built before")
                }
                return ReportResponse(
                    summary: "analysis of \(outcome.from) to \(outcome.to) as asked: \(outcome.sales) sales, "
                        + "\(outcome.pages) pages at \(location)\(outcome.objectKey)",
                    analysis: outcome)
            case .exportSales(let day):
                let export = try await SalesExport(store: objectStore).export(day, db: db)
                return ReportResponse(summary: Self.exportSummary(export, location: location), export: export)
            case .daily(let day, let resend, let exportSales):
                let started = ContinuousClock.now
                let outcome: ReportOutcome
                do {
                    outcome = try await publisher.publish(day, now: Int64(time(nil)), resend: resend, db: db)
                } catch let error as ReportDeliveryError {
                    Self.metrics(mailed: error.outcome.mailed, failed: error.reasons.count, since: started)
                    throw error
                }
                Self.metrics(mailed: outcome.mailed, failed: 0, since: started)
                context.logger.info(
                    "report published",
                    metadata: [
                        "date": "\(outcome.date)", "key": "\(outcome.objectKey)", "mailed": "\(outcome.mailed)",
                        "alreadyMailed": "\(outcome.alreadyMailed)",
                    ])
                // The scheduled run also exports the day's sales (once: a rerun finds the export there), and
                // builds the analyses asked for whose event was lost.
                let export = exportSales ? try await SalesExport(store: objectStore).export(day, db: db) : nil
                let built = exportSales ? try await buildRequested(db: db, logger: context.logger) : 0
                return ReportResponse(
                    summary: "report of \(outcome.date): \(outcome.sales) sales, \(outcome.pages) pages at "
                        + "\(location)\(outcome.objectKey); mailed to \(outcome.mailed) subscribers"
                        + (outcome.alreadyMailed > 0 ? " (\(outcome.alreadyMailed) already had it)" : "")
                        + (export.map { "; " + Self.exportSummary($0, location: location) } ?? "")
                        + (built > 0 ? "; \(built) analyses asked for built" : ""),
                    report: outcome, export: export)
            }
        }
    }

    /// The analysis a request asks for, built and stored, and the request deleted; nil when the request is gone
    /// (another run built it). A run that dies between the two leaves the request, and the next builds it again.
    func build(_ request: AnalysisRequest, db: PostgresConnection) async throws -> AnalysisOutcome? {
        guard try await objectStore.head(request.key) != nil else { return nil }
        let outcome = try await publisher.publishAnalysis(
            from: request.from, to: request.to, now: Int64(time(nil)), db: db)
        try await objectStore.delete(request.key)
        return outcome
    }

    /// Builds every analysis requested and not yet built; a key under the prefix that is no request is left, and
    /// said. Returns how many were built.
    func buildRequested(db: PostgresConnection, logger: Logger) async throws -> Int {
        var built = 0
        for object in try await objectStore.listAll(prefix: AnalysisRequest.prefix) {
            guard let request = AnalysisRequest(key: object.key) else {
                logger.warning("not an analysis request: left as it is", metadata: ["key": "\(object.key)"])
                continue
            }
            if try await build(request, db: db) != nil { built += 1 }
        }
        return built
    }

    /// What an export did, in words.
    static func exportSummary(_ export: SalesExportOutcome, location: String) -> String {
        export.alreadyExported
            ? "the sales of \(export.date) were exported before (\(location)\(export.objectKey))"
            : "\(export.sales) sales of \(export.date) exported to \(location)\(export.objectKey)"
    }

    /// The run's metrics: a report built, the emails that went and those that failed, its time.
    static func metrics(mailed: Int, failed: Int, since started: ContinuousClock.Instant) {
        var metrics = RunMetrics(function: "Report")
        metrics.add("ReportsBuilt", 1)
        metrics.add("ReportsMailed", mailed)
        metrics.add("DeliveriesFailed", failed)
        metrics.addRunTime(since: started)
        metrics.emit()
    }
}
