import Dispatch
import Synchronization

/// One timer for the life of the process, armed for each invocation's deadline and disarmed when it is done.
///
/// A `Task.sleep` a invocation would do, but a cancelled sleep leaves its timer pending until the full
/// deadline: at thousands of short invocations under a 15-minute deadline, that is memory that grows with
/// every invocation. This one timer is re-armed in place.
/// Dispatch sources may be scheduled from any thread; the action is behind a lock.
final class DeadlineWatchdog: @unchecked Sendable {
    private let queue = DispatchQueue(label: "bandcamp-tracker.deadline")
    private let timer: any DispatchSourceTimer
    private let action = Mutex<(@Sendable () -> Void)?>(nil)

    init() {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        self.timer = timer
        timer.setEventHandler { [unowned self] in
            let fire = self.action.withLock { current -> (@Sendable () -> Void)? in
                defer { current = nil }
                return current
            }
            fire?()
        }
        timer.schedule(deadline: .distantFuture)
        timer.activate()
    }

    deinit {
        timer.cancel()
    }

    /// Calls `fire` once after `delay`, unless disarmed first; replaces any earlier arming.
    func arm(after delay: Duration, _ fire: @escaping @Sendable () -> Void) {
        action.withLock { $0 = fire }
        let (seconds, attoseconds) = max(delay, .zero).components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        timer.schedule(deadline: .now() + .nanoseconds(nanoseconds))
    }

    /// Cancels the pending call, if any.
    func disarm() {
        action.withLock { $0 = nil }
        timer.schedule(deadline: .distantFuture)
    }
}
