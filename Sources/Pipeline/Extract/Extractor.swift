import Adapters
import Gzip
import Logging
import Tracker

/// Follows the sales feed from the cursor forward, window by window, storing each window unchanged (gzip) as
/// an immutable raw object before the cursor moves past it: a crash, a timeout or a failed fetch loses no
/// window and repeats at most the one in hand (whose key is the same, so it is replaced, not doubled).
public struct Extractor: Sendable {
    /// What one run did.
    public struct Summary: Encodable, Sendable, Equatable {
        /// Windows stored this run.
        public var windows: Int
        /// Sale items in them.
        public var items: Int
        /// Where the next run starts.
        public var cursor: Int64
        /// Whether the feed's complete part has been reached.
        public var caughtUp: Bool
        /// Why the run ended.
        public var stoppedBecause: StopReason
        /// The keys written, in order.
        public var rawKeys: [String]
        /// What enrichment did with the releases of these sales, when it ran.
        public var releases: ReleaseEnricher.Summary?
    }

    /// Options.
    public struct Options: Sendable {
        /// Where a first run starts: this long before now.
        public var initialLookback: Duration = .seconds(3600)
        /// At most this many windows a run.
        public var maximumWindows: Int = 500
        /// Stop when this little time is left before the deadline (or a quarter of the time a run has, if
        /// less: a short invocation still gets most of its time).
        public var safetyMargin: Duration = .seconds(20)

        public init() {}
    }

    private let feed: SalesfeedClient
    private let enricher: ReleaseEnricher?
    private let store: any ObjectStore
    private let options: Options
    private let now: @Sendable () -> Int64
    private let logger: Logger

    /// An extractor.
    /// - Parameters:
    ///   - feed: The feed.
    ///   - enricher: Fetches new releases' pages after the windows are stored (none: no enrichment).
    ///   - store: Where raw objects and the cursor go.
    ///   - options: Limits.
    ///   - now: The wall clock in seconds since 1970 (a first run's start).
    public init(
        feed: SalesfeedClient, enricher: ReleaseEnricher? = nil, store: any ObjectStore, options: Options = Options(),
        now: @escaping @Sendable () -> Int64, logger: Logger = Logger(label: "extract")
    ) {
        self.feed = feed
        self.enricher = enricher
        self.store = store
        self.options = options
        self.now = now
        self.logger = logger
    }

    /// Runs until caught up, out of time, or at the window limit.
    /// - Parameter deadline: The invocation's deadline.
    /// - Throws: Only when not even the cursor can be read; a failed window ends the run with what was done
    ///   (reported in the summary) so the next run carries on from there.
    public func run(deadline: ContinuousClock.Instant?) async throws -> Summary {
        var cursor =
            try await FeedCursor.load(from: store)
            ?? FeedCursor(
                nextStart: now() - options.initialLookback.components.seconds, windowsStored: 0, updatedAt: now())
        var summary = Summary(
            windows: 0, items: 0, cursor: cursor.nextStart, caughtUp: false, stoppedBecause: .running, rawKeys: [],
            releases: nil)
        var releaseURLs: [String] = []
        let margin = deadline.map { min(options.safetyMargin, ($0 - .now) / 4) } ?? options.safetyMargin
        while true {
            if summary.windows >= options.maximumWindows {
                summary.stoppedBecause = .windowLimit
                break
            }
            if let deadline, deadline - .now < margin {
                summary.stoppedBecause = .deadline
                break
            }
            let fetched: (window: SalesfeedWindow, body: [UInt8])
            do {
                fetched = try await feed.window(
                    startingAt: cursor.nextStart, deadline: deadline.map { $0 - margin })
            } catch let error as SalesfeedFetchError {
                logger.error("\(error)")
                summary.stoppedBecause = .feedFailed(error.description)
                break
            }
            let window = fetched.window
            guard window.endDate <= window.completeUntil else {
                // The window reaches into time the feed has not finished publishing: next run.
                summary.caughtUp = true
                summary.stoppedBecause = .caughtUp
                break
            }
            guard window.endDate > cursor.nextStart else {
                summary.stoppedBecause = .feedWentBack(cursor: cursor.nextStart, windowEnd: window.endDate)
                logger.error("\(summary.stoppedBecause)")
                break
            }
            let key = RawKeys.salesfeedWindow(start: window.startDate, end: window.endDate)
            _ = try await store.put(
                key, body: Gzip.compress(fetched.body), contentType: "application/json", contentEncoding: "gzip")
            cursor.nextStart = window.endDate
            cursor.windowsStored += 1
            cursor.updatedAt = now()
            try await cursor.save(to: store)
            summary.windows += 1
            summary.items += window.items.count
            summary.cursor = cursor.nextStart
            summary.rawKeys.append(key)
            releaseURLs += window.items.compactMap(\.releaseURL)
            logger.info(
                "stored a feed window",
                metadata: ["key": "\(key)", "items": "\(window.items.count)", "cursor": "\(cursor.nextStart)"])
        }
        if let enricher {
            // After the windows: a page that fails or a store that hiccups here holds back no sale.
            do {
                summary.releases = try await enricher.enrich(releaseURLs, deadline: deadline.map { $0 - margin })
            } catch {
                logger.error("release enrichment stopped: \(error)")
            }
        }
        return summary
    }
}
