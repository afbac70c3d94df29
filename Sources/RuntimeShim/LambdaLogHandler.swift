import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The two log formats Lambda knows (`AWS_LAMBDA_LOG_FORMAT`).
public enum LambdaLogFormat: Sendable, Equatable {
    /// `timestamp<TAB>requestId<TAB>LEVEL<TAB>message key=value…`, as Lambda's own text format.
    case text
    /// One JSON object per line: `timestamp`, `level`, `requestId`, `message`, `logger` and the metadata.
    case json
}

/// A destination for log lines: a file descriptor, written unbuffered, one `write` a line.
///
/// Lambda's stdout is a pipe: a line left in a buffer when the process dies is lost, so nothing is buffered.
public final class LogSink: Sendable {
    private let descriptor: Int32
    private let lock = Mutex<Void>(())
    private let isCollecting: Bool
    private let collected = Mutex<[String]>([])

    /// A sink writing to a file descriptor (1 for stdout, 2 for stderr).
    public init(fileDescriptor: Int32) {
        descriptor = fileDescriptor
        isCollecting = false
    }

    private init(collecting: Void) {
        descriptor = -1
        isCollecting = true
    }

    /// A sink that keeps the lines in memory, for tests.
    public static func collecting() -> LogSink { LogSink(collecting: ()) }

    /// The lines a collecting sink has kept.
    public var lines: [String] { collected.withLock { $0 } }

    /// Writes one line (a newline is added).
    public func write(_ line: String) {
        if isCollecting {
            collected.withLock { $0.append(line) }
            return
        }
        // Under the lock, one line's writes never interleave with another's, however many threads log.
        lock.withLock { _ in FileOutput.write(line + "\n", to: descriptor) }
    }
}

/// A swift-log handler that writes Lambda's text or JSON lines, each with the request id.
public struct LambdaLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    /// The logger's label.
    public let label: String
    /// The line format.
    public let format: LambdaLogFormat
    private let sink: LogSink

    /// A handler.
    public init(label: String, format: LambdaLogFormat, level: Logger.Level, sink: LogSink) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let level = event.level
        let message = event.message
        var merged = metadata
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        if let error = event.error { merged["error"] = "\(error)" }
        let requestID = merged.removeValue(forKey: "requestId").map { "\($0)" } ?? RequestScope.requestID
        let timestamp = Self.timestamp()
        switch format {
        case .text:
            var line = "\(timestamp)\t\(requestID ?? "-")\t\(Self.levelName(level))\t\(message)"
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
                line += " \(key)=\(value)"
            }
            sink.write(line)
        case .json:
            var line = "{\"timestamp\":\(jsonString(timestamp)),\"level\":\(jsonString(Self.levelName(level)))"
            if let requestID { line += ",\"requestId\":\(jsonString(requestID))" }
            line += ",\"message\":\(jsonString(message.description)),\"logger\":\(jsonString(label))"
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
                line += ",\(jsonString(key)):\(jsonString(value.description))"
            }
            sink.write(line + "}")
        }
    }

    /// Lambda's level names.
    static func levelName(_ level: Logger.Level) -> String {
        switch level {
        case .trace: "TRACE"
        case .debug: "DEBUG"
        case .info: "INFO"
        case .notice: "INFO"
        case .warning: "WARN"
        case .error: "ERROR"
        case .critical: "FATAL"
        }
    }

    /// A level from `AWS_LAMBDA_LOG_LEVEL`'s names (TRACE, DEBUG, INFO, WARN, ERROR, FATAL).
    public static func level(named name: String?) -> Logger.Level? {
        switch name?.uppercased() {
        case "TRACE": .trace
        case "DEBUG": .debug
        case "INFO": .info
        case "WARN", "WARNING": .warning
        case "ERROR": .error
        case "FATAL", "CRITICAL": .critical
        default: nil
        }
    }

    /// Now, as `2026-11-21T20:58:02.123Z`.
    static func timestamp() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + "\(pad(Int32(spec.tv_nsec / 1_000_000), 3))Z"
    }
}

/// A JSON string literal for any text: quotes, backslashes and control characters escaped.
func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case let control where control.value < 0x20:
            let hex = String(control.value, radix: 16)
            result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}
