import Logging
import RuntimeEmulator
import Testing

@testable import RuntimeShim

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension RunLoops {
    @Suite("The real HTTP client against a Runtime API on 127.0.0.1")
    struct HTTPRuntimeClientTests {
        /// Runs the loop against a fresh emulator until the test body is done, then shuts both down.
        func withLoop(
            handler: any LambdaRawHandler = ScriptedHandler(),
            grace: Duration = .seconds(2),
            _ body: (RuntimeAPIEmulator, Task<any Error, Never>) async throws -> Void
        ) async throws {
            let emulator = try await RuntimeAPIEmulator.start()
            let client = try HTTPRuntimeClient(endpoint: emulator.endpoint)
            let (logger, _) = collectingLogger()
            let loop = LambdaRunLoop(
                client: client, handler: handler, environment: testEnvironment, logger: logger,
                timeoutGracePeriod: grace)
            let running = Task<any Error, Never> {
                do { try await loop.run() } catch { return error }
            }
            try await body(emulator, running)
            await emulator.shutdown()
            _ = await running.value
        }

        @Test("every header of /next reaches the context, and the response is posted")
        func headers() async throws {
            try await withLoop { emulator, _ in
                let id = await emulator.enqueue(
                    Array("context".utf8), requestID: "8476a536-e9f4-11e8-9739-2dfe598c3fcd",
                    traceID: "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1",
                    clientContext: #"{"client":{"app_title":"t"}}"#, cognitoIdentity: #"{"cognitoIdentityId":"x"}"#,
                    functionARN: "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime")
                guard case .response(let body) = await emulator.outcome(of: id) else {
                    Issue.record("expected a response")
                    return
                }
                let fields = String(decoding: body, as: UTF8.self).split(separator: "|").map(String.init)
                #expect(fields[0] == "8476a536-e9f4-11e8-9739-2dfe598c3fcd")
                #expect(fields[1] == "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime")
                #expect(fields[2] == "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1")
                #expect(fields[3] == fields[2])
                #expect(fields[4] == #"{"client":{"app_title":"t"}}"#)
                #expect(fields[5] == #"{"cognitoIdentityId":"x"}"#)
                #expect(fields[11] == "deadline-ok")
            }
        }

        @Test("an emulator that leaves out the trace id is served all the same")
        func noTraceID() async throws {
            try await withLoop { emulator, _ in
                let id = await emulator.enqueue(Array("context".utf8), traceID: nil)
                guard case .response(let body) = await emulator.outcome(of: id) else {
                    Issue.record("expected a response")
                    return
                }
                #expect(String(decoding: body, as: UTF8.self).split(separator: "|")[2] == "none")
            }
        }

        @Test("an error is posted as JSON with the Lambda-Runtime-Function-Error-Type header")
        func errorPath() async throws {
            try await withLoop { emulator, _ in
                guard case .error(let type, let body) = await emulator.invoke(Array("fail".utf8)) else {
                    Issue.record("expected an error")
                    return
                }
                #expect(type == "Test.Refusal")
                let report = try JSONDecoder().decode(LambdaErrorReport.self, from: Data(body))
                #expect(report == LambdaErrorReport(errorMessage: "refused on purpose", errorType: "Test.Refusal"))
            }
        }

        @Test("a malformed event gets a clear error and the loop goes on")
        func malformedEvent() async throws {
            try await withLoop(handler: CodableHandlerAdapter(GreetingHandler())) { emulator, _ in
                guard case .error(let type, let body) = await emulator.invoke(Array("[1,2".utf8)) else {
                    Issue.record("expected an error")
                    return
                }
                #expect(type == "Runtime.InvalidEvent")
                #expect(String(decoding: body, as: UTF8.self).contains("not a valid Greeting"))
                let next = await emulator.invoke(Array(#"{"name":"Ólafur"}"#.utf8))
                #expect(next == .response(body: Array(#"{"message":"hello Ólafur"}"#.utf8)))
            }
        }

        @Test("a 413 from the Runtime API is logged and the loop serves the next invocation")
        func payloadTooLarge() async throws {
            try await withLoop { emulator, running in
                await emulator.failPosts(status: 413)
                let first = await emulator.enqueue(Array("ok".utf8))
                let second = await emulator.invoke(Array("ok".utf8))
                #expect(second == .response(body: Array("done ok".utf8)))
                let posts = await emulator.calls().filter { $0.path.contains(first) }
                #expect(posts.count == 1)
            }
        }

        @Test("a 500 from the Runtime API ends the loop")
        func serverError() async throws {
            try await withLoop { emulator, running in
                await emulator.failPosts(status: 500)
                await emulator.enqueue(Array("ok".utf8))
                let ending = await running.value
                #expect((ending as? LambdaRuntimeError)?.code == .controlPlaneFailed(status: 500))
            }
        }

        @Test("a non-200 from /next ends the loop instead of spinning", arguments: [403, 500])
        func nextFails(status: Int) async throws {
            try await withLoop { emulator, running in
                await emulator.failNext(status: status)
                let ending = await running.value
                #expect((ending as? LambdaRuntimeError)?.code == .nextInvocationFailed(status: status))
                #expect(await emulator.calls().count == 1)
            }
        }

        @Test("a Runtime API that goes away ends the loop")
        func apiGone() async throws {
            let emulator = try await RuntimeAPIEmulator.start()
            let client = try HTTPRuntimeClient(endpoint: emulator.endpoint)
            let (logger, _) = collectingLogger()
            let loop = LambdaRunLoop(
                client: client, handler: ScriptedHandler(), environment: testEnvironment, logger: logger)
            let running = Task<any Error, Never> {
                do { try await loop.run() } catch { return error }
            }
            _ = await emulator.waitForCall(pathPrefix: "/2018-06-01/runtime/invocation/next")
            await emulator.shutdown()
            let ending = await running.value
            #expect((ending as? LambdaRuntimeError)?.code == .connectionToControlPlaneLost)
        }

        @Test("a slow handler past its deadline is reported as timed out and the loop goes on")
        func slowHandler() async throws {
            try await withLoop { emulator, _ in
                let slow = await emulator.invoke(Array("sleep:20000".utf8), timeout: .milliseconds(400))
                guard case .error(let type, _) = slow else {
                    Issue.record("expected a timeout error, got \(slow)")
                    return
                }
                #expect(type == "Sandbox.Timedout")
                #expect(await emulator.invoke(Array("ok".utf8)) == .response(body: Array("done ok".utf8)))
            }
        }

        @Test("an init error is posted to /runtime/init/error")
        func initError() async throws {
            let emulator = try await RuntimeAPIEmulator.start()
            let client = try HTTPRuntimeClient(endpoint: emulator.endpoint)
            try await client.reportInitError(LambdaErrorReport(errorMessage: "no database", errorType: "Init.Failed"))
            guard case .error(let type, let body) = await emulator.initError() else {
                Issue.record("expected an init error")
                return
            }
            #expect(type == "Init.Failed")
            #expect(
                try JSONDecoder().decode(LambdaErrorReport.self, from: Data(body))
                    == LambdaErrorReport(errorMessage: "no database", errorType: "Init.Failed"))
            await emulator.shutdown()
        }

        @Test("an internal extension registers with its name and gets an identifier")
        func extensionRegistration() async throws {
            let emulator = try await RuntimeAPIEmulator.start()
            let client = try HTTPRuntimeClient(endpoint: emulator.endpoint)
            let identifier = try await client.registerInternalExtension(name: "test-shutdown")
            #expect(!identifier.isEmpty)
            let call = await emulator.waitForCall(pathPrefix: "/2020-01-01/extension/register")
            #expect(call.headers.contains { $0.name == "Lambda-Extension-Name" && $0.value == "test-shutdown" })
            #expect(String(decoding: call.body, as: UTF8.self) == #"{"events":[]}"#)
            await emulator.shutdown()
        }

        @Test("an endpoint that is not host:port is refused with a clear error")
        func badEndpoint() {
            #expect(throws: LambdaRuntimeError.self) { try HTTPRuntimeClient(endpoint: "localhost") }
            #expect(throws: LambdaRuntimeError.self) { try HTTPRuntimeClient(endpoint: "localhost:99999") }
        }
    }
}
