import AWS
import HTTPClient
import LocalHTTPServer
import Synchronization
import Testing

@Suite("Retries: backoff with jitter on 5xx, throttling and timeouts only, within the deadline")
struct RetryTests {
    /// A server that answers each request with the next status of a script (the last one repeats).
    func server(_ script: [(Int, String)]) async throws -> (LocalHTTPServer, Counter) {
        let count = Counter()
        let server = try await LocalHTTPServer.start { _ in
            let index = count.next()
            let (status, body) = script[min(index, script.count - 1)]
            return .response(
                status: status, headers: [("Content-Type", "application/x-amz-json-1.1")], body: Array(body.utf8))
        }
        return (server, count)
    }

    func client(_ server: LocalHTTPServer, attempts: Int = 5) -> SecretsManagerClient {
        SecretsManagerClient(
            client: AWSClient(
                configuration: AWSConfiguration(
                    credentials: AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret"), region: "eu-west-2",
                    endpointOverrides: ["AWS_ENDPOINT_URL": server.baseURL]),
                retryPolicy: RetryPolicy(maximumAttempts: attempts, baseDelay: .milliseconds(5))))
    }

    @Test("two 500s, then success: three attempts")
    func serverErrors() async throws {
        let (server, count) = try await server([
            (500, #"{"__type":"InternalServiceError","message":"boom"}"#), (503, ""), (200, #"{"SecretString":"ok"}"#),
        ])
        #expect(try await client(server).getSecretString("db") == "ok")
        #expect(count.value == 3)
        await server.shutdown()
    }

    @Test("throttling is retried")
    func throttling() async throws {
        let (server, count) = try await server([
            (400, #"{"__type":"ThrottlingException","message":"Rate exceeded"}"#), (200, #"{"SecretString":"ok"}"#),
        ])
        #expect(try await client(server).getSecretString("db") == "ok")
        #expect(count.value == 2)
        await server.shutdown()
    }

    @Test("a client error is not retried, and is typed")
    func clientError() async throws {
        let (server, count) = try await server([
            (
                400,
                #"{"__type":"ResourceNotFoundException","message":"Secrets Manager can't find the specified secret."}"#
            )
        ])
        let error = await #expect(throws: AWSError.self) { try await client(server).getSecretString("db") }
        #expect(error?.code == .notFound)
        #expect(error?.message == "Secrets Manager can't find the specified secret.")
        #expect(count.value == 1)
        await server.shutdown()
    }

    @Test("attempts stop at the policy's maximum")
    func maximumAttempts() async throws {
        let (server, count) = try await server([(503, "")])
        let error = await #expect(throws: AWSError.self) { try await client(server, attempts: 3).getSecretString("db") }
        #expect(error?.code == .serviceUnavailable)
        #expect(count.value == 3)
        await server.shutdown()
    }

    @Test("retries stop before the invocation's deadline")
    func deadline() async throws {
        let (server, count) = try await server([(503, "")])
        let slowPolicy = SecretsManagerClient(
            client: AWSClient(
                configuration: AWSConfiguration(
                    credentials: AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret"), region: "eu-west-2",
                    endpointOverrides: ["AWS_ENDPOINT_URL": server.baseURL]),
                retryPolicy: RetryPolicy(maximumAttempts: 50, baseDelay: .milliseconds(200), maximumDelay: .seconds(1)))
        )
        let clock = ContinuousClock()
        let start = clock.now
        await AWSDeadline.$current.withValue(start + .milliseconds(800)) {
            await #expect(throws: AWSError.self) { try await slowPolicy.getSecretString("db") }
        }
        // Without the deadline this policy would retry 50 times over some 45 s. With it, a handful of attempts
        // fit in 800 ms. The bounds leave room for a loaded machine (CI runs every suite at once on two cores,
        // which once stretched 800 ms to 1.7 s), not for ignoring the deadline.
        #expect(count.value < 10)
        #expect(clock.now - start < .seconds(5))
        await server.shutdown()
    }

    @Test("a refused connection is retried, then reported as unreachable")
    func unreachable() async throws {
        let (server, _) = try await server([(200, "{}")])
        let gone = client(server, attempts: 2)
        await server.shutdown()
        let error = await #expect(throws: AWSError.self) { try await gone.getSecretString("db") }
        #expect(error?.code == .unreachable)
        #expect(error?.transport?.code == .couldNotConnect)
    }

    @Test("the backoff grows exponentially, with full jitter, up to its cap")
    func backoff() {
        let policy = RetryPolicy(baseDelay: .milliseconds(100), maximumDelay: .seconds(1))
        for attempt in 1...8 {
            let cap = min(Duration.milliseconds(100) * (1 << (attempt - 1)), .seconds(1))
            for _ in 0..<50 {
                let delay = policy.delay(after: attempt)
                #expect(delay >= .zero && delay <= cap)
            }
        }
    }
}

/// Counts the requests a server answered.
final class Counter: Sendable {
    private let count = Mutex(0)

    /// The count before this request, and one more.
    func next() -> Int {
        count.withLock { value in
            value += 1
            return value - 1
        }
    }

    var value: Int { count.withLock { $0 } }
}
