import AWS
import Adapters
import Foundation
import Logging
import Postgres
import ReadModel
import Report
import TestSupport
import Testing
import Tracker

/// Subscribers: two active for the daily report (one with a name full of HTML), one pending, one unsubscribed,
/// one active who does not take the report.
func addSubscribers(_ db: PostgresConnection) async throws {
    try await db.query(
        """
        INSERT INTO subscriber (email, name, status, daily_report) VALUES
            ('ana@example.org', 'Ana', 'active', true),
            ('Label.Owner@example.com', '<i>Label</i>', 'active', true),
            ('pending@example.org', NULL, 'pending', true),
            ('gone@example.org', NULL, 'unsubscribed', true),
            ('alerts-only@example.org', NULL, 'active', false)
        """)
}

@Suite("Publishing the report: the PDF stored, each subscriber mailed once, reruns and failures")
struct ReportPublisherTests {
    let home = NSTemporaryDirectory() + "report-publish-\(UInt32.random(in: 0...UInt32.max))"
    let logger = Logger(label: "test")

    func publisher(mailer: any Mailer, store: (any ObjectStore)? = nil) -> ReportPublisher {
        ReportPublisher(
            store: store ?? FolderObjectStore(root: "\(home)/objects"), mailer: mailer, fonts: fonts,
            email: ReportEmail(from: "reports@example.com", unsubscribeBase: "https://tracker.example.com/unsubscribe"),
            logger: logger)
    }

    func outbox() throws -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(home)/outbox/mail")) ?? []).filter {
            $0.hasSuffix(".eml")
        }.sorted()
    }

    @Test("stored at reports/daily/DATE.pdf, mailed to active subscribers only; a rerun replaces it and mails nobody")
    func publishAndRerun() async throws {
        let seed = try await ReportSeed.filled("publish")
        try await addSubscribers(seed.db)
        let day = ReportSeed.day
        let mailer = OutboxMailer(folder: "\(home)/outbox")
        let first = try await publisher(mailer: mailer).publish(day, now: day.end + 3600, resend: false, db: seed.db)
        #expect(first.objectKey == "reports/daily/2026-11-20.pdf" && first.sales == 240)
        #expect(first.mailed == 2 && first.alreadyMailed == 0 && first.failed.isEmpty)
        let stored = try Data(contentsOf: URL(fileURLWithPath: "\(home)/objects/reports/daily/2026-11-20.pdf"))
        #expect(stored.count == first.bytes && stored.starts(with: Array("%PDF-".utf8)))

        let files = try outbox()
        #expect(files.count == 2)
        let messages = try files.map { try ParsedEmail.parse("\(home)/outbox/mail/\($0)") }
        #expect(Set(messages.map(\.to)) == ["ana@example.org", "Label.Owner@example.com"])
        for message in messages {
            #expect(message.subject == "Bandcamp sales, Fri 20 Nov 2026: 240 items, $2,772.50")
            #expect(message.parts.map(\.contentType) == ["text/plain", "text/html", "application/pdf"])
            #expect(
                message.parts[2].filename == "bandcamp-sales-2026-11-20.pdf" && message.parts[2].size == first.bytes)
            let html = message.parts[1].text ?? ""
            // Names are escaped: the artist called <b>Tricky</b> & "Friends" is text, not markup.
            #expect(!html.contains("<b>Tricky</b>"))
            #expect(html.contains("Sigur Rós") && html.contains("$2,772.50") && html.contains("91.7%"))
            #expect(message.unsubscribe?.hasPrefix("<https://tracker.example.com/unsubscribe?token=") == true)
        }
        let deliveries = try await seed.db.query(
            "SELECT status, count(*) FROM report_delivery WHERE report_date = '2026-11-20' GROUP BY status"
        ).rows
        #expect(deliveries == [["sent", "2"]])

        // The same day again: the PDF replaced (a second build), no mail.
        let second = try await publisher(mailer: mailer).publish(day, now: day.end + 7200, resend: false, db: seed.db)
        #expect(second.mailed == 0 && second.alreadyMailed == 2)
        #expect(try outbox().count == 2)
        #expect(try await seed.db.query("SELECT builds FROM daily_report").scalarText == "2")

        // Asked to resend: both again.
        let third = try await publisher(mailer: mailer).publish(day, now: day.end + 9000, resend: true, db: seed.db)
        #expect(third.mailed == 2)
        #expect(try outbox().count == 4)
        #expect(
            try await seed.db.query("SELECT sum(attempts) FROM report_delivery WHERE status = 'sent'").scalarText == "4"
        )
    }

    @Test("through S3 and SES on moto: mail refused for an unverified sender fails the run; the rerun sends it")
    func sesFailureThenRetry() async throws {
        let seed = try await ReportSeed.filled("publishses")
        try await addSubscribers(seed.db)
        let moto = try await MotoServer.shared()
        let client = moto.client()
        let bucket = "reports-\(UInt32.random(in: 0...UInt32.max))"
        try await client.createBucket(bucket)
        let store = S3ObjectStore(bucket: bucket, prefix: "", client: client)
        let sender = "daily-\(UInt32.random(in: 0...UInt32.max))@example.com"
        let publisher = ReportPublisher(
            store: store, mailer: SESMailer(client: client), fonts: fonts,
            email: ReportEmail(from: sender, unsubscribeBase: nil), logger: logger)
        let day = ReportSeed.day

        let error = try await #require(throws: ReportDeliveryError.self) {
            try await publisher.publish(day, now: day.end + 3600, resend: false, db: seed.db)
        }
        #expect(error.outcome.failed.count == 2 && error.outcome.mailed == 0)
        #expect(error.description.contains("a rerun sends only those"))
        #expect(try await store.head("reports/daily/2026-11-20.pdf") != nil)
        #expect(
            try await seed.db.query("SELECT count(*) FROM report_delivery WHERE status = 'failed' AND error <> ''")
                .scalarText == "2")

        try await client.verifyEmailIdentity(sender)
        let retried = try await publisher.publish(day, now: day.end + 3700, resend: false, db: seed.db)
        #expect(retried.mailed == 2 && retried.alreadyMailed == 0)
        let again = try await publisher.publish(day, now: day.end + 3800, resend: false, db: seed.db)
        #expect(again.mailed == 0 && again.alreadyMailed == 2)
        let ses = try await moto.data()["ses"] as? [String: Any] ?? [:]
        let raw = (ses["RawMessage"] as? [[String: Any]] ?? []).filter {
            ($0["source"] as? String) == sender || (($0["raw_data"] as? String)?.contains(sender) ?? false)
        }
        #expect(raw.count == 2)
    }
}
