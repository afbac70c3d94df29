import Adapters
import Foundation
import Gzip
import Logging
import Postgres
import TestSupport
import Tracker
import Warehouse

/// A fresh database with the schema, a folder store, and ways to write raw objects as Extract does.
struct Harness {
    let url: String
    let db: PostgresConnection
    let store: FolderObjectStore
    let folder: String

    init(_ purpose: String) async throws {
        url = try await TestDatabase.fresh(purpose)
        db = try await PostgresConnection.connect(url: url)
        try await WarehouseSchema.migrator.migrate(db)
        folder = NSTemporaryDirectory() + "warehouse-\(UUID().uuidString)"
        store = FolderObjectStore(root: folder)
    }

    func loader(_ connection: PostgresConnection? = nil, options: Loader.Options = Loader.Options()) -> Loader {
        let url = url
        return Loader(
            store: store, database: connection ?? db, options: options, logger: Logger(label: "test"),
            secondConnection: { try await PostgresConnection.connect(url: url) })
    }

    /// Stores a window as Extract does, and gives its key.
    @discardableResult
    func putWindow(start: Int64, end: Int64, events: [String]) async throws -> String {
        let key = RawKeys.salesfeedWindow(start: start, end: end)
        try await putRaw(key, Self.windowJSON(start: start, end: end, events: events))
        return key
    }

    func putRaw(_ key: String, _ json: String) async throws {
        _ = try await store.put(
            key, body: Gzip.compress(Array(json.utf8)), contentType: "application/json", contentEncoding: "gzip")
    }

    static func windowJSON(start: Int64, end: Int64, events: [String]) -> String {
        #"{"start_date":\#(start),"end_date":\#(end),"data_delay_sec":120,"events":[\#(events.joined(separator: ","))],"server_time":\#(end + 9)}"#
    }

    /// One event of one or more items.
    static func event(_ items: String...) -> String {
        #"{"event_type":"sale","utc_date":\#(items.isEmpty ? "0" : "1749583861.5"),"items":[\#(items.joined(separator: ","))]}"#
    }

    /// An item; the amounts in the seller's currency, USD at 1.25 per unit.
    static func item(
        _ n: Int, type: String = "a", paid: String = "10", price: String = "10", country: String = "us",
        artist: String = "Artist", host: String = "artist.bandcamp.com", date: String? = nil
    ) -> String {
        let path = type == "b" ? "" : type == "t" ? "/track/t\(n)" : "/album/a\(n)"
        let usd = (Decimal(string: paid)! * Decimal(string: "1.25")!).description
        return
            #"{"utc_date":\#(date ?? "1749583861.\(1000 + n)"),"artist_name":"\#(artist)","item_type":"\#(type)","item_description":"Release \#(n)","album_title":null,"currency":"EUR","amount_paid":\#(paid),"item_price":\#(price),"amount_paid_usd":\#(usd),"country":"Country \#(country)","country_code":"\#(country)","url":"//\#(host)\#(path)","art_url":"https://f4.bcbits.com/img/a\#(n)_7.jpg"}"#
    }

    func scalar(_ sql: String, _ parameters: [String?] = []) async throws -> String? {
        try await db.query(sql, parameters).scalarText
    }

    func count(_ table: String) async throws -> Int {
        Int(try await scalar("SELECT count(*) FROM \(table)") ?? "") ?? -1
    }
}

/// The feed fixtures of TrackerTests (real data; attribution in their SOURCES.md).
enum FeedFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../TrackerTests/Fixtures/salesfeed").standardized

    static func text(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }
}
