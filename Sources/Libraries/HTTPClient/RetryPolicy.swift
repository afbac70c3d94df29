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

/// What one attempt came to.
public enum Attempt<Value: Sendable, Failure: Sendable>: Sendable {
    /// It worked.
    case done(Value)
    /// It failed in a way another attempt may not (a 5xx, throttling, a transport failure); `wait` is what the
    /// peer asked for (`Retry-After`), at least.
    case retry(Failure, wait: Duration? = nil)
}

/// How a run of attempts ended.
public enum RetryOutcome<Value: Sendable, Failure: Sendable>: Sendable {
    case done(Value)
    /// No attempt may be made any more: the attempts are spent, or the time before the deadline. `failure` is
    /// the last attempt's, or `nil` when no attempt could start at all.
    case gaveUp(failure: Failure?, attempts: Int)
}

extension RetryPolicy {
    /// Makes attempts until one is done or no more may be made: the one loop every caller that retries uses.
    /// - Parameters:
    ///   - deadline: Nothing starts or waits past it; each attempt's timeout is cut to the time left.
    ///   - leastTime: An attempt is not started with less time than this left.
    ///   - room: After a wait, the time an attempt needs: no wait is begun that would leave less.
    ///   - body: One attempt, given its number (from 1) and its timeout. Throwing ends the run at once: a
    ///     failure that no attempt would change.
    ///   - onRetry: Told of each failure that will be tried again, with the wait before the next attempt.
    public func run<Value: Sendable, Failure: Sendable>(
        deadline: ContinuousClock.Instant?, leastTime: Duration, room: Duration,
        _ body: (_ attempt: Int, _ timeout: Duration) async throws -> Attempt<Value, Failure>,
        onRetry: (_ failure: Failure, _ attempt: Int, _ delay: Duration) -> Void = { _, _, _ in }
    ) async throws -> RetryOutcome<Value, Failure> {
        var last: Failure?
        var attempt = 0
        while true {
            attempt += 1
            var timeout = attemptTimeout
            if let deadline {
                let left = deadline - .now
                guard left > leastTime else { return .gaveUp(failure: last, attempts: attempt - 1) }
                timeout = min(timeout, left)
            }
            switch try await body(attempt, timeout) {
            case .done(let value):
                return .done(value)
            case .retry(let failure, let wait):
                last = failure
                let delay = max(wait ?? .zero, self.delay(after: attempt))
                guard attempt < maximumAttempts, allows(delay, before: deadline, attemptNeeds: room) else {
                    return .gaveUp(failure: failure, attempts: attempt)
                }
                onRetry(failure, attempt, delay)
                try await Task.sleep(for: delay)
            }
        }
    }
}

extension RetryOutcome {
    /// The value, or the error `giveUp` makes of the last failure (`nil` when no attempt could start) and the
    /// attempts made.
    public func value(orThrow giveUp: (_ failure: Failure?, _ attempts: Int) -> any Error) throws -> Value {
        switch self {
        case .done(let value): return value
        case .gaveUp(let failure, let attempts): throw giveUp(failure, attempts)
        }
    }
}
