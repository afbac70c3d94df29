import Adapters
import Alerts
import Foundation
import Logging
import Postgres
import ReadModel
import TestSupport
import Trends
import Warehouse

/// A fresh, migrated warehouse with the trend seed's sales, and a publisher writing into an outbox folder.
struct AlertHarness {
    var seed: TrendSeed
    let outbox: String
    var db: PostgresConnection { seed.db }

    static func make(_ purpose: String) async throws -> AlertHarness {
        let seed = try await TrendSeed.copied(purpose).seed
        let outbox = NSTemporaryDirectory() + "alerts-\(purpose)-\(UInt32.random(in: 0...UInt32.max))"
        return AlertHarness(seed: seed, outbox: outbox)
    }

    func publisher(
        mailer: (any Mailer)? = nil, notifier: (any Notifier)? = nil, unsubscribe: String? = "https://example.org/u"
    ) -> AlertPublisher {
        AlertPublisher(
            mailer: mailer ?? OutboxMailer(folder: outbox), notifier: notifier ?? OutboxNotifier(folder: outbox),
            message: AlertMessage(from: "alerts@example.com", unsubscribeBase: unsubscribe),
            logger: Logger(label: "test"))
    }

    /// The outbox's messages (`.eml` files), parsed, oldest first.
    func mail() throws -> [ParsedEmail] {
        let folder = "\(outbox)/mail"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return try names.sorted().map { try ParsedEmail.parse("\(folder)/\($0)") }
    }

    /// The outbox's notifications, as JSON objects.
    func notifications() throws -> [[String: Any]] {
        let folder = "\(outbox)/notifications"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return try names.sorted().map {
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(folder)/\($0)")))
                as? [String: Any] ?? [:]
        }
    }

    /// Rows of a query of the test's own.
    func rows(_ sql: String, _ parameters: [String?] = []) async throws -> [[String?]] {
        try await db.query(sql, parameters).rows
    }
}
