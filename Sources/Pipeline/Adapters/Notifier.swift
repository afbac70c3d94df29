import AWS

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// A notification's attribute: SNS filter policies match strings, numbers (ranges) and string arrays (any of).
public enum NotificationAttribute: Sendable, Equatable, Codable {
    case string(String)
    case number(Double)
    case strings([String])

    /// Written as the plain JSON value: `"ambient"`, `3.25`, `["ambient", "drone"]`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .strings(try container.decode([String].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .strings(let values): try container.encode(values)
        }
    }

    /// As an SNS message attribute.
    var sns: SNSClient.AttributeValue {
        switch self {
        case .string(let value): .string(value)
        case .number(let value): .number(Self.decimal(value))
        case .strings(let values): .stringArray(values)
        }
    }

    /// A number as SNS takes it: decimal digits, no exponent, at most 5 decimals.
    static func decimal(_ value: Double) -> String {
        guard value.isFinite else { return value > 0 ? "1000000000" : "-1000000000" }
        let scaled = (value * 100_000).rounded()
        let whole = Int64(scaled / 100_000)
        var fraction = String(Int64(abs(scaled)) % 100_000)
        fraction = String(repeating: "0", count: 5 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let sign = scaled < 0 && whole == 0 ? "-" : ""
        return fraction.isEmpty ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }
}

/// A notification: what an alert says, with attributes subscribers can filter on.
public struct AlertNotification: Sendable, Equatable, Codable {
    /// A short subject (SNS's email subscriptions show it).
    public var subject: String
    /// The message.
    public var message: String
    /// Attributes (`entity`, `genres`, `ratio`, …), as SNS message attributes.
    public var attributes: [String: NotificationAttribute]

    /// A notification.
    public init(subject: String, message: String, attributes: [String: NotificationAttribute] = [:]) {
        self.subject = subject
        self.message = message
        self.attributes = attributes
    }
}

/// Publishes notifications: to an SNS topic on AWS, into an outbox folder of JSON files on a laptop.
public protocol Notifier: Sendable {
    /// Where notifications go, for logs.
    var location: String { get }

    /// Publishes one.
    /// - Returns: Its id.
    func publish(_ notification: AlertNotification) async throws -> String
}

/// Notifications to an SNS topic.
public struct SNSNotifier: Notifier {
    /// The topic.
    public let topicARN: String
    private let sns: SNSClient

    /// A notifier.
    public init(topicARN: String, client: AWSClient) {
        self.topicARN = topicARN
        sns = SNSClient(client: client)
    }

    public var location: String { topicARN }

    public func publish(_ notification: AlertNotification) async throws -> String {
        // SNS limits subjects to 100 characters of one line.
        let subject = String(notification.subject.split(whereSeparator: \.isNewline).first?.prefix(100) ?? "")
        return try await sns.publish(
            topicARN: topicARN, message: notification.message, subject: subject.isEmpty ? nil : subject,
            attributes: notification.attributes.mapValues(\.sns))
    }
}

/// Notifications into a folder: each a JSON file (`notifications/…json`), written atomically.
public struct OutboxNotifier: Notifier {
    /// The outbox folder.
    public let folder: String

    /// A notifier.
    public init(folder: String) {
        self.folder = folder
    }

    public var location: String { "file://\(folder)/notifications" }

    public func publish(_ notification: AlertNotification) async throws -> String {
        struct Record: Encodable {
            var id: String
            var publishedAt: String
            var notification: AlertNotification
        }
        let id = Outbox.newID()
        let now = Int(time(nil))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let bytes = Array(
            try encoder.encode(Record(id: id, publishedAt: Outbox.timestamp(now), notification: notification)))
        return try Outbox.write(
            bytes, folder: "\(folder)/notifications", time: now, title: notification.subject, id: id,
            extension: "json")
    }
}
