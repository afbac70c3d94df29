import AWS

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// A notification: what an alert says, with attributes subscribers can filter on.
public struct AlertNotification: Sendable, Equatable, Codable {
    /// A short subject (SNS's email subscriptions show it).
    public var subject: String
    /// The message.
    public var message: String
    /// Attributes (`kind`, `genre`, `artist`, …), as SNS message attributes.
    public var attributes: [String: String]

    /// A notification.
    public init(subject: String, message: String, attributes: [String: String] = [:]) {
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
            attributes: notification.attributes.mapValues { .string($0) })
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
