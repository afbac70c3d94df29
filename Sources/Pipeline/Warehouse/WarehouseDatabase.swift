import Adapters
import Configuration
import Logging
import Postgres
import Synchronization
import Tracker

/// The warehouse's connection, for a function: made on first use (so a database that is down fails the
/// invocation with a clear error, not the cold start), the schema migrated then, and made again after the
/// connection is lost.
public final class WarehouseDatabase: Sendable {
    private let url: String
    private let password: @Sendable () async throws -> String?
    private let logger: Logger
    private let settings: [String]
    private let current = Mutex<PostgresConnection?>(nil)
    private let second = Mutex<PostgresConnection?>(nil)

    /// A database.
    /// - Parameters:
    ///   - url: `DATABASE_URL`, without a password.
    ///   - password: Where the password comes from (Secrets Manager on AWS), asked at each new connection.
    ///   - sessionSettings: Server settings of every connection (`name=value`), beside `baseSettings`.
    public init(
        url: String, password: @escaping @Sendable () async throws -> String?, logger: Logger,
        sessionSettings: [String] = []
    ) {
        self.url = url
        self.password = password
        self.logger = logger
        self.settings = Self.baseSettings + sessionSettings
    }

    /// The settings of every connection: the server's notices (a temporary table that already exists, at each
    /// stage of a load) are not sent, its warnings and errors are (libpq writes a warning to standard error).
    public static let baseSettings = ["client_min_messages=warning"]

    /// A function's database: `DATABASE_URL`, with the password from the secret `DATABASE_SECRET_ARN` names.
    public convenience init(
        settings: Settings, adapters: AdapterFactory, logger: Logger, sessionSettings: [String] = []
    ) {
        self.init(
            url: settings.databaseURL, password: adapters.databasePassword(secretID: settings.databaseSecretID),
            logger: logger, sessionSettings: sessionSettings)
    }

    /// The settings of the read side's connections (the dashboard's, the report's): no JIT. Its compiling cost
    /// 25-170 ms a query, measured on a year of sales, more than these queries of the summaries gain from it
    /// (the year's overview: 245 ms p50 with it, 78 ms without).
    public static let readSettings = ["jit=off"]

    /// The settings of the write side's connections (Load's, the backfill's): 128 MB of temporary buffers (the
    /// server's default is 8 MB), so that a large window's staging table and its `sale_delta`, read by a dozen
    /// summaries, stay in memory rather than in temporary files (a million sales: 80 s to load, 74 s with them).
    /// Taken only as those tables need it, by one session a function.
    public static let writeSettings = ["temp_buffers=128MB"]

    /// Runs `body` on the connection, connecting (and migrating) first when there is none.
    /// - Throws: `PostgresError` `.connection` naming the server when it cannot be reached; what `body` throws.
    public func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection: PostgresConnection
        if let open = current.withLock({ $0 }) {
            connection = open
        } else {
            connection = try await PostgresConnection.connect(
                url: url, password: try await password(), settings: settings)
            let outcome = try await WarehouseSchema.migrator.migrate(connection)
            if !outcome.applied.isEmpty {
                logger.info(
                    "schema migrated", metadata: ["applied": "\(outcome.applied)", "version": "\(outcome.version)"])
            }
            current.withLock { $0 = connection }
        }
        do {
            return try await body(connection)
        } catch let error as PostgresError where error.code == .connection {
            current.withLock { $0 = nil }
            throw error
        }
    }

    /// A connection of its own (not the shared one, and not migrated: the shared one is), for work that runs
    /// beside the shared connection's; closed when let go.
    public func newConnection() async throws -> PostgresConnection {
        try await PostgresConnection.connect(url: url, password: try await password(), settings: settings)
    }

    /// A second connection kept beside the shared one, for queries of one request that can run at the same
    /// time as those on the shared one (never for two requests at once); `nil` when it cannot be opened (logged:
    /// the request then runs them all on the shared one).
    public func secondConnection() async -> PostgresConnection? {
        if let open = second.withLock({ $0 }) { return open }
        do {
            let connection = try await newConnection()
            second.withLock { $0 = connection }
            return connection
        } catch {
            logger.warning("no second connection; queries run one after another", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Forgets the second connection (after it failed): the next request opens another.
    public func dropSecondConnection() {
        second.withLock { $0 = nil }
    }

    /// Closes the connections.
    public func close() {
        current.withLock { $0 = nil }
        second.withLock { $0 = nil }
    }
}
