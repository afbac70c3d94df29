/// How failed calls are tried again: exponential backoff with full jitter, never past a deadline. Which
/// failures are worth another try is the caller's to say (5xx, throttling, transient transport failures).
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maximumAttempts: Int
    /// The backoff before the second attempt (before jitter).
    public var baseDelay: Duration
    /// The largest backoff.
    public var maximumDelay: Duration
    /// The limit on each attempt, shortened to the time left before the deadline.
    public var attemptTimeout: Duration

    /// A policy.
    public init(
        maximumAttempts: Int = 5, baseDelay: Duration = .milliseconds(100), maximumDelay: Duration = .seconds(5),
        attemptTimeout: Duration = .seconds(30)
    ) {
        self.maximumAttempts = maximumAttempts
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
        self.attemptTimeout = attemptTimeout
    }

    /// The backoff before attempt `attempt + 1` (attempt counts from 1): random in 0...min(cap, base·2^(n-1)).
    public func delay(after attempt: Int) -> Duration {
        let exponential = baseDelay * Int(1 << min(attempt - 1, 20))
        let cap = min(exponential, maximumDelay)
        let nanoseconds = cap.components.seconds * 1_000_000_000 + cap.components.attoseconds / 1_000_000_000
        return .nanoseconds(Int64.random(in: 0...max(nanoseconds, 0)))
    }

    /// Whether another attempt fits before a deadline, after waiting `delay`, with room for the attempt.
    public func allows(_ delay: Duration, before deadline: ContinuousClock.Instant?, attemptNeeds room: Duration)
        -> Bool
    {
        guard let deadline else { return true }
        return ContinuousClock.now + delay + room < deadline
    }
}
