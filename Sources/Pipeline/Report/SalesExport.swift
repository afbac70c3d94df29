import Adapters
import Gzip
import Postgres
import ReadModel
import Tracker

/// What exporting a day's sales did.
public struct SalesExportOutcome: Encodable, Sendable, Equatable {
    public var date: String
    public var objectKey: String
    public var sales: Int
    public var bytes: Int
    /// Whether the day's export was there already (an export is never replaced).
    public var alreadyExported: Bool
}

/// A day's sales exported for analysts who outgrow one database: gzip JSON Lines at
/// `exports/sales/date=YYYY-MM-DD/sales.json.gz` (Hive-style, so Athena's partition projection finds it), written
/// once and never replaced: a day is exported after it is over and loaded.
public struct SalesExport: Sendable {
    let store: any ObjectStore

    public init(store: any ObjectStore) {
        self.store = store
    }

    /// The key of a day's export.
    public static func objectKey(_ day: CalendarDay) -> String { "exports/sales/date=\(day.iso)/sales.json.gz" }

    /// Exports `day` unless it is exported already.
    public func export(_ day: CalendarDay, db: PostgresConnection) async throws -> SalesExportOutcome {
        let key = Self.objectKey(day)
        if let existing = try await store.head(key) {
            return SalesExportOutcome(
                date: day.iso, objectKey: key, sales: 0, bytes: existing.size, alreadyExported: true)
        }
        let (text, sales) = try await SalesExportQuery.lines(day, db)
        let body = Gzip.compress(Array(text.utf8))
        _ = try await store.put(key, body: body, contentType: "application/gzip", contentEncoding: nil)
        return SalesExportOutcome(
            date: day.iso, objectKey: key, sales: sales, bytes: body.count, alreadyExported: false)
    }
}
