import AWS
import Adapters
import Configuration
import HTTPClient
import LambdaEvents
import RuntimeShim

#if canImport(Glibc)
    import Glibc
#endif

/// Follows Bandcamp's sales feed into raw objects, and stores what each new release's page says.
public struct ExtractHandler: LambdaHandler {
    let extractor: Extractor

    /// The handler of a cold start, from the function's settings.
    /// - Throws: `ConfigurationError` naming every missing or malformed setting.
    public static func start(_ setup: LambdaInitContext) throws -> ExtractHandler {
        let start = try FunctionStart(setup, needs: [.objectStore, .bandcamp])
        let settings = start.settings
        let objectStore = try start.adapters.objectStore(settings.objectStore)
        let http = HTTPClient(
            configuration: .init(
                userAgent: "bandcamp-tracker/0.1 (sales research; one request at a time)",
                connectTo: settings.bandcampConnectTo, followRedirects: true))
        var pageOptions = ReleaseEnricher.Options()
        pageOptions.pageScheme = settings.bandcampPageScheme
        let enricher = ReleaseEnricher(http: http, store: objectStore, options: pageOptions, now: { Int64(time(nil)) })
        let extractor = Extractor(
            feed: SalesfeedClient(baseURL: settings.bandcampBaseURL, http: http), enricher: enricher,
            store: objectStore, now: { Int64(time(nil)) })
        setup.logger.info(
            "ready", metadata: ["objectStore": "\(objectStore.location)", "bandcamp": "\(settings.bandcampBaseURL)"])
        return ExtractHandler(extractor: extractor)
    }

    public func handle(_ event: EventBridgeEvent<ScheduledEventDetail>, context: LambdaContext) async throws
        -> Extractor.Summary
    {
        context.logger.info("\(event.detailType) event \(event.id) at \(event.time)")
        let started = ContinuousClock.now
        let deadline = started + context.remainingTime
        let summary = try await AWSDeadline.within(deadline) {
            try await extractor.run(deadline: deadline)
        }
        // What an operator watches: how far behind the feed the cursor is, what was stored, the pages' fate.
        var metrics = RunMetrics(function: "Extract")
        metrics.add("FeedLagSeconds", Double(max(0, Int64(time(nil)) - summary.cursor)), .seconds)
        metrics.add("WindowsStored", summary.windows)
        metrics.add("ItemsStored", summary.items)
        metrics.add("PagesFetched", summary.releases?.fetched ?? 0)
        metrics.add("PagesGone", summary.releases?.gone ?? 0)
        metrics.add("PagesPending", summary.releases?.pending ?? 0)
        metrics.addRunTime(since: started)
        metrics.emit()
        context.logger.info(
            "extract run done",
            metadata: [
                "windows": "\(summary.windows)", "items": "\(summary.items)", "cursor": "\(summary.cursor)",
                "stoppedBecause": "\(summary.stoppedBecause)",
            ])
        // A run that stored nothing because the feed failed is a failed invocation (it shows in the metrics
        // and alarms); one that stored some windows reports the failure in its summary, and the next run
        // carries on from its cursor.
        if summary.windows == 0 && !summary.caughtUp && summary.stoppedBecause != .deadline {
            throw ExtractFailed(description: summary.stoppedBecause.description)
        }
        return summary
    }
}

/// A run that could store no window.
public struct ExtractFailed: Error, CustomStringConvertible {
    public var description: String
}
