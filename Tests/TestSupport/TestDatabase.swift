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
        let admin: PostgresConnection
        do {
            admin = try await PostgresConnection.connect(url: clusterURL)
        } catch {
            throw TestDatabaseUnavailable(
                description: "no PostgreSQL at \(clusterURL): start it with scripts/postgres start (\(error))")
        }
        let name = "t_\(purpose)_\(UInt32.random(in: 0...UInt32.max))"
        try await admin.query("CREATE DATABASE \(name) TEMPLATE template0")
        let base = clusterURL.split(separator: "?", maxSplits: 1)
        let path = base[0]
        let url = path[...path.lastIndex(of: "/")!] + name
        return base.count > 1 ? "\(url)?\(base[1])" : String(url)
    }
}

/// The cluster is not running.
public struct TestDatabaseUnavailable: Error, CustomStringConvertible {
    public var description: String
}
