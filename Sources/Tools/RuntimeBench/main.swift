import ArgumentParser
import RuntimeEmulator

#if canImport(Glibc)
    import Glibc
#endif

/// Measures the runtime shim as Lambda would run it: cold start (process start to the first `/next`),
/// peak resident memory, and invocations per second of a trivial handler, against the local Runtime API.
@main
struct RuntimeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Cold start, peak RSS and invocations per second of a function under the local Runtime API.")

    @Option(help: "The function executable to measure (a trivial handler: EchoFunction).")
    var function: String

    @Option(help: "How many cold starts to time.")
    var coldStarts = 30

    @Option(help: "How many invocations to send to one warm process.")
    var invocations = 20_000

    @Option(help: "Other functions whose cold start (to the first /next) to time as well; repeatable.")
    var coldStartFunction: [String] = []

    @Option(
        name: .customLong("environment"),
        help: """
            NAME=VALUE added to the environment of every function started (e.g. LD_LIBRARY_PATH=a layer's lib/, \
            unpacked, as Lambda's /opt/lib); repeatable.
            """)
    var extraEnvironment: [String] = []

    func validate() throws {
        for setting in extraEnvironment where !setting.contains("=") || setting.hasPrefix("=") {
            throw ValidationError("--environment \(setting): expected NAME=VALUE")
        }
    }

    /// Times `coldStarts` starts of a function to its first `/next`; with `invoke`, also its first invocation.
    func coldStart(_ path: String, invoke: Bool) async throws -> (starts: [Double], firstInvocations: [Double]) {
        var starts: [Double] = []
        var firstInvocations: [Double] = []
        print("cold start: \(coldStarts) runs of \(Self.name(path))")
        for run in 1...coldStarts {
            let emulator = try await RuntimeAPIEmulator.start()
            let child = try ChildProcess(path: path, environment: environment(emulator))
            let next = await emulator.waitForCall(pathPrefix: "/2018-06-01/runtime/invocation/next")
            starts.append(Double(next.arrivalNanoseconds - child.startNanoseconds) / 1e6)
            if invoke {
                let sent = RuntimeAPIEmulator.monotonicNanoseconds()
                _ = await emulator.invoke(Array(#"{"ping":1}"#.utf8))
                firstInvocations.append(Double(RuntimeAPIEmulator.monotonicNanoseconds() - sent) / 1e6)
            }
            child.signal(SIGKILL)
            _ = await child.wait()
            await emulator.shutdown()
            if run % 10 == 0 { print("  \(run)/\(coldStarts)") }
        }
        return (starts, firstInvocations)
    }

    mutating func run() async throws {
        let (starts, firstInvocations) = try await coldStart(function, invoke: true)
        var others: [(String, [Double])] = []
        for other in coldStartFunction {
            others.append((Self.name(other), try await coldStart(other, invoke: false).starts))
        }

        print("throughput: \(invocations) invocations of one warm process")
        let emulator = try await RuntimeAPIEmulator.start()
        let child = try ChildProcess(path: function, environment: environment(emulator))
        let payload = Array(#"{"artist":"Sigur Rós","amount_paid_usd":7.5}"#.utf8)
        _ = await emulator.invoke(payload)
        let begin = RuntimeAPIEmulator.monotonicNanoseconds()
        var last = ""
        for index in 0..<invocations {
            last = await emulator.enqueue(payload)
            if index % 5000 == 4999 { print("  queued \(index + 1)/\(invocations)") }
        }
        _ = await emulator.outcome(of: last)
        let seconds = Double(RuntimeAPIEmulator.monotonicNanoseconds() - begin) / 1e9
        child.signal(SIGTERM)
        let (_, peak) = await child.wait()
        await emulator.shutdown()

        print("")
        print("summary (\(function.split(separator: "/").last ?? ""))")
        print(
            "  cold start to first /next:  median \(Self.format(Self.percentile(starts, 0.5))) ms, "
                + "p90 \(Self.format(Self.percentile(starts, 0.9))) ms, min \(Self.format(starts.min() ?? 0)) ms")
        print("  first invocation round trip: median \(Self.format(Self.percentile(firstInvocations, 0.5))) ms")
        print("  peak RSS after \(invocations + 1) invocations: \(Self.format(Double(peak) / 1_048_576)) MiB")
        print("  warm invocations per second: \(Int(Double(invocations) / seconds))")
        let echoMedian = Self.percentile(starts, 0.5)
        for (name, times) in others {
            let median = Self.percentile(times, 0.5)
            print(
                "  \(name) cold start to first /next: median \(Self.format(median)) ms, "
                    + "p90 \(Self.format(Self.percentile(times, 0.9))) ms, "
                    + "\(Self.format(median / echoMedian))x \(Self.name(function))'s")
        }
    }

    /// A function's name from its path: the file's, or for a package's `bootstrap`, its folder's.
    static func name(_ path: String) -> String {
        let parts = path.split(separator: "/")
        return String((parts.last == "bootstrap" ? parts.dropLast().last : parts.last) ?? "")
    }

    func environment(_ emulator: RuntimeAPIEmulator) -> [String: String] {
        var environment = [
            "AWS_LAMBDA_RUNTIME_API": emulator.endpoint,
            // No AWS_LAMBDA_FUNCTION_NAME: the pipeline functions start on their local defaults.
            "BANDCAMP_TRACKER_HOME": "/tmp",
            "AWS_LAMBDA_LOG_LEVEL": "WARN",
            "PATH": "/usr/bin:/bin",
        ]
        for setting in extraEnvironment {
            let (name, value) = (setting.prefix { $0 != "=" }, setting.drop { $0 != "=" }.dropFirst())
            environment[String(name)] = String(value)
        }
        return environment
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * fraction + 0.5))]
    }

    static func format(_ value: Double) -> String {
        let scaled = (value * 100).rounded() / 100
        return String(scaled)
    }
}
