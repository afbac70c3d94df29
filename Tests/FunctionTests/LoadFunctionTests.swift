import Foundation
import Postgres
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A home folder for one run: the object store in it, the database of its own.
struct LoadHome {
    let path: String
    let databaseURL: String

    init(_ purpose: String) async throws {
        self.init(databaseURL: try await TestDatabase.fresh(purpose))
    }

    /// A home whose warehouse holds the trend seed (a copy of one filled once), and the seed.
    static func trendSeeded(_ purpose: String) async throws -> (LoadHome, TrendSeed) {
        let copied = try await TrendSeed.copied(purpose)
        return (LoadHome(databaseURL: copied.url), copied.seed)
    }

    private init(databaseURL: String) {
        path = NSTemporaryDirectory() + "load-\(UUID().uuidString)"
        self.databaseURL = databaseURL
    }

    var environment: [String: String] {
        ["BANDCAMP_TRACKER_HOME": path, "DATABASE_URL": databaseURL]
    }

    /// Writes a raw window into the folder store, as Extract does (gzip made by the system's gzip).
    func putWindow(key: String, items: Int, firstItem: Int = 0) throws {
        var json = #"{"start_date":1749583860,"end_date":1749584460,"data_delay_sec":120,"events":["#
        json.reserveCapacity(items * 560)
        for n in firstItem..<(firstItem + items) {
            if n > firstItem { json += "," }
            json +=
                #"{"event_type":"sale","utc_date":1749583861.5,"items":[{"utc_date":1749583861.\#(100_000 + n),"artist_name":"Artist \#(n % 997)","item_type":"\#(["a", "t", "p", "b"][n % 4])","item_description":"Release \#(n % 5003)","album_title":null,"currency":"EUR","amount_paid":\#(n % 20 + 1),"item_price":\#(n % 20 + 1),"amount_paid_usd":\#(n % 20 + 1).25,"country":"Country","country_code":"\#(["us", "gb", "de", "jp"][n % 4])","url":"//artist\#(n % 997).bandcamp.com/album/r\#(n % 5003)","art_url":"https://f4.bcbits.com/img/a1_7.jpg"}]}"#
        }
        json += #"],"server_time":1749584469}"#
        let file = URL(fileURLWithPath: "\(path)/.local/objects/\(key)")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-c", "-1"]
        let input = Pipe()
        gzip.standardInput = input
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        gzip.standardOutput = try FileHandle(forWritingTo: file)
        try gzip.run()
        input.fileHandleForWriting.write(Data(json.utf8))
        try input.fileHandleForWriting.close()
        gzip.waitUntilExit()
    }

    func query(_ sql: String) async throws -> [[String?]] {
        try await PostgresConnection.connect(url: databaseURL).query(sql).rows
    }
}

@Suite("LoadFunction as a process: events, a dead database, and a load killed mid-way", .serialized)
struct LoadFunctionTests {
    static let key = "raw/salesfeed/2025/06/10/19/1749583860-1749584460.json.gz"

