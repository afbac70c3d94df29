import HTTPClient
import Synchronization
import Testing

@Suite("RetryPolicy.run: the one retry loop")
struct RetryPolicyRunTests {
    let fast = RetryPolicy(
        maximumAttempts: 4, baseDelay: .milliseconds(1), maximumDelay: .milliseconds(2), attemptTimeout: .seconds(3))

    @Test("attempts until one is done, telling each retry")
    func untilDone() async throws {
        let retried = Mutex<[Int]>([])
        let outcome: RetryOutcome<String, String> = try await fast.run(
            deadline: nil, leastTime: .zero, room: .zero
        ) { attempt, timeout in
            #expect(timeout == .seconds(3))
            return attempt < 3 ? .retry("busy \(attempt)") : .done("answer")
        } onRetry: { failure, attempt, _ in
            retried.withLock { $0.append(attempt) }
            #expect(failure == "busy \(attempt)")
        }
        guard case .done(let value) = outcome else {
            Issue.record("not done: \(outcome)")
            return
        }
        #expect(value == "answer" && retried.withLock { $0 } == [1, 2])
    }

    @Test("gives up after its attempts, with the last failure")
    func spent() async throws {
        let outcome: RetryOutcome<String, String> = try await fast.run(deadline: nil, leastTime: .zero, room: .zero) {
            attempt, _ in .retry("failure \(attempt)")
        }
        guard case .gaveUp(let failure, let attempts) = outcome else {
            Issue.record("not given up: \(outcome)")
            return
        }
        #expect(failure == "failure 4" && attempts == 4)
    }

    @Test("a thrown error ends the run at once")
    func thrown() async {
        struct Refused: Error {}
        let count = Mutex(0)
        await #expect(throws: Refused.self) {
            let _: RetryOutcome<String, String> = try await fast.run(deadline: nil, leastTime: .zero, room: .zero) {
                _, _ in
                count.withLock { $0 += 1 }
                throw Refused()
            }
        }
        #expect(count.withLock { $0 } == 1)
    }

    @Test("never waits past the deadline, and cuts each attempt's timeout to the time left")
    func deadline() async throws {
        let deadline = ContinuousClock.now + .milliseconds(300)
        let slow = RetryPolicy(
            maximumAttempts: 10, baseDelay: .milliseconds(50), maximumDelay: .milliseconds(50),
            attemptTimeout: .seconds(30))
        let outcome: RetryOutcome<String, String> = try await slow.run(
            deadline: deadline, leastTime: .milliseconds(10), room: .milliseconds(100)
        ) { attempt, timeout in
            #expect(timeout <= .milliseconds(300))
            // The server asks for a second: no such wait fits before the deadline.
            return .retry("throttled", wait: .seconds(1))
        }
        guard case .gaveUp(let failure, let attempts) = outcome else {
            Issue.record("not given up: \(outcome)")
            return
        }
        #expect(failure == "throttled" && attempts == 1)
        #expect(ContinuousClock.now < deadline)
        // With no time left at all, no attempt starts.
        let none: RetryOutcome<String, String> = try await slow.run(
            deadline: .now, leastTime: .milliseconds(10), room: .zero
        ) { _, _ in .done("never") }
        guard case .gaveUp(nil, 0) = none else {
            Issue.record("an attempt started with no time left: \(none)")
            return
        }
    }
}
