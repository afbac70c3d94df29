import Foundation
import Postgres
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("BackfillFunction as a process: the S3 event, the schedule, and a run killed between chunks", .serialized)
struct BackfillFunctionTests {
    static let key = "backfill/components/bandcamp-sales.csv"

    /// Writes the dataset into the folder store by hand (no sidecar: the store works out its ETag).
    func putDataset(_ home: LoadHome, rows: Int) throws {
        let file = URL(fileURLWithPath: "\(home.path)/.local/objects/\(Self.key)")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(ComponentsCSV.file(rows: rows, lineEnd: "\r\n").utf8).write(to: file)
    }

    func answer(_ stdout: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any]
        return ((object?["datasets"] as? [[String: Any]])?.first) ?? [:]
    }

    @Test("the Object Created event loads the dataset; the schedule then finds nothing to do")
    func event() async throws {
        let home = try await LoadHome("bffnevent")
        try putDataset(home, rows: 500)
        var environment = home.environment
        environment["BACKFILL_CHUNK_ROWS"] = "120"
        let run = try await FunctionProcess.run(
            "BackfillFunction", arguments: ["--event", "events/backfill-object-created.json"],
            environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        let dataset = try answer(run.stdout)
        #expect(dataset["status"] as? String == "done" && dataset["inserted"] as? Int == 500)
        #expect(dataset["chunks"] as? Int == 5)
        #expect(run.stderr.contains("100.0%"), "progress is logged")
        let scheduled = try await FunctionProcess.run(
            "BackfillFunction", arguments: ["--event", "events/backfill-scheduled.json"], environment: environment)
        #expect(scheduled.status == 0 && scheduled.stdout.contains("nothing to backfill"), "\(scheduled.stdout)")
        #expect(
            try await home.query("SELECT count(*), trim_scale(sum(amount_paid_usd)) FROM sale") == [
                ["500", "\(ComponentsCSV.usd(0..<500))"]
            ])
    }

    @Test("killed (SIGKILL) in its second chunk: the first chunk stays, the rerun goes on from it, each sale once")
    func killedBetweenChunks() async throws {
        let home = try await LoadHome("bffnkill")
        let rows = 4000
        try putDataset(home, rows: rows)
        _ = try await FunctionProcess.run(
            "LoadFunction", environment: home.environment, input: Data(#"{"command":"migrate"}"#.utf8))
        let watcher = try await PostgresConnection.connect(url: home.databaseURL)
        let tables = try await PostgresConnection.connect(url: home.databaseURL)
        let gate = try await PostgresConnection.connect(url: home.databaseURL)
        // The first chunk waits at its sales until the gate has queued for the backfill's lock.
        try await tables.query("BEGIN")
        try await tables.query("LOCK TABLE sale IN EXCLUSIVE MODE")
        let request = Data(#"{"command":"backfill","key":"\#(Self.key)","chunkRows":1000}"#.utf8)
        let process = try FunctionProcess("BackfillFunction", environment: home.environment, input: request)
        #expect(
            try await waitFor(watcher, "WITH new AS (%INSERT INTO sale (%"), "the first chunk never reached its sales")
        async let gateTaken = gate.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [Self.key])
        var queued = false
        for _ in 0..<500 where !queued {
            queued =
                try await watcher.query("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
                .scalarText == "1"
            if !queued { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(queued)
        // The first chunk commits; the gate takes the lock before the second chunk can.
        try await tables.query("ROLLBACK")
        _ = try await gateTaken
        #expect(try await watcher.query("SELECT count(*) FROM sale").scalarText == "1000")
        // The second chunk is let in, and stopped at its sales again: there it is killed.
        try await tables.query("BEGIN")
        try await tables.query("LOCK TABLE sale IN EXCLUSIVE MODE")
        try await gate.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [Self.key])
        #expect(
            try await waitFor(watcher, "WITH new AS (%INSERT INTO sale (%"), "the second chunk never reached its sales")
        kill(process.process.processIdentifier, SIGKILL)
        let result = await process.finish()
        #expect(result.reason == .uncaughtSignal)
        try await tables.query("ROLLBACK")
        for _ in 0..<500 {
            let left = try await watcher.query(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND application_name = 'bandcamp-tracker' AND pid <> pg_backend_pid()"
            ).scalarText
            if left == "0" { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        let state = try await watcher.query(
            """
            SELECT l.status, l.items, p.chunks, p.records, (SELECT count(*) FROM sale)
            FROM load_ledger l JOIN backfill_progress p ON p.ledger_id = l.id
            """
        ).rows
        #expect(state == [["loading", "1000", "1", "1000", "1000"]])
        // The next run (the schedule's) goes on from the committed chunk.
        let rerun = try await FunctionProcess.run(
            "BackfillFunction", arguments: ["--event", "events/backfill-scheduled.json"],
            environment: home.environment)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let dataset = try answer(rerun.stdout)
        #expect(dataset["status"] as? String == "done" && dataset["insertedNow"] as? Int == rows - 1000)
        let totals = try await watcher.query(
            "SELECT count(*), count(DISTINCT sale_key), trim_scale(sum(amount_paid_usd)) FROM sale"
        ).rows
        #expect(totals == [[String(rows), String(rows), "\(ComponentsCSV.usd(0..<rows))"]])
        #expect(try await SummaryCheck.mismatches(watcher) == [])
    }

    /// Waits until another session runs a statement like `pattern`.
    func waitFor(_ watcher: PostgresConnection, _ pattern: String) async throws -> Bool {
        for _ in 0..<1500 {
            let active = try await watcher.query(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    + "AND ltrim(query) LIKE $1 AND wait_event_type = 'Lock'", [pattern]
            ).scalarText
            if active == "1" { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}
