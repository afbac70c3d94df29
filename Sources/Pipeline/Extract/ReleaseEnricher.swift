import Adapters
import Gzip
import HTTPClient
import Logging
import Tracker

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// Fetches the page of each release not seen before, once, and stores what it says as a raw object
/// (`raw/releases/<host>/<path>.json.gz`). Politely: a few pages at a time, one at a time per host, a
/// User-Agent that names the product, timeouts, backoff on 408, 429 and 5xx. A page that fails so is queued
/// (`state/releases/pending.json`) and tried on a later run; a page that is gone or refused for good (any
/// other 4xx: 404, 410, 403, …) is stored as such, with its status, and not asked for again. It runs after the run's windows are stored, so it never holds back a sale.
public struct ReleaseEnricher: Sendable {
    /// What one pass did.
    public struct Summary: Encodable, Sendable, Equatable {
        /// Pages fetched and stored.
        public var fetched: Int = 0
        /// Releases already known (stored before).
        public var known: Int = 0
        /// Pages gone (404, 410), stored as such.
        public var gone: Int = 0
        /// Pages that failed this time and wait for a later run.
        public var pending: Int = 0

        public init(fetched: Int = 0, known: Int = 0, gone: Int = 0, pending: Int = 0) {
            self.fetched = fetched
            self.known = known
            self.gone = gone
            self.pending = pending
        }
    }

    /// Options.
    public struct Options: Sendable {
        /// Pages fetched at once, in all.
        public var concurrentRequests = 4
        /// Each page's time limit.
        public var requestTimeout: Duration = .seconds(15)
        /// `https`; `http` only for a local stand-in reached through host mapping.
        public var pageScheme = "https"

        public init() {}
    }

    private let http: HTTPClient
    private let store: any ObjectStore
    private let options: Options
    private let retryPolicy: RetryPolicy
    private let now: @Sendable () -> Int64
    private let logger: Logger

    /// An enricher.
    public init(
        http: HTTPClient, store: any ObjectStore, options: Options = Options(),
        retryPolicy: RetryPolicy = RetryPolicy(maximumAttempts: 3, baseDelay: .milliseconds(500)),
        now: @escaping @Sendable () -> Int64, logger: Logger = Logger(label: "enrich")
    ) {
        self.http = http
        self.store = store
        self.options = options
        self.retryPolicy = retryPolicy
        self.now = now
        self.logger = logger
    }

    /// The key of the queue of pages to try again.
    public static let pendingKey = "state/releases/pending.json"

    /// Fetches and stores the pages of the releases not known yet, and of those queued before.
    /// - Parameters:
    ///   - urls: Release URLs (`https://host/path`) seen in this run's sales.
    ///   - deadline: When to stop; what is not fetched by then is queued.
    public func enrich(_ urls: [String], deadline: ContinuousClock.Instant?) async throws -> Summary {
        var summary = Summary()
        let queued = try await loadPending()
        var seen: Set<String> = []
        var wanted: [String] = []
        for url in queued + urls where seen.insert(url).inserted {
            if try await store.head(RawKeys.releasePage(url)) != nil {
                summary.known += 1
            } else {
                wanted.append(url)
            }
        }
        // One queue a host, a few hosts at once: no host gets two requests at a time.
        var byHost: [String: [String]] = [:]
        for url in wanted { byHost[ReleaseURL.host(of: url), default: []].append(url) }
        let hosts = Array(byHost.values)
        let outcomes = await withTaskGroup(of: [(String, Outcome)].self) { group in
            var next = 0
            var results: [String: Outcome] = [:]
            func startNext() {
                guard next < hosts.count else { return }
                let urls = hosts[next]
                next += 1
                group.addTask {
                    var done: [(String, Outcome)] = []
                    for url in urls { done.append((url, await fetchAndStore(url, deadline: deadline))) }
                    return done
                }
            }
            for _ in 0..<options.concurrentRequests { startNext() }
            while let finished = await group.next() {
                for (url, outcome) in finished { results[url] = outcome }
                startNext()
            }
            return results
        }
        var pending: [String] = []
        for url in wanted {
            switch outcomes[url] {
            case .stored: summary.fetched += 1
            case .gone: summary.gone += 1
            case .failed, nil: pending.append(url)
            }
        }
        summary.pending = pending.count
        if pending != queued { try await savePending(pending) }
        return summary
    }

    enum Outcome: Sendable {
        case stored, gone, failed
    }

    private func fetchAndStore(_ url: String, deadline: ContinuousClock.Instant?) async -> Outcome {
        let address = options.pageScheme == "https" ? url : "http" + url.dropFirst("https".count)
        var policy = retryPolicy
        policy.attemptTimeout = options.requestTimeout
        let outcome: RetryOutcome<Outcome, Void>
        do {
            outcome = try await policy.run(deadline: deadline, leastTime: .seconds(1), room: .seconds(1)) {
                _, timeout in
                do {
                    let response = try await http.execute(
                        HTTPRequest(url: address, headers: ["Accept": "text/html"], timeout: timeout))
                    switch response.status {
                    case 200:
                        let page = try ReleasePageParser.parse(response.body, url: url)
                        try await store(Record(url: url, status: .ok, fetchedAt: now(), page: page), for: url)
                        return .done(.stored)
                    case 408, 429, 500...:
                        logger.warning("release page answered \(response.status)", metadata: ["url": "\(url)"])
                        return .retry((), wait: response.retryAfter(atMost: .seconds(120)))
                    case 400..<500:
                        // Gone (404, 410) or refused for good: stored with its status, not asked for every run.
                        try await store(
                            Record(url: url, status: .gone, fetchedAt: now(), page: nil, httpStatus: response.status),
                            for: url)
                        return .done(.gone)
                    default:
                        logger.warning("release page answered \(response.status)", metadata: ["url": "\(url)"])
                        return .done(.failed)
                    }
                } catch let error as HTTPClientError where error.isTransient {
                    logger.warning("release page not had: \(error)", metadata: ["url": "\(url)"])
                    return .retry(())
                }
            }
        } catch {
            logger.warning("release page not stored: \(error)", metadata: ["url": "\(url)"])
            return .failed
        }
        switch outcome {
        case .done(let stored): return stored
        case .gaveUp: return .failed
        }
    }

    /// What is stored for a release page.
    public typealias Record = ReleasePageRecord

    private func store(_ record: Record, for url: String) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        _ = try await store.put(
            RawKeys.releasePage(url), body: Gzip.compress(Array(try encoder.encode(record))),
            contentType: "application/json", contentEncoding: "gzip")
    }

    private func loadPending() async throws -> [String] {
        guard let object = try await store.getIfPresent(Self.pendingKey) else { return [] }
        return (try? JSONDecoder().decode([String].self, from: Data(object.body))) ?? []
    }

    private func savePending(_ urls: [String]) async throws {
        _ = try await store.put(
            Self.pendingKey, body: Array(try JSONEncoder().encode(urls)), contentType: "application/json",
            contentEncoding: nil)
    }
}
