import Logging
import Testing

@testable import RuntimeShim

/// Every suite that runs a loop: `_X_AMZN_TRACE_ID` and the current request id are process-wide (a runtime
/// serves one invocation at a time), so these run one test at a time.
@Suite("Run loops", .serialized)
enum RunLoops {}

extension RunLoops {
    @Suite("The run loop, driven by an in-memory Runtime API")
    struct RunLoopTests {
        func run(
            _ script: [Invocation], handler: any LambdaRawHandler = ScriptedHandler(),
            postFailures: [LambdaRuntimeError] = [], grace: Duration = .seconds(2)
        ) async -> (posts: [InMemoryRuntimeClient.Post], ending: any Error, log: [String]) {
            let client = InMemoryRuntimeClient(script, postFailures: postFailures)
            let (logger, sink) = collectingLogger()
            let loop = LambdaRunLoop(
                client: client, handler: handler, environment: testEnvironment, logger: logger,
                timeoutGracePeriod: grace)
            do {
                try await loop.run()
            } catch {
                return (await client.posts, error, sink.lines)
            }
        }

        @Test("a typed handler's response is posted as JSON, and the loop asks for the next invocation")
        func typedResponse() async throws {
            let result = await run(
                [invocation(#"{"name":"Björk"}"#, id: "a"), invocation(#"{"name":"Sigur Rós"}"#, id: "b")],
                handler: CodableHandlerAdapter(GreetingHandler()))
            #expect(
                result.posts == [
                    .response(requestID: "a", body: #"{"message":"hello Björk"}"#),
                    .response(requestID: "b", body: #"{"message":"hello Sigur Rós"}"#),
                ])
            #expect(result.ending is InMemoryRuntimeClient.Exhausted)
            #expect(result.log.contains { $0.contains("\ta\tINFO\tgreeting Björk") })
        }

        @Test("a thrown error is posted with its type and message, and the loop goes on")
        func handlerError() async throws {
            let result = await run([invocation("fail", id: "a"), invocation("ok", id: "b")])
            #expect(
                result.posts == [
                    .error(
                        requestID: "a",
                        report: LambdaErrorReport(errorMessage: "refused on purpose", errorType: "Test.Refusal")),
                    .response(requestID: "b", body: "done ok"),
                ])
        }

        @Test("a malformed event is an invocation error that names the problem, not a crash")
        func malformedEvent() async throws {
            let result = await run(
                [
                    invocation(#"{"nom":"x"}"#, id: "a"), invocation("{not json", id: "b"),
                    invocation(#"{"name":"ok"}"#, id: "c"),
                ],
                handler: CodableHandlerAdapter(GreetingHandler()))
            guard case .error(_, let missingKey) = result.posts[0], case .error(_, let notJSON) = result.posts[1] else {
                Issue.record("expected two errors, got \(result.posts)")
                return
            }
            #expect(missingKey.errorType == "Runtime.InvalidEvent")
            #expect(missingKey.errorMessage.contains("the key 'name' is missing"))
            #expect(notJSON.errorType == "Runtime.InvalidEvent")
            #expect(result.posts[2] == .response(requestID: "c", body: #"{"message":"hello ok"}"#))
        }

        @Test("a response over 6,291,556 bytes becomes a clear error before it is posted")
        func responseTooLarge() async throws {
            let result = await run([
                invocation("big:6291557", id: "a"), invocation("big:6291556", id: "b"),
            ])
            guard case .error("a", let report) = result.posts[0] else {
                Issue.record("expected an error for a, got \(result.posts[0])")
                return
            }
            #expect(report.errorType == "Function.ResponseSizeTooLarge")
            #expect(report.errorMessage.contains("6291557 bytes"))
            guard case .response("b", let body) = result.posts[1] else {
                Issue.record("the largest allowed response must be posted")
                return
            }
            #expect(body.utf8.count == 6_291_556)
        }

        @Test("a 400, 403 or 413 from a post is logged and the loop goes on", arguments: [400, 403, 413])
        func rejectedPost(status: Int) async throws {
            let rejection = LambdaRuntimeError(.postRejected(status: status), "refused with \(status)")
            let result = await run(
                [invocation("ok", id: "a"), invocation("ok", id: "b")], postFailures: [rejection])
            #expect(result.posts == [.response(requestID: "b", body: "done ok")])
            #expect(result.ending is InMemoryRuntimeClient.Exhausted)
            #expect(result.log.contains { $0.contains("\ta\tERROR\trefused with \(status)") })
        }

        @Test("a 500 from a post ends the loop")
        func controlPlaneFailure() async throws {
            let failure = LambdaRuntimeError(.controlPlaneFailed(status: 500), "broken")
            let result = await run([invocation("ok", id: "a"), invocation("ok", id: "b")], postFailures: [failure])
            #expect((result.ending as? LambdaRuntimeError)?.code == .controlPlaneFailed(status: 500))
            #expect(result.posts.isEmpty)
        }

        @Test("a handler still running at its deadline is cancelled, reported, and the loop goes on")
        func deadline() async throws {
            let clock = ContinuousClock()
            let start = clock.now
            let result = await run([
                invocation("sleep:10000", id: "slow", timeout: .milliseconds(300)), invocation("ok", id: "next"),
            ])
            #expect(clock.now - start < .seconds(5))
            guard case .error("slow", let report) = result.posts.first else {
                Issue.record("expected a timeout error, got \(result.posts)")
                return
            }
            #expect(report.errorType == "Sandbox.Timedout")
            #expect(result.posts.last == .response(requestID: "next", body: "done ok"))
        }

        @Test("a handler that ignores cancellation past its deadline ends the process")
        func stuckHandler() async throws {
            let result = await run(
                [invocation("spin:1500", id: "stuck", timeout: .milliseconds(100)), invocation("ok", id: "never")],
                grace: .milliseconds(200))
            #expect((result.ending as? LambdaRuntimeError)?.code == .handlerDidNotStop)
            guard case .error("stuck", let report) = result.posts.first else {
                Issue.record("the timeout must still be reported, got \(result.posts)")
                return
            }
            #expect(report.errorType == "Sandbox.Timedout")
            #expect(!result.posts.contains { if case .response("never", _) = $0 { true } else { false } })
        }

        @Test("the trace id is exported as _X_AMZN_TRACE_ID for its invocation only")
        func traceID() async throws {
            let result = await run([
                invocation("context", id: "traced", traceID: "Root=1-abc;Parent=def;Sampled=1"),
                invocation("context", id: "untraced"),
            ])
            guard case .response(_, let traced) = result.posts[0], case .response(_, let untraced) = result.posts[1]
            else {
                Issue.record("expected two responses, got \(result.posts)")
                return
            }
            #expect(traced.split(separator: "|")[3] == "Root=1-abc;Parent=def;Sampled=1")
            #expect(untraced.split(separator: "|")[2] == "none")
            #expect(untraced.split(separator: "|")[3] == "none")
        }

        @Test("the context carries the environment's function facts and the remaining time")
        func contextFromEnvironment() async throws {
            let result = await run([invocation("context", id: "ctx")])
            guard case .response(_, let body) = result.posts.first else {
                Issue.record("expected a response")
                return
            }
            let fields = body.split(separator: "|").map(String.init)
            #expect(fields[0] == "ctx")
            #expect(fields[1] == "arn:aws:lambda:eu-west-2:123456789012:function:test")
            #expect(fields[6...] == ["test", "7", "512", "/aws/lambda/test", "2026/11/21/[7]abcdef", "deadline-ok"])
        }

        @Test("a race returns the value when it comes first, and times out when it does not")
        func race() async throws {
            let (logger, _) = collectingLogger()
            let loop = LambdaRunLoop(
                client: InMemoryRuntimeClient([]), handler: ScriptedHandler(), environment: testEnvironment,
                logger: logger)
            let quick = Task<Int, Never> { 42 }
            guard case .finished(42) = await loop.race(quick, within: .seconds(5))
            else {
                Issue.record("the value should win")
                return
            }
            let slow = Task<Int, Never> {
                try? await Task.sleep(for: .seconds(5))
                return 0
            }
            guard case .timedOut = await loop.race(slow, within: .milliseconds(50))
            else {
                Issue.record("the limit should win")
                return
            }
            slow.cancel()
        }
    }
}
