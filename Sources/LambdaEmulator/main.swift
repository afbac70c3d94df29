import ArgumentParser
import RuntimeEmulator

#if canImport(Glibc)
    import Glibc
#endif

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
        var environment: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                environment[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        environment["AWS_LAMBDA_RUNTIME_API"] = emulator.endpoint
        let child = try ChildProcess(path: function, environment: environment)
        var failures = 0
        for (index, path) in events.enumerated() {
            guard let event = Self.read(path) else {
                throw ValidationError("cannot read the event file '\(path)'")
            }
            FileHandleOutput.err("[\(index + 1)/\(events.count)] \(path)\n")
            switch await emulator.invoke(event, timeout: .seconds(timeout)) {
            case .response(let body):
                print(String(decoding: body, as: UTF8.self))
            case .error(let type, let body):
                failures += 1
                FileHandleOutput.err("error \(type ?? "?"): \(String(decoding: body, as: UTF8.self))\n")
            }
        }
        child.signal(SIGTERM)
        let (status, peak) = await child.wait()
        await emulator.shutdown()
        FileHandleOutput.err(
            "summary: \(events.count) events, \(events.count - failures) answered, \(failures) errors; "
                + "exit status \(status >> 8), peak RSS \(peak / 1024) KiB\n")
        if failures > 0 { throw ExitCode(1) }
    }

    static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return bytes
    }
}

enum FileHandleOutput {
    /// Writes to standard error, unbuffered.
    static func err(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}
