import Foundation
import Postgres
import TestSupport
import Testing

/// The project's cluster (`scripts/postgres start`; scripts/test starts it and sets DATABASE_URL).
let databaseURL = TestDatabase.clusterURL

func connect() async throws -> PostgresConnection {
    do {
        return try await PostgresConnection.connect(url: databaseURL)
    } catch {
        Issue.record("no PostgreSQL at \(databaseURL): start it with scripts/postgres start (\(error))")
        throw error
    }
}

@Suite("PostgreSQL through libpq, against the project's cluster")
struct PostgresConnectionTests {
    @Test("parameters carry any text, SQL included, as values; NULL is nil")
    func parameters() async throws {
        let db = try await connect()
        let hostile = "Robert'); DROP TABLE sale; --"
        let rows = try await db.query(
            "SELECT $1::text AS name, $2::numeric * 2 AS doubled, $3::text IS NULL AS missing",
            [hostile, "3.755", nil])
        #expect(rows.columns == ["name", "doubled", "missing"])
        #expect(rows.rows == [[hostile, "7.510", "t"]])
        #expect(try await db.query("SELECT 'Sigur Rós ✓ 日本'").scalarText == "Sigur Rós ✓ 日本")
    }

    @Test("a list is one array parameter: texts with quotes, backslashes and commas, and ids")
    func arrays() async throws {
        let db = try await connect()
        let texts = ["plain", "with \"quotes\"", "back\\slash", "a,b", "{braces}", "ünï"]
        let rows = try await db.query(
            "SELECT unnest($1::text[])", [PostgresArray.literal(texts)]
        ).rows.map { $0[0] }
        #expect(rows == texts)
        #expect(
            try await db.query(
                "SELECT sum(x) FROM unnest($1::bigint[]) x", [PostgresArray.literal([1, 20, 300] as [Int64])]
            ).scalarText == "321")
        #expect(
            try await db.query("SELECT cardinality($1::bigint[])", [PostgresArray.literal([] as [Int64])]).scalarText
                == "0"
        )
    }

    @Test("session settings given at connecting hold for the session")
    func sessionSettings() async throws {
        // A value with a space in it stays one value.
        let db = try await PostgresConnection.connect(
            url: databaseURL, settings: ["jit=off", "search_path=public, pg_catalog"])
        #expect(try await db.query("SHOW jit").scalarText == "off")
        #expect(try await db.query("SHOW search_path").scalarText == "public, pg_catalog")
        let plain = try await PostgresConnection.connect(url: databaseURL)
        #expect(try await plain.query("SHOW jit").scalarText == "on")
    }

    @Test("a transaction commits when its body returns and rolls back when it throws")
    func transactions() async throws {
        let db = try await connect()
        let table = "t_\(UInt32.random(in: 0...UInt32.max))"
        try await db.query("CREATE TEMP TABLE \(table) (id int PRIMARY KEY)")
        try await db.transaction { try await $0.query("INSERT INTO \(table) VALUES (1)") }
        struct Abort: Error {}
        await #expect(throws: Abort.self) {
            try await db.transaction { db -> Void in
                try await db.query("INSERT INTO \(table) VALUES (2)")
                throw Abort()
            }
        }
        #expect(try await db.query("SELECT count(*) FROM \(table)").scalarText == "1")
    }

    @Test("COPY streams rows in, in chunks of any size")
    func copy() async throws {
        let db = try await connect()
        try await db.query("CREATE TEMP TABLE copied (id int, artist text, paid numeric)")
        let lines = (1...10_000).map { "\($0)\tArtist \($0 % 97)\t\(Double($0) / 4)\n" }.joined()
        let bytes = Array(lines.utf8)
        let chunks = stride(from: 0, to: bytes.count, by: 4093).map { Array(bytes[$0..<min($0 + 4093, bytes.count)]) }
        let copied = try await db.copyIn("COPY copied (id, artist, paid) FROM STDIN", chunks: chunks)
        #expect(copied == 10_000)
        #expect(try await db.query("SELECT sum(paid) FROM copied").scalarText == "12501250.00")
    }

    @Test("errors carry the SQLSTATE and the server's message, and the connection stays usable")
    func errors() async throws {
        let db = try await connect()
        try await db.query("CREATE TEMP TABLE unique_sale (id text PRIMARY KEY)")
        try await db.query("INSERT INTO unique_sale VALUES ($1)", ["a"])
        let error = await #expect(throws: PostgresError.self) {
            try await db.query("INSERT INTO unique_sale VALUES ($1)", ["a"])
        }
        #expect(error?.sqlState == "23505")
        #expect(error?.description.contains("duplicate key") == true)
        let bad = await #expect(throws: PostgresError.self) {
            try await db.copyIn("COPY unique_sale (id) FROM STDIN", chunks: [Array("b\na\n".utf8)])
        }
        #expect(bad?.sqlState == "23505")
        #expect(try await db.query("SELECT count(*) FROM unique_sale").scalarText == "1")
    }

    @Test("a server that is not there is a clear connection error naming it, without the password")
    func unreachable() async throws {
        let error = await #expect(throws: PostgresError.self) {
            try await PostgresConnection.connect(
                url: "postgresql://tracker@127.0.0.1:9/tracker", password: "hunter2", timeout: .seconds(2))
        }
        #expect(error?.code == .connection)
        #expect(error?.description.contains("127.0.0.1:9/tracker") == true)
        #expect(error?.description.contains("hunter2") == false)
    }

    @Test("many connections at once each get their answer (no call blocks the cooperative pool)")
    func concurrency() async throws {
        let sums = try await withThrowingTaskGroup(of: String?.self) { group in
            for index in 0..<8 {
                group.addTask {
                    let db = try await connect()
                    return try await db.query("SELECT pg_sleep(0.2), $1::int + 1", [String(index)]).rows.first?[1]
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(sums.compactMap { $0 }) == Set((1...8).map(String.init)))
    }
}
