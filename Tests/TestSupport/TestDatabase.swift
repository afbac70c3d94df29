import Foundation
import Postgres

/// A database of its own for one test, in the project's cluster (`scripts/postgres start`; scripts/test starts
/// it and sets DATABASE_URL): tests never see each other's rows.
public enum TestDatabase {
    /// The cluster's main database.
    public static let clusterURL =
        ProcessInfo.processInfo.environment["DATABASE_URL"]
        ?? "postgresql://bandcamp_tracker@127.0.0.1:54329/bandcamp_tracker"

    /// Makes an empty database and gives its URL.
    public static func fresh(_ purpose: String) async throws -> String {
        try await copy(of: "template0", purpose)
    }

    /// Makes a database as a copy of `template` (`CREATE DATABASE … TEMPLATE`: its tables, rows and sequences as
    /// they are; nobody may be connected to it meanwhile) and gives its URL.
    public static func copy(of template: String, _ purpose: String) async throws -> String {
        let admin: PostgresConnection
        do {
            admin = try await PostgresConnection.connect(url: clusterURL)
        } catch {
            throw TestDatabaseUnavailable(
                description: "no PostgreSQL at \(clusterURL): start it with scripts/postgres start (\(error))")
        }
        await staleDropped.value
        let name = "t_\(purpose)_\(Int(Date().timeIntervalSince1970))_\(UInt32.random(in: 0...UInt32.max))"
        // A template's last session may still be ending (PostgreSQL waits 5 s for it, then refuses with 55006, "is
        // being accessed by other users"); on a loaded machine that is tried again for up to half a minute.
        for attempt in 1... {
            do {
                try await admin.query("CREATE DATABASE \(name) TEMPLATE \(template)")
                break
            } catch let error as PostgresError where error.sqlState == "55006" && attempt < 6 {
                try await Task.sleep(for: .seconds(1))
            }
        }
        // As the functions' own sessions (WarehouseDatabase's settings): notices such as "already exists,
        // skipping" from the summaries' temporary tables would fill the tests' log.
        try await admin.query("ALTER DATABASE \(name) SET client_min_messages = warning")
        return url(of: name)
    }

    /// The URL of the cluster's database `name`.
    public static func url(of name: String) -> String {
        let base = clusterURL.split(separator: "?", maxSplits: 1)
        let path = base[0]
        let url = path[...path.lastIndex(of: "/")!] + name
        return base.count > 1 ? "\(url)?\(base[1])" : String(url)
    }

    /// The name of the database at `url`.
    public static func name(of url: String) -> String {
        let path = url.split(separator: "?", maxSplits: 1)[0]
        return String(path[path.index(after: path.lastIndex(of: "/")!)...])
    }
}

extension TestDatabase {
    /// Databases of earlier test runs, dropped once per test process so that the cluster does not grow run by
    /// run. One that somebody is connected to is left.
    static let staleDropped = Task {
        guard let admin = try? await PostgresConnection.connect(url: clusterURL),
            let names = try? await admin.query("SELECT datname FROM pg_database WHERE datname LIKE 't\\_%'").rows
        else { return }
        let now = Int(Date().timeIntervalSince1970)
        for case let name? in names.map({ $0[0] }) where isStale(name, now: now) {
            _ = try? await admin.query("DROP DATABASE IF EXISTS \"\(name)\"")
        }
    }

    /// Whether `name` is a test database left by an earlier run: `t_PURPOSE_EPOCH_RANDOM` made over an hour
    /// before `now`, or the older `t_PURPOSE_RANDOM` (a purpose may hold underscores: `summary_build`).
    public static func isStale(_ name: String, now: Int) -> Bool {
        let parts = name.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0] == "t", let random = parts.last, !random.isEmpty,
            random.allSatisfy(\.isASCII), random.allSatisfy(\.isNumber)
        else { return false }
        guard parts.count >= 4, let made = Int(parts[parts.count - 2]) else { return true }
        return made < now - 3600
    }
}

/// The cluster is not running.
public struct TestDatabaseUnavailable: Error, CustomStringConvertible {
    public var description: String
}
