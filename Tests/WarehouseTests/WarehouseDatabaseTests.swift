import Logging
import Postgres
import TestSupport
import Testing
import Warehouse

@Suite("A function's database: its connections and their settings (real PostgreSQL)")
struct WarehouseDatabaseTests {
    @Test("every connection sends no notices; the read side's run without JIT; the migrated schema is there")
    func settings() async throws {
        let url = try await TestDatabase.fresh("dbsettings")
        let plain = WarehouseDatabase(url: url, password: { nil }, logger: Logger(label: "test"))
        let read = WarehouseDatabase(
            url: url, password: { nil }, logger: Logger(label: "test"),
            sessionSettings: WarehouseDatabase.readSettings)
        @Sendable func show(_ db: PostgresConnection, _ name: String) async throws -> String? {
            let query: SQLQuery = "SELECT current_setting(\(name)) AS value"
            return try await db.query(query).scalarText
        }
        let plainSettings = try await plain.withConnection { db in
            [try await show(db, "client_min_messages"), try await show(db, "jit")]
        }
        #expect(plainSettings == ["warning", "on"])
        let version = try await plain.withConnection { db in try await WarehouseSchema.version(db) }
        #expect(version == WarehouseSchema.migrations.last?.version)
        let readSettings = try await read.withConnection { db in
            [try await show(db, "client_min_messages"), try await show(db, "jit")]
        }
        #expect(readSettings == ["warning", "off"])
        let second = try await read.newConnection()
        #expect(try await show(second, "jit") == "off")
        #expect(try await show(second, "client_min_messages") == "warning")
    }
}
