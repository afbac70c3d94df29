import Crypto

/// A versioned change to the schema, in SQL.
public struct Migration: Sendable, Equatable {
    /// Its number; migrations apply in this order, each once.
    public var version: Int
    /// What it does, in a few words.
    public var name: String
    /// The SQL (several statements may stand in it).
    public var sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// The SHA-256 of the SQL, recorded when applied: a migration edited afterwards is refused.
    public var checksum: String {
        SHA256.hash(data: Array(sql.utf8)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}

/// Applies migrations at cold start (or from a `migrate` command), never by hand: under a PostgreSQL advisory
/// lock, so that functions starting together apply each migration once; all pending migrations and their rows
/// in `schema_migration` in one transaction, so that a failure or a crash leaves the schema as it was.
public struct Migrator: Sendable {
    /// The advisory lock's key (any constant of the project's own).
    public static let lockKey: Int64 = 0x6263_7472_6B72  // "bctrkr"

    /// The migrations, in any order.
    public let migrations: [Migration]

    /// A migrator.
    public init(_ migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// What `migrate` did.
    public struct Outcome: Sendable, Equatable {
        /// Versions applied now.
        public var applied: [Int]
        /// The schema's version after.
        public var version: Int

        public init(applied: [Int], version: Int) {
            self.applied = applied
            self.version = version
        }
    }

    /// Brings the schema up to date.
    /// - Throws: `PostgresError`, or `MigrationError` when an applied migration's SQL has changed since, when the
    ///   database has a version this code does not know (an older build against a newer schema), or when two
    ///   migrations share a version.
    @discardableResult
    public func migrate(_ db: PostgresConnection) async throws -> Outcome {
        let versions = migrations.map(\.version)
        guard Set(versions).count == versions.count else {
            throw MigrationError(description: "two migrations share a version: \(versions)")
        }
        return try await db.transaction { db in
            // Held until this transaction ends: a second migrator waits here, then finds the work done. The
            // ledger is made under the lock too: CREATE TABLE IF NOT EXISTS is not safe against itself.
            try await db.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))")
            // Quietly: the server's NOTICE that the ledger already exists would go to stderr at every cold start.
            try await db.query("SET LOCAL client_min_messages = warning")
            try await db.query(
                """
                CREATE TABLE IF NOT EXISTS schema_migration (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            var applied: [Int: String] = [:]
            for row in try await db.query("SELECT version, checksum FROM schema_migration ORDER BY version") {
                applied[try row.decode("version")] = try row.decode("checksum", as: String.self)
            }
            let known = Set(versions)
            if let unknown = applied.keys.filter({ !known.contains($0) }).max() {
                throw MigrationError(
                    description: "the database is at schema version \(unknown), which this build does not know")
            }
            var done: [Int] = []
            for migration in migrations {
                if let checksum = applied[migration.version] {
                    guard checksum == migration.checksum else {
                        throw MigrationError(
                            description:
                                "migration \(migration.version) (\(migration.name)) was changed after it was applied; "
                                + "add a new migration instead")
                    }
                    continue
                }
                do {
                    try await db.script(migration.sql)
                    try await db.query(
                        """
                        INSERT INTO schema_migration (version, name, checksum)
                        VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                        """)
                } catch {
                    throw MigrationError(
                        description: "migration \(migration.version) (\(migration.name)) failed: \(error)")
                }
                done.append(migration.version)
            }
            return Outcome(applied: done, version: migrations.last?.version ?? 0)
        }
    }
}

/// Migrations that cannot be applied.
public struct MigrationError: Error, Sendable, CustomStringConvertible {
    public var description: String
}
