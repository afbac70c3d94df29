import ArgumentParser
import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// The command line of a function run on a laptop, without the Runtime API.
struct LocalInvocationCommand: ParsableArguments {
    static let discussion = """
        With AWS_LAMBDA_RUNTIME_API set (as on Lambda), the function serves the Runtime API and takes no \
        arguments. Without it, it runs its handler once, in this process, on the event given with --event \
        (or on standard input), with a synthetic context: the response JSON goes to standard output, logs \
        to standard error, and a failure prints the error JSON on standard error and exits with status 1.
        """

    @Option(name: .long, help: ArgumentHelp("The event JSON file ('-' for standard input).", valueName: "file"))
    var event: String?

    @Option(name: .long, help: "The invocation's time limit, in seconds.")
    var timeout: Int = 900

    @Option(name: .long, help: "The request id of the synthetic context (random when not given).")
    var requestID: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Serve HTTP on this address as the function's URL would: each request becomes a function URL event "
                + "(payload format 2.0) and the response an HTTP response (port 0 picks a free port).",
            valueName: "host:port"))
    var serve: String?
}

/// Runs a handler once on an event from a file or standard input, as the function would run on Lambda.
enum LocalInvocation {
    /// The exit status.
    static func run(
        arguments: [String],
        environment: LambdaEnvironment,
        logger: Logger,
        help: FunctionHelp? = nil,
        makeHandler: @Sendable (LambdaInitContext) async throws -> any LambdaRawHandler
    ) async -> Int32 {
        let command: LocalInvocationCommand
        do {
            command = try LocalInvocationCommand.parse(arguments)
        } catch {
            let usage =
                "\(environment.functionName) [--event FILE] [--timeout SECONDS] [--request-id ID] [--serve HOST:PORT]"
            let message = LocalInvocationCommand.message(for: error)
            let isHelp = LocalInvocationCommand.exitCode(for: error) == .success
            let text =
                isHelp
                ? "USAGE: \(usage)\n\n" + (help.map { $0.text() + "\n\n" } ?? "")
                    + "\(LocalInvocationCommand.discussion)\n\n"
                    + LocalInvocationCommand.helpMessage(columns: 100).components(after: "OPTIONS:")
                : "error: \(message)\nusage: \(usage) (see --help)"
            FileOutput.write(text + "\n", to: isHelp ? 1 : 2)
            return isHelp ? 0 : 64
        }

        // An event to run once, unless serving HTTP (read first: a missing event needs no start-up).
        var event: [UInt8] = []
        if command.serve == nil {
            do {
                event = try readEvent(command.event)
            } catch {
                printFailure(LambdaErrorReport(errorMessage: "\(error)", errorType: "Local.InvalidArguments"))
                return 64
            }
        }

        let handler: any LambdaRawHandler
        do {
            handler = try await makeHandler(LambdaInitContext(environment: environment, logger: logger))
        } catch {
            logger.critical("start-up failed: \(error)")
            printFailure(LambdaErrorReport(error))
            return 1
        }
        if let address = command.serve {
            return await LocalHTTPServing.run(
                address: address, timeout: command.timeout, environment: environment, logger: logger, handler: handler)
        }

        let requestID = command.requestID ?? LocalInvocation.randomRequestID()
        let metadata = localMetadata(requestID: requestID, timeout: command.timeout, environment: environment)
        let loop = LambdaRunLoop(
            client: NoRuntimeAPI(), handler: handler, environment: environment, logger: logger)
        let outcome: InvocationOutcome
        do {
            outcome = try await loop.invoke(Invocation(metadata: metadata, event: event))
        } catch {
            printFailure(LambdaErrorReport(error))
            return 1
        }
        await handler.shutdown()
        switch outcome {
        case .response(let body):
            FileOutput.write(String(decoding: body, as: UTF8.self) + "\n", to: 1)
            return 0
        case .error(let report):
            printFailure(report)
            return 1
        }
    }

    /// The metadata of an invocation made here: a deadline `timeout` seconds away, a made-up ARN.
    static func localMetadata(requestID: String, timeout: Int, environment: LambdaEnvironment) -> InvocationMetadata {
        InvocationMetadata(
            requestID: requestID,
            deadlineMilliseconds: WallClock.nowMilliseconds() + Int64(timeout) * 1000,
            invokedFunctionARN: "arn:aws:lambda:\(environment.region ?? "local"):000000000000:function:"
                + environment.functionName)
    }

    private static func readEvent(_ path: String?) throws -> [UInt8] {
        switch path {
        case nil where isatty(0) != 0:
            throw LocalInvocationError(
                "no event: give --event FILE.json, or pipe the event on standard input (see --help)")
        case nil, "-":
            return FileInput.readAll(descriptor: 0)
        case let path?:
            guard let bytes = FileInput.read(path: path) else {
                throw LocalInvocationError("cannot read the event file '\(path)': \(String(cString: strerror(errno)))")
            }
            return bytes
        }
    }

    private static func printFailure(_ report: LambdaErrorReport) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(report)).map { String(decoding: $0, as: UTF8.self) } ?? report.errorMessage
        FileOutput.write(json + "\n", to: 2)
    }

    /// A request id in the shape Lambda's have (a random UUID).
    static func randomRequestID() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = bytes[6] & 0x0F | 0x40  // version 4
        bytes[8] = bytes[8] & 0x3F | 0x80  // RFC 4122 variant
        let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }
}

struct LocalInvocationError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Local invocation has no Runtime API to post to; `invoke` never calls it.
struct NoRuntimeAPI: LambdaRuntimeClientProtocol {
    func nextInvocation() async throws -> Invocation {
        throw LambdaRuntimeError(.connectionToControlPlaneLost, "local invocation has no Runtime API")
    }
    func reportResponse(_ body: [UInt8], requestID: String) async throws {}
    func reportError(_ report: LambdaErrorReport, requestID: String) async throws {}
    func reportInitError(_ report: LambdaErrorReport) async throws {}
}

/// Whole-file reads without Foundation's file APIs.
enum FileInput {
    static func read(path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        return readAll(descriptor: descriptor)
    }

    static func readAll(descriptor: Int32) -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            result.append(contentsOf: chunk[0..<count])
        }
        return result
    }
}

/// Unbuffered writes of whole strings to a file descriptor (stdout, stderr), retried when interrupted.
enum FileOutput {
    static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes {
                Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset)
            }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
    }
}

extension String {
    /// The text from the given marker on, or the whole text when the marker is not there.
    func components(after marker: String) -> String {
        guard let range = firstRange(of: marker) else { return self }
        return String(self[range.lowerBound...])
    }
}
