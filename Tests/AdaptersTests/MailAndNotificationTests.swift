import AWS
import Configuration
import Foundation
import TestSupport
import Testing
import Tracker

@testable import Adapters

let report = EmailMessage(
    from: "Bandcamp Tracker <reports@example.com>", to: ["Ólöf Arnalds <olof@example.org>", "label@example.org"],
    subject: "Daily report 2025-06-10: Sigur Rós, Björk and 日本の音楽 lead a Friday of 12,408 sales",
    text: "Sales: 12,408\nTop artist: Sigur Rós\n",
    html: "<h1>Daily report</h1><p>Top artist: <b>Sigur Rós</b> &amp; Björk</p>",
    attachments: [
        EmailAttachment(
            filename: "bandcamp-daily-2025-06-10.pdf", contentType: "application/pdf",
            data: Array("%PDF-1.7\n".utf8) + (0..<5000).map { UInt8($0 % 256) })
    ],
    headers: ["List-Unsubscribe": "<https://tracker.example.com/unsubscribe?token=abc>"])

@Suite("Mail and notifications, locally and through SES and SNS")
struct MailAndNotificationTests {
    let outbox = NSTemporaryDirectory() + "bandcamp-tracker-tests/outbox-\(UInt32.random(in: 0...UInt32.max))"

    @Test("the outbox holds a real .eml: HTML and text alternatives, the PDF, encoded unicode headers")
    func outboxEmail() async throws {
        let mailer = OutboxMailer(folder: outbox)
        let name = try await mailer.send(report)
        #expect(name.hasSuffix(".eml") && name.contains("daily-report-2025-06-10"))
        let parsed = try ParsedEmail.parse("\(outbox)/mail/\(name)")
        #expect(parsed.subject == report.subject)
        #expect(parsed.from == "Bandcamp Tracker <reports@example.com>")
        #expect(parsed.to == "Ólöf Arnalds <olof@example.org>, label@example.org")
        #expect(parsed.contentType == "multipart/mixed")
        #expect(parsed.unsubscribe == "<https://tracker.example.com/unsubscribe?token=abc>")
        #expect(parsed.messageID.hasPrefix("<") && parsed.messageID.hasSuffix("@bandcamp-tracker.local>"))
        #expect(parsed.parts.map(\.contentType) == ["text/plain", "text/html", "application/pdf"])
        #expect(parsed.parts[0].text == report.text)
        #expect(parsed.parts[1].text == report.html?.markup)
        #expect(parsed.parts[2].filename == "bandcamp-daily-2025-06-10.pdf")
        #expect(parsed.parts[2].size == report.attachments[0].data.count)
    }

    @Test("a plain message is a single text part")
    func plain() async throws {
        let mailer = OutboxMailer(folder: outbox)
        let name = try await mailer.send(
            EmailMessage(from: "a@example.com", to: ["b@example.org"], subject: "Hello", text: "only text"))
        let parsed = try ParsedEmail.parse("\(outbox)/mail/\(name)")
        #expect(parsed.contentType == "text/plain")
        #expect(parsed.parts.first?.text == "only text")
    }

    @Test("SES sends the report as raw MIME with its attachment, and a simple message as simple")
    func ses() async throws {
        let moto = try await MotoServer.shared()
        let client = moto.client()
        try await client.verifyEmailIdentity("reports@example.com")
        let mailer = SESMailer(client: client)
        let rawID = try await mailer.send(report)
        let simpleID = try await mailer.send(
            EmailMessage(
                from: "reports@example.com", to: ["b@example.org"], subject: "Plain", text: "t", html: "<p>t</p>"))
        let ses = try await moto.data()["ses"] as? [String: Any] ?? [:]
        let raw = (ses["RawMessage"] as? [[String: Any]] ?? []).first { $0["id"] as? String == rawID }
        let data = try #require(raw?["raw_data"] as? String)
        #expect(data.contains("multipart/mixed") && data.contains("bandcamp-daily-2025-06-10.pdf"))
        let simple = (ses["Message"] as? [[String: Any]] ?? []).first { $0["id"] as? String == simpleID }
        #expect(simple?["subject"] as? String == "Plain")
    }

