import Postgres
import Testing

/// A connection whose tables go to a schema of its own (dropped by nobody: a throwaway cluster).
func isolatedConnection(schema: String, create: Bool = true) async throws -> PostgresConnection {
    let db = try await connect()
    if create { try await db.query("CREATE SCHEMA \(schema)") }
    try await db.query("SET search_path TO \(schema)")
    return db
}

let first = Migration(
    version: 1, name: "artists and sales",
    sql: """
        CREATE TABLE artist (artist_id bigserial PRIMARY KEY, name text NOT NULL);
        CREATE TABLE sale (sale_key text PRIMARY KEY, artist_id bigint REFERENCES artist);
        """)
let second = Migration(version: 2, name: "an index", sql: "CREATE INDEX sale_artist ON sale (artist_id);")

@Suite("Migrations: each applied once, in order, under a lock, all or nothing")
struct MigratorTests {
    func schema() -> String { "m\(UInt32.random(in: 0...UInt32.max))" }

    @Test("pending migrations apply in order and are recorded; a second run applies none")
    func applies() async throws {
        let db = try await isolatedConnection(schema: schema())
        let outcome = try await Migrator([second, first]).migrate(db)
        #expect(outcome == Migrator.Outcome(applied: [1, 2], version: 2))
        let rows = try await db.query("SELECT version, name, checksum FROM schema_migration ORDER BY version").rows
        #expect(rows == [["1", "artists and sales", first.checksum], ["2", "an index", second.checksum]])
        #expect(try await Migrator([first, second]).migrate(db).applied.isEmpty)
        try await db.query("INSERT INTO artist (name) VALUES ($1)", ["Björk"])
    }

    @Test("a failing migration leaves the schema as it was, and names itself")
    func failure() async throws {
        let db = try await isolatedConnection(schema: schema())
        let broken = Migration(version: 3, name: "a mistake", sql: "CREATE TABLE x (id int); SELECT no_such_column;")
        let error = await #expect(throws: MigrationError.self) {
            try await Migrator([first, second, broken]).migrate(db)
        }
        #expect(error?.description.contains("migration 3 (a mistake) failed") == true)
        #expect(
            try await db.query("SELECT to_regclass('artist') IS NULL, to_regclass('x') IS NULL").rows == [["t", "t"]])
    }

    @Test("an applied migration that was edited, or a schema newer than the code, is refused")
    func drift() async throws {
        let db = try await isolatedConnection(schema: schema())
        try await Migrator([first]).migrate(db)
        let edited = Migration(version: 1, name: "artists and sales", sql: first.sql + "\nCREATE TABLE y (id int);")
        let changed = await #expect(throws: MigrationError.self) { try await Migrator([edited]).migrate(db) }
        #expect(changed?.description.contains("was changed after it was applied") == true)
        try await Migrator([first, second]).migrate(db)
        let older = await #expect(throws: MigrationError.self) { try await Migrator([first]).migrate(db) }
        #expect(older?.description.contains("schema version 2") == true)
        await #expect(throws: MigrationError.self) {
            try await Migrator([first, Migration(version: 1, name: "again", sql: "")]).migrate(db)
        }
    }

    @Test("migrators starting together apply each migration once")
    func concurrent() async throws {
        let name = schema()
        _ = try await isolatedConnection(schema: name)
        let outcomes = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let db = try await isolatedConnection(schema: name, create: false)
                    return try await Migrator([first, second]).migrate(db).applied
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { !$0.isEmpty } == [[1, 2]])
        #expect(outcomes.filter(\.isEmpty).count == 3)
    }
}