    func request(_ key: String) -> Data { Data(#"{"command":"load","key":"\#(key)"}"#.utf8) }

    @Test("the S3 Object Created event's object is loaded; the same event again loads nothing")
    func event() async throws {
        let home = try await LoadHome("fnevent")
        try home.putWindow(key: Self.key, items: 40)
        let first = try await FunctionProcess.run(
            "LoadFunction", arguments: ["--event", "events/s3-object-created.json"], environment: home.environment)
        #expect(first.status == 0, "\(first.stderr)")
        let answer = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any]
        let object = answer?["object"] as? [String: Any]
        #expect(object?["status"] as? String == "loaded" && object?["inserted"] as? Int == 40)
        let again = try await FunctionProcess.run(
            "LoadFunction", arguments: ["--event", "events/s3-object-created.json"], environment: home.environment)
        #expect(again.stdout.contains("already-loaded"))
        #expect(try await home.query("SELECT count(*), sum(amount_paid_usd) FROM sale") == [["40", "430.00"]])
        // A scheduled event sweeps: nothing left to load.
        let sweep = try await FunctionProcess.run(
            "LoadFunction", arguments: ["--event", "events/load-sweep.json"], environment: home.environment)
        #expect(sweep.status == 0 && sweep.stdout.contains(#""loaded":0"#), "\(sweep.stdout)")
    }

    @Test("a database that is down is a clear invocation error naming the server, and nothing is lost")
    func databaseDown() async throws {
        let home = try await LoadHome("fndown")
        try home.putWindow(key: Self.key, items: 5)
        var environment = home.environment
        environment["DATABASE_URL"] = "postgresql://bandcamp_tracker@127.0.0.1:9/bandcamp_tracker"
        let down = try await FunctionProcess.run(
            "LoadFunction", arguments: ["--event", "events/s3-object-created.json"], environment: environment)
        #expect(down.status == 1)
        let report = try #require(PrintedError(lastLineOf: down.stderr))
        #expect(report.errorMessage.contains("cannot connect to PostgreSQL at 127.0.0.1:9/bandcamp_tracker"))
        // Once the database is back, the sweep loads it.
        let sweep = try await FunctionProcess.run(
            "LoadFunction", environment: home.environment, input: Data(#"{"command":"sweep"}"#.utf8))
        #expect(sweep.status == 0 && sweep.stdout.contains(#""inserted":5"#), "\(sweep.stdout)\(sweep.stderr)")
    }

    @Test(
        "killed (SIGKILL) while copying, waiting to insert, or inserting: nothing half-stored; the rerun stores each sale once",
        arguments: ["copy", "before-insert", "inserting"])
    func killed(moment: String) async throws {
        let home = try await LoadHome("fnkill")
        // The COPY lasts as long as its rows take to send: enough of them that a busy machine still sees it.
        let items = moment == "copy" ? 90_000 : 30_000
        try home.putWindow(key: Self.key, items: items)
        let watcher = try await PostgresConnection.connect(url: home.databaseURL)
        // The schema first (a cold start), so that the tables to hold exist.
        _ = try await FunctionProcess.run(
            "LoadFunction", environment: home.environment, input: Data(#"{"command":"migrate"}"#.utf8))
        // Holding a lock stops the loader at a chosen statement, inside its transaction.
        let holder = try await PostgresConnection.connect(url: home.databaseURL)
        switch moment {
        case "before-insert":
            try await holder.query("BEGIN")
            try await holder.query("LOCK TABLE country IN EXCLUSIVE MODE")
        case "inserting":
            try await holder.query("BEGIN")
            try await holder.query("LOCK TABLE sale IN EXCLUSIVE MODE")
        default: break
        }
        let process = try FunctionProcess("LoadFunction", environment: home.environment, input: request(Self.key))
        let pattern = [
            "copy": "COPY load_staging%", "before-insert": "INSERT INTO country%",
            "inserting": "WITH new AS (%INSERT INTO sale (%",
        ][moment]!
        var seen = false
        for _ in 0..<6000 {
            let active = try await watcher.query(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    + "AND state = 'active' AND ltrim(query) LIKE $1", [pattern]
            ).scalarText
            if active == "1" {
                seen = true
                break
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(seen, "the loader never reached \(pattern)")
        kill(process.process.processIdentifier, SIGKILL)
        let result = await process.finish()
        #expect(result.reason == .uncaughtSignal)
        if moment != "copy" { try await holder.query("ROLLBACK") }
        // The server ends the dead client's transaction; nothing of it stays.
        for _ in 0..<500 {
            let left = try await watcher.query(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    + "AND application_name = 'bandcamp-tracker'"
            ).scalarText
            if left == "0" { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(
            try await watcher.query("SELECT (SELECT count(*) FROM sale), (SELECT count(*) FROM load_ledger)").rows == [
                ["0", "0"]
            ])
        let rerun = try await FunctionProcess.run(
            "LoadFunction", environment: home.environment, input: request(Self.key))
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdout.contains(#""inserted":\#(items)"#))
        let again = try await FunctionProcess.run(
            "LoadFunction", environment: home.environment, input: request(Self.key))
        #expect(again.stdout.contains("already-loaded"))
        let totals = try await watcher.query(
            "SELECT count(*), count(DISTINCT sale_key), sum(amount_paid) FROM sale"
        ).rows
        let expectedSum = (0..<items).reduce(0) { $0 + $1 % 20 + 1 }
        #expect(totals == [[String(items), String(items), String(expectedSum)]])
        #expect(try await SummaryCheck.mismatches(watcher) == [])
    }
}