    @Test("a notification lands in the outbox as JSON, and on an SNS topic with its attributes")
    func notifications() async throws {
        let notification = AlertNotification(
            subject: "Rising: ambient (3.1×)", message: "Ambient sells 3.1× its baseline share.",
            attributes: ["entity": .string("genre"), "genres": .strings(["ambient"]), "ratio": .number(3.25)])
        let name = try await OutboxNotifier(folder: outbox).publish(notification)
        let record =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: "\(outbox)/notifications/\(name)"))) as? [String: Any]
        let stored = record?["notification"] as? [String: Any]
        #expect(stored?["message"] as? String == notification.message)
        let attributes = stored?["attributes"] as? [String: Any]
        #expect(attributes?["entity"] as? String == "genre")
        #expect(attributes?["genres"] as? [String] == ["ambient"])
        #expect(attributes?["ratio"] as? Double == 3.25)

        let moto = try await MotoServer.shared()
        let client = moto.client()
        let topic = try await client.createTopic("alerts-\(UInt32.random(in: 0...UInt32.max))")
        let id = try await SNSNotifier(topicARN: topic, client: client).publish(notification)
        let topics = (try await moto.data()["sns"] as? [String: Any])?["Topic"] as? [[String: Any]] ?? []
        let sent = topics.first { $0["arn"] as? String == topic }?["sent_notifications"] as? [[Any]] ?? []
        let message = try #require(sent.first { $0.first as? String == id })
        #expect(message[1] as? String == notification.message)
        let sentAttributes = message[3] as? [String: [String: String]]
        #expect(sentAttributes?["entity"]?["Value"] == "genre")
        #expect(sentAttributes?["genres"]?["Type"] == "String.Array")
        #expect(sentAttributes?["genres"]?["Value"] == #"["ambient"]"#)
        #expect(sentAttributes?["ratio"]?["Type"] == "Number")
        #expect(sentAttributes?["ratio"]?["Value"] == "3.25")
    }

    @Test(
        "numbers go to SNS as plain decimals",
        arguments: [
            (3.25, "3.25"), (140.136956, "140.13696"), (-0.5, "-0.5"), (-2.0, "-2"), (0, "0"), (1e-9, "0"),
            (Double.infinity, "1000000000"),
        ])
    func snsNumbers(value: Double, text: String) {
        #expect(NotificationAttribute.decimal(value) == text)
    }

    @Test("the settings pick the adapters; a laptop needs no AWS credentials")
    func factory() throws {
        let factory = AdapterFactory(environment: [:])
        #expect(try factory.objectStore(.folder(path: "/tmp/x")).location == "file:///tmp/x")
        #expect(try factory.mailer(.outbox(path: "/tmp/o")).location == "file:///tmp/o/mail")
        #expect(try factory.notifier(.outbox(path: "/tmp/o")).location == "file:///tmp/o/notifications")
        let error = #expect(throws: AWSConfigurationError.self) {
            try factory.objectStore(.s3(bucket: "bucket", prefix: ""))
        }
        #expect(error?.description.contains("AWS_ACCESS_KEY_ID") == true)
        let configured = AdapterFactory(environment: [
            "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "eu-west-2",
        ])
        #expect(try configured.objectStore(.s3(bucket: "bucket", prefix: "p/")).location == "s3://bucket/p/")
        #expect(try configured.mailer(.ses).location == "ses:")
    }

    @Test("the database password comes from RDS's managed secret in Secrets Manager; none locally")
    func databasePassword() async throws {
        let moto = try await MotoServer.shared()
        let client = moto.client()
        let name = "rds!db-\(UInt32.random(in: 0...UInt32.max))"
        try await client.createSecret(name: name, value: #"{"username":"tracker","password":"p@ss \"w0rd\""}"#)
        let plain = "plain-\(UInt32.random(in: 0...UInt32.max))"
        try await client.createSecret(name: plain, value: "just-the-password")
        let factory = AdapterFactory(environment: [:], makeAWSClient: { client })
        #expect(try await factory.databasePassword(secretID: name)() == #"p@ss "w0rd""#)
        #expect(try await factory.databasePassword(secretID: plain)() == "just-the-password")
        #expect(try await AdapterFactory(environment: [:]).databasePassword(secretID: nil)() == nil)
        await #expect(throws: AWSError.self) { _ = try await factory.databasePassword(secretID: "missing")() }
    }
}
