import Foundation

/// A built function binary, run as a child process the way Lambda or a person runs it.
struct FunctionProcess {
    /// The folder of the built products: the test bundle sits beside the executables.
    static let productsDirectory: URL = {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        while directory.path != "/"
            && !FileManager.default.fileExists(
                atPath: directory.appendingPathComponent("ExtractFunction").path)
        {
            directory = directory.deletingLastPathComponent()
        }
        return directory
    }()

    /// The repository's root.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    let process = Process()
    let output = Pipe()
    let errors = Pipe()

    /// Starts a function.
    /// - Parameters:
    ///   - name: The executable, e.g. `ExtractFunction`.
    ///   - arguments: Its arguments.
    ///   - environment: Its whole environment (nothing is inherited but PATH).
    ///   - input: Standard input; `/dev/null` when `nil`.
    init(_ name: String, arguments: [String] = [], environment: [String: String], input: Data? = nil) throws {
        process.executableURL = Self.productsDirectory.appendingPathComponent(name)
        process.arguments = arguments
        var environment = environment
        environment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
        // Swift's backtracer takes a while to write; the tests read our own crash line.
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        process.currentDirectoryURL = Self.repository
        process.standardOutput = output
        process.standardError = errors
        if let input {
            let pipe = Pipe()
            process.standardInput = pipe
            try process.run()
            pipe.fileHandleForWriting.write(input)
            try pipe.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
    }

    /// Waits for the end and returns the exit status (or the signal) with everything written. Both pipes are
    /// drained at once (a child that fills one while we read the other to its end would wait on us for ever),
    /// each on a thread of its own: never on the cooperative pool, which the emulator's tasks need to answer the
    /// function.
    func finish() async -> (status: Int32, reason: Process.TerminationReason, stdout: String, stderr: String) {
        async let out = Self.blocking { output.fileHandleForReading.readDataToEndOfFile() }
        async let err = Self.blocking { errors.fileHandleForReading.readDataToEndOfFile() }
        let (stdout, stderr) = await (out, err)
        let ended = await Self.blocking {
            process.waitUntilExit()
            return (process.terminationStatus, process.terminationReason)
        }
        return (ended.0, ended.1, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    private static func blocking<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue(label: "function-process").async { continuation.resume(returning: work()) }
        }
    }

    /// Runs a function to its end.
    static func run(
        _ name: String, arguments: [String] = [], environment: [String: String] = [:], input: Data? = nil
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        let result = try await FunctionProcess(name, arguments: arguments, environment: environment, input: input)
            .finish()
        return (result.status, result.stdout, result.stderr)
    }
}

/// The error report a function printed last on stderr.
struct PrintedError: Decodable, Equatable {
    var errorMessage: String
    var errorType: String
    var stackTrace: [String]

    init?(lastLineOf text: String) {
        guard let line = text.split(separator: "\n").last,
            let report = try? JSONDecoder().decode(PrintedError.self, from: Data(line.utf8))
        else { return nil }
        self = report
    }
}
