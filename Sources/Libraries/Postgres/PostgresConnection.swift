import CLibPQ
import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// A connection to PostgreSQL through libpq.
///
/// libpq blocks, so every call runs on the connection's own serial queue (a thread of libdispatch's that may
/// block), never on Swift's cooperative pool; the connection is used by one call at a time. Values are always
/// sent as parameters (`$1`, `$2`, …), never spliced into SQL.
public final class PostgresConnection: @unchecked Sendable {
    fileprivate let connection: OpaquePointer
    private let queue = DispatchQueue(label: "bandcamp-tracker.postgres")
    /// Where it is connected, without the password: `host:port/database`.
    public let description: String

    private init(connection: OpaquePointer, description: String) {
        self.connection = connection
        self.description = description
    }

    deinit {
        PQfinish(connection)
    }

    /// Connects.
    /// - Parameters:
    ///   - url: `postgresql://user@host:port/database?sslmode=…`.
    ///   - password: The password, kept out of the URL (on AWS, from Secrets Manager).
    ///   - timeout: The limit on connecting.
    ///   - settings: Server settings for the session (`name=value`, libpq's `options` as `-c name=value`).
    /// - Throws: `PostgresError` `.connection` naming the server, never the password.
    public static func connect(
        url: String, password: String? = nil, timeout: Duration = .seconds(10), settings: [String] = []
    ) async throws -> PostgresConnection {
        let keys = ["dbname", "password", "connect_timeout", "application_name", "options"]
        let values: [String?] = [
            url, password, String(max(2, timeout.components.seconds)), "bandcamp-tracker",
            options(settings),
        ]
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue(label: "bandcamp-tracker.postgres.connect").async {
                // expand_dbname: the URL in dbname is read as a connection string; the password stays apart.
                let connection = withCStrings(keys) { keyPointers in
                    withCStrings(values) { valuePointers in
                        PQconnectdbParams(keyPointers, valuePointers, 1)
                    }
                }
                guard let connection else {
                    continuation.resume(throwing: PostgresError(.connection, "libpq could not allocate a connection"))
                    return
                }
                let target =
                    "\(string(PQhost(connection)) ?? "?"):\(string(PQport(connection)) ?? "?")/\(string(PQdb(connection)) ?? "?")"
                guard PQstatus(connection) == CONNECTION_OK else {
                    let reason = string(PQerrorMessage(connection)) ?? "unknown"
                    PQfinish(connection)
                    continuation.resume(
                        throwing: PostgresError(
                            .connection, "cannot connect to PostgreSQL at \(target): \(trimmed(reason))"))
                    return
                }
                continuation.resume(returning: PostgresConnection(connection: connection, description: target))
            }
        }
    }

    /// Runs a statement, its interpolated values bound as parameters, and returns its rows.
    /// - Throws: `PostgresError` `.statement` with the server's SQLSTATE and message.
    @discardableResult
    public func query(_ query: SQLQuery) async throws -> PostgresRows {
        let sql = query.sql
        let bindings = query.bindings
        return try await run { try self.queryBlocking(sql, bindings) }
    }

    /// Runs SQL that holds several statements and no parameters (a migration), as one simple-protocol exchange.
    /// - Throws: `PostgresError` `.statement` with the server's SQLSTATE and message.
    public func script(_ sql: String) async throws {
        try await run {
            let result = PQexec(self.connection, sql)
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY: return
            default: throw self.error(from: result, sql: sql)
            }
        }
    }

    /// Runs the body in a transaction: committed when it returns, rolled back when it throws.
    @discardableResult
    public func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await query("BEGIN")
        do {
            let result = try await body(self)
            try await query("COMMIT")
            return result
        } catch {
            _ = try? await query("ROLLBACK")
            throw error
        }
    }

    /// Streams rows into a table with `COPY … FROM STDIN` (text format): the fastest way in.
    /// - Parameters:
    ///   - sql: `COPY table (columns) FROM STDIN`.
    ///   - chunks: The data, in text COPY format, in pieces of any size.
    /// - Returns: The rows copied.
    @discardableResult
    public func copyIn(_ sql: String, chunks: some Sequence<[UInt8]> & Sendable) async throws -> Int {
        try await copyIn(sql) { writer in
            for chunk in chunks { try await writer.send(chunk) }
        }
    }

    /// Streams rows into a table with `COPY … FROM STDIN`, as `produce` makes them: the server takes in one
    /// piece while the next is being made. When `produce` throws, the COPY is abandoned (nothing of it stays)
    /// and the error is thrown on.
    /// - Returns: The rows copied.
    @discardableResult
    public func copyIn(_ sql: String, _ produce: (CopyWriter) async throws -> Void) async throws -> Int {
        try await run {
            let start = PQexec(self.connection, sql)
            defer { PQclear(start) }
            guard PQresultStatus(start) == PGRES_COPY_IN else { throw self.error(from: start, sql: sql) }
        }
        var failure: (any Error)?
        do {
            try await produce(CopyWriter(connection: self))
        } catch {
            failure = error
        }
        let abandoned = failure != nil
        let copied = try await run { () throws -> Int in
            let ended =
                !abandoned
                ? PQputCopyEnd(self.connection, nil) : PQputCopyEnd(self.connection, "abandoned by the loader")
            guard ended == 1 else {
                throw PostgresError(
                    .statement, "COPY could not end: \(trimmed(string(PQerrorMessage(self.connection)) ?? ""))")
            }
            let result = PQgetResult(self.connection)
            defer {
                PQclear(result)
                while let extra = PQgetResult(self.connection) { PQclear(extra) }
            }
            guard !abandoned else { return 0 }
            guard PQresultStatus(result) == PGRES_COMMAND_OK else { throw self.error(from: result, sql: sql) }
            return Int(string(PQcmdTuples(result)) ?? "") ?? 0
        }
        if let failure { throw failure }
        return copied
    }

    /// Sends data of a `COPY … FROM STDIN` in progress.
    public struct CopyWriter: Sendable {
        let connection: PostgresConnection

        /// Sends a piece, in text COPY format (whole rows or not: the server joins the pieces).
        public func send(_ chunk: [UInt8]) async throws {
            guard !chunk.isEmpty else { return }
            try await connection.run {
                let status = chunk.withUnsafeBufferPointer { buffer in
                    buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                        PQputCopyData(self.connection.connection, $0, Int32(buffer.count))
                    }
                }
                guard status == 1 else {
                    throw PostgresError(
                        .statement,
                        "COPY failed: \(trimmed(string(PQerrorMessage(self.connection.connection)) ?? ""))")
                }
            }
        }
    }

    fileprivate func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    private func queryBlocking(_ sql: String, _ parameters: [String?]) throws -> PostgresRows {
        let result = withOptionalCStrings(parameters) { values in
            PQexecParams(connection, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
            var rows: [[String?]] = []
            let count = Int(PQntuples(result))
            let columns = Int(PQnfields(result))
            rows.reserveCapacity(count)
            for row in 0..<count {
                rows.append(
                    (0..<columns).map { column in
                        PQgetisnull(result, Int32(row), Int32(column)) == 1
                            ? nil : string(PQgetvalue(result, Int32(row), Int32(column)))
                    })
            }
            let names = (0..<columns).map { string(PQfname(result, Int32($0))) ?? "" }
            // Commands other than INSERT, UPDATE, DELETE and the like leave the count empty: none affected.
            return PostgresRows(columns: names, values: rows, affected: Int(string(PQcmdTuples(result)) ?? "") ?? 0)
        default:
            throw error(from: result, sql: sql)
        }
    }

    private func error(from result: OpaquePointer?, sql: String) -> PostgresError {
        if PQstatus(connection) != CONNECTION_OK {
            return PostgresError(
                .connection,
                "the connection to \(description) was lost: \(trimmed(string(PQerrorMessage(connection)) ?? ""))")
        }
        let state = string(PQresultErrorField(result, Int32(UInt8(ascii: "C")))) ?? ""
        let message =
            string(PQresultErrorField(result, Int32(UInt8(ascii: "M"))))
            ?? trimmed(string(PQerrorMessage(connection)) ?? "")
        let statement = sql.split(whereSeparator: \.isWhitespace).prefix(6).joined(separator: " ")
        return PostgresError(.statement, "\(message) [SQLSTATE \(state)] in: \(statement)…", sqlState: state)
    }
}

private func string(_ pointer: UnsafePointer<CChar>?) -> String? {
    pointer.map { String(cString: $0) }
}

private func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
    pointer.map { String(cString: $0) }
}

private func trimmed(_ text: String) -> String {
    text.split(whereSeparator: \.isNewline).joined(separator: " ")
}

/// C strings for an array of optional Swift strings, alive for the call (a `nil` stays a null pointer).
private func withOptionalCStrings<R>(_ values: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies = values.map { $0.map { strdup($0) } ?? nil }
    defer { for copy in copies { free(copy) } }
    return body(copies.map { $0.map { UnsafePointer($0) } })
}

/// libpq's `options` for server settings `name=value`: `-c name=value` each, a space or a backslash in a value
/// kept by a backslash before it (libpq splits `options` at spaces); nil for none.
private func options(_ settings: [String]) -> String? {
    guard !settings.isEmpty else { return nil }
    return settings.map { setting in
        var escaped = "-c "
        for character in setting {
            if character == " " || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }.joined(separator: " ")
}

/// A null-terminated array of C strings for libpq's keyword/value arrays.
private func withCStrings<R>(_ values: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    withOptionalCStrings(values) { pointers in
        let terminated = pointers + [nil]
        return terminated.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
