import ArgumentParser
import Foundation
import RuntimeEmulator

/// Runs a function binary (a packaged `bootstrap`, say) under the local Runtime API, sends it events, and prints
/// what it answered: the same path as on Lambda, on a laptop.
@main
struct LambdaEmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lambda-emulator",
        abstract: "Run a function under a local Lambda Runtime API and send it events.",
        discussion: """
            The function starts with AWS_LAMBDA_RUNTIME_API pointing at this emulator and the rest of this \
            environment. Each --event is sent in turn; responses go to standard output, errors (with their \
            errorType) to standard error. The function then gets SIGTERM, as Lambda sends at shutdown.
            """)

    @Option(name: .customLong("event"), help: "An event JSON file; give it again to send several.")
    var events: [String]

    @Option(help: "Each invocation's time limit, in seconds.")
    var timeout = 60

    @Argument(help: "The function executable.")
    var function: String

    mutating func run() async throws {
        let emulator = try await RuntimeAPIEmulator.start()
        var environment = ProcessInfo.processInfo.environment
        environment["AWS_LAMBDA_RUNTIME_API"] = emulator.endpoint
        let child = try ChildProcess(path: function, environment: environment)
        var failures = 0
        for (index, path) in events.enumerated() {
            guard let event = FileManager.default.contents(atPath: path).map(Array.init) else {
                throw ValidationError("cannot read the event file '\(path)'")
            }
            FileHandleOutput.err("[\(index + 1)/\(events.count)] \(path)\n")
            let id = await emulator.enqueue(event, timeout: .seconds(timeout))
            let (outcome, initFailed) = await emulator.outcomeOrInitError(of: id)
            switch outcome {
            case .response(let body):
                print(String(decoding: body, as: UTF8.self))
            case .error(let type, let body):
                failures += 1
                let what = initFailed ? "init error" : "error"
                FileHandleOutput.err("\(what) \(type ?? "?"): \(String(decoding: body, as: UTF8.self))\n")
            }
            // A function that could not start answers no event: the rest are not sent.
            if initFailed { break }
        }
        child.signal(SIGTERM)
        let (status, peak) = await child.wait()
        await emulator.shutdown()
        FileHandleOutput.err(
            "summary: \(events.count) events, \(events.count - failures) answered, \(failures) errors; "
                + "exit status \(status >> 8), peak RSS \(peak / 1024) KiB\n")
        if failures > 0 { throw ExitCode(1) }
    }
}

enum FileHandleOutput {
    /// Writes to standard error.
    static func err(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
