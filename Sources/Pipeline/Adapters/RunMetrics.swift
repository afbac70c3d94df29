#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// What a function's run did, as numbers an operator watches: one log line in CloudWatch's Embedded Metric
/// Format (no API call, no SDK), which CloudWatch Logs turns into metrics of the `bandcamp-tracker` namespace
/// with one dimension, the function. On Lambda the line goes to standard output with the logs; locally to
/// standard error, with the logs.
public struct RunMetrics: Sendable {
    /// A metric's unit, as CloudWatch names it.
    public enum Unit: String, Sendable {
        case count = "Count"
        case seconds = "Seconds"
        case milliseconds = "Milliseconds"
    }

    public static let namespace = "bandcamp-tracker"

    /// `Load`, `Extract`, …: the metrics' one dimension.
    public var function: String
    public private(set) var values: [(name: String, unit: Unit, value: Double)] = []

    public init(function: String) {
        self.function = function
    }

    /// Adds a metric (a later value of the same name replaces it).
    public mutating func add(_ name: String, _ value: Double, _ unit: Unit = .count) {
        values.removeAll { $0.name == name }
        values.append((name, unit, value))
    }

    public mutating func add(_ name: String, _ value: Int, _ unit: Unit = .count) {
        add(name, Double(value), unit)
    }

    /// Adds the run's time since `started`, in milliseconds (`RunMilliseconds`).
    public mutating func addRunTime(since started: ContinuousClock.Instant) {
        let elapsed = (ContinuousClock.now - started).components
        add(
            "RunMilliseconds", Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15, .milliseconds)
    }

    /// The EMF document: `_aws` with the timestamp (milliseconds) and one directive naming every metric, the
    /// dimension and each metric's value at the root.
    public func line(at milliseconds: Int64) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(Document(metrics: self, timestamp: milliseconds))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The document's JSON: the metadata, the dimension, and a member per metric.
    private struct Document: Encodable {
        var metrics: RunMetrics
        var timestamp: Int64

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(_ string: String) { stringValue = string }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        struct Metadata: Encodable {
            struct Directive: Encodable {
                struct Metric: Encodable {
                    var name: String
                    var unit: String
                    enum CodingKeys: String, CodingKey {
                        case name = "Name"
                        case unit = "Unit"
                    }
                }
                var namespace: String
                var dimensions: [[String]]
                var metrics: [Metric]
                enum CodingKeys: String, CodingKey {
                    case namespace = "Namespace"
                    case dimensions = "Dimensions"
                    case metrics = "Metrics"
                }
            }
            var timestamp: Int64
            var directives: [Directive]
            enum CodingKeys: String, CodingKey {
                case timestamp = "Timestamp"
                case directives = "CloudWatchMetrics"
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(
                Metadata(
                    timestamp: timestamp,
                    directives: [
                        .init(
                            namespace: RunMetrics.namespace, dimensions: [["Function"]],
                            metrics: metrics.values.map { .init(name: $0.name, unit: $0.unit.rawValue) })
                    ]), forKey: Key("_aws"))
            try container.encode(metrics.function, forKey: Key("Function"))
            for value in metrics.values { try container.encode(value.value, forKey: Key(value.name)) }
        }
    }

    /// Writes the line, in one write: where the logs go (standard output on Lambda, standard error locally).
    public func emit(now: Int64 = Int64(Date().timeIntervalSince1970 * 1000)) {
        let text = line(at: now) + "\n"
        let descriptor: Int32 = getenv("AWS_LAMBDA_RUNTIME_API") == nil ? 2 : 1
        _ = text.withCString { write(descriptor, $0, strlen($0)) }
    }
}
