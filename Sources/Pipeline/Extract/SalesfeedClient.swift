import HTTPClient
import Logging
import Tracker

/// Fetches windows of Bandcamp's sales feed, patiently: a 429 waits as long as `Retry-After` says, a 5xx,
/// a timeout, a broken connection or a truncated or non-JSON body is tried again with backoff, never past
/// the deadline.
public struct SalesfeedClient: Sendable {
    /// Bandcamp's base URL (or a local stand-in's).
    public let baseURL: String
    private let http: HTTPClient
    private let retryPolicy: RetryPolicy
    private let requestTimeout: Duration
    private let logger: Logger

    /// A client.
    public init(
        baseURL: String, http: HTTPClient, retryPolicy: RetryPolicy = RetryPolicy(maximumAttempts: 6),
        requestTimeout: Duration = .seconds(20), logger: Logger = Logger(label: "salesfeed")
    ) {
        self.baseURL = baseURL
        self.http = http
        self.retryPolicy = retryPolicy
        self.requestTimeout = requestTimeout
        self.logger = logger
    }

    /// The window that starts at `start`, parsed, with the body exactly as served.
    /// - Throws: `SalesfeedFetchError` when every attempt failed or no time is left.
    public func window(startingAt start: Int64, deadline: ContinuousClock.Instant?) async throws
        -> (window: SalesfeedWindow, body: [UInt8])
    {
        let url = "\(baseURL)/api/salesfeed/1/get?start_date=\(start)"
        var attempt = 0
        while true {
            attempt += 1
            var timeout = requestTimeout
            if let deadline {
                let left = deadline - .now
                guard left > .milliseconds(200) else {
                    throw SalesfeedFetchError(start: start, reason: "no time was left before the deadline")
                }
                timeout = min(timeout, left)
            }
            let reason: String
            var wait: Duration?
            do {
                let response = try await http.execute(
                    HTTPRequest(url: url, headers: ["Accept": "application/json"], timeout: timeout))
                switch response.status {
                case 200:
                    do {
                        return (try SalesfeedWindow.parse(response.body), response.body)
                    } catch let error as SalesfeedError {
                        reason = error.description
                    }
                case 429:
                    reason = "429 Too Many Requests"
                    wait = response.retryAfter(atMost: .seconds(300))
                case 500...:
                    reason = "HTTP \(response.status)"
                    wait = response.retryAfter(atMost: .seconds(300))
                default:
                    throw SalesfeedFetchError(
                        start: start, reason: "HTTP \(response.status), which will not change on retry")
                }
            } catch let error as HTTPClientError where error.isTransient {
                reason = "\(error.code): \(error.detail)"
            }
            let delay = max(wait ?? .zero, retryPolicy.delay(after: attempt))
            guard attempt < retryPolicy.maximumAttempts,
                retryPolicy.allows(delay, before: deadline, attemptNeeds: .seconds(1))
            else {
                throw SalesfeedFetchError(start: start, reason: "\(reason) (after \(attempt) attempts)")
            }
            logger.warning(
                "feed window not had, trying again",
                metadata: ["start": "\(start)", "reason": "\(reason)", "delay": "\(delay)"])
            try await Task.sleep(for: delay)
        }
    }
}

/// A window that could not be had.
public struct SalesfeedFetchError: Error, Sendable, CustomStringConvertible {
    /// The window's start.
    public var start: Int64
    /// Why not.
    public var reason: String

    public var description: String { "the sales feed window from \(start) could not be fetched: \(reason)" }
}
