import Configuration
import Foundation
import RuntimeEmulator
import Testing

@Suite("The function binaries under a Runtime API on 127.0.0.1")
struct RuntimeAPITests {
    func lambdaEnvironment(_ emulator: RuntimeAPIEmulator, _ extra: [String: String] = [:]) -> [String: String] {
        var environment = [
            "AWS_LAMBDA_RUNTIME_API": emulator.endpoint,
            "BANDCAMP_TRACKER_HOME": NSTemporaryDirectory(),
        ]
        environment.merge(extra) { _, new in new }
        return environment
    }

    @Test("a function serves invocations, answers each, and shuts down cleanly on SIGTERM")
    func servesAndShutsDown() async throws {
        let emulator = try await RuntimeAPIEmulator.start()
        let function = try FunctionProcess(
            "AlertFunction", environment: lambdaEnvironment(emulator, ["AWS_LAMBDA_LOG_FORMAT": "JSON"]))
        // An hour that does not exist: each invocation is answered with an error, and the function goes on.
        let event = Array(#"{"at":"2026-11-22T24:00:00Z"}"#.utf8)
        for _ in 0..<3 {
            guard case .error(let type, let body) = await emulator.invoke(event) else {
                Issue.record("expected an error outcome")
                break
            }
            #expect(type == "Runtime.InvalidEvent")
            #expect(String(decoding: body, as: UTF8.self).contains("is not a UTC time"))
        }
        // The internal extension registered, so Lambda would send SIGTERM at shutdown.
        _ = await emulator.waitForCall(pathPrefix: "/2020-01-01/extension/event/next")
        function.process.terminate()
        let result = await function.finish()
        await emulator.shutdown()
        #expect(result.reason == .exit)
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.contains { $0.contains("SIGTERM") })
        // JSON logs: every line one object; the invocation's lines carry its request id.
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["timestamp"] != nil && object?["level"] != nil && object?["message"] != nil)
        }
        #expect(lines.filter { $0.contains("\"requestId\"") }.count >= 3)
    }

    @Test("a start-up failure is posted as an init error naming the settings, and the process exits non-zero")
    func initError() async throws {
        let emulator = try await RuntimeAPIEmulator.start()
        // On Lambda (a function name is set) there are no local defaults.
        let function = try FunctionProcess(
            "LoadFunction", environment: lambdaEnvironment(emulator, ["AWS_LAMBDA_FUNCTION_NAME": "load"]))
        guard case .error(let type, let body) = await emulator.initError() else {
            Issue.record("expected an init error")
            return
        }
        let result = await function.finish()
        await emulator.shutdown()
        #expect(type == "ConfigurationError")
        let message = String(decoding: body, as: UTF8.self)
        #expect(message.contains("OBJECT_STORE_URL is not set"))
        #expect(message.contains("DATABASE_URL is not set"))
        #expect(result.status == 1)
        #expect(await emulator.calls().allSatisfy { !$0.path.hasSuffix("/next") || $0.path.contains("extension") })
    }

    @Test("a crash leaves its reason and the request in the log before the process dies")
    func crashReport() async throws {
        let emulator = try await RuntimeAPIEmulator.start()
        let function = try FunctionProcess("EchoFunction", environment: lambdaEnvironment(emulator))
        #expect(await emulator.invoke(Array("ping".utf8)) == .response(body: Array("ping".utf8)))
        // The second /next: the first invocation is over, the loop waits for another.
        _ = await emulator.waitForCall(pathPrefix: "/2018-06-01/runtime/invocation/next", occurrence: 2)
        kill(function.process.processIdentifier, SIGSEGV)
        let result = await function.finish()
        await emulator.shutdown()
        #expect(result.reason == .uncaughtSignal)
        #expect(result.stdout.contains("the process crashed with SIGSEGV while handling request (none)"))
    }

    @Test("a Runtime API that fails /next ends the process instead of spinning")
    func nextFailure() async throws {
        let emulator = try await RuntimeAPIEmulator.start()
        await emulator.failNext(status: 500)
        let function = try FunctionProcess("EchoFunction", environment: lambdaEnvironment(emulator))
        let result = await function.finish()
        await emulator.shutdown()
        #expect(result.status == 1)
        #expect(result.stdout.contains("the Runtime API answered /next with 500"))
        #expect(await emulator.calls().filter { $0.path.hasSuffix("/invocation/next") }.count == 1)
    }
}
