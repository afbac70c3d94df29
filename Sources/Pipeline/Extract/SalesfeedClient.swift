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
        var policy = retryPolicy
        policy.attemptTimeout = requestTimeout
        let outcome: RetryOutcome<(window: SalesfeedWindow, body: [UInt8]), String> = try await policy.run(
            deadline: deadline, leastTime: .milliseconds(200), room: .seconds(1)
        ) { _, timeout in
            do {
                let response = try await http.execute(
                    HTTPRequest(url: url, headers: ["Accept": "application/json"], timeout: timeout))
                switch response.status {
                case 200:
                    do {
                        return .done((try SalesfeedWindow.parse(response.body), response.body))
                    } catch let error as SalesfeedError {
                        return .retry(error.description)
                    }
                case 429:
                    return .retry("429 Too Many Requests", wait: response.retryAfter(atMost: .seconds(300)))
                case 500...:
                    return .retry("HTTP \(response.status)", wait: response.retryAfter(atMost: .seconds(300)))
                default:
                    throw SalesfeedFetchError(
                        start: start, reason: "HTTP \(response.status), which will not change on retry")
                }
            } catch let error as HTTPClientError where error.isTransient {
                return .retry("\(error.code): \(error.detail)")
            }
        } onRetry: { reason, _, delay in
            logger.warning(
                "feed window not had, trying again",
                metadata: ["start": "\(start)", "reason": "\(reason)", "delay": "\(delay)"])
        }
        return try outcome.value { reason, attempts in
            SalesfeedFetchError(
                start: start,
                reason: reason.map { "\($0) (after \(attempts) attempts)" } ?? "no time was left before the deadline")
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
