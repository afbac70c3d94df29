import Alerts
import Dashboard
import Extract
import Foundation
import Gzip
import LambdaEvents
import Logging
import Postgres
import Report
import RuntimeShim
import TestSupport
import Testing
import Tracker
import Warehouse

/// The sample events in the repository's `events/` folder, each for one function.
enum EventFiles {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("events")

    /// Every file, by name.
    static let all: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }()

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(try bytes(name)))
    }
}

/// The in-process tests' fixtures, put where the events' keys point.
enum HandlerFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent(name)))
    }
}

@Suite("Every file in events/ decodes into its function's request")
struct EventDecodingTests {
    @Test("the events folder has a file for every function")
    func folder() {
        #expect(EventFiles.all.count >= 11, "\(EventFiles.all)")
    }

    @Test("decodes, with the values it names", arguments: EventFiles.all)
    func decodes(file: String) throws {
        switch file {
        case "alert-scheduled.json":
            let request = try EventFiles.decode(AlertRequest.self, file)
            #expect(request.at == CalendarDay.seconds(iso: "2025-06-11T07:00:00Z") && request.digest == nil)
        case "backfill-object-created.json":
            #expect(
                try EventFiles.decode(BackfillRequest.self, file)
                    == .dataset(key: "backfill/components/bandcamp-sales.csv", chunkRows: nil))
        case "backfill-scheduled.json":
            #expect(try EventFiles.decode(BackfillRequest.self, file) == .continueAll(chunkRows: nil))
        case "charts-object-created.json":
            #expect(
                try EventFiles.decode(ChartsRequest.self, file)
                    == .file(key: "charts/regional-global-weekly-2024-12-19.csv"))
        case "charts-scheduled.json":
            #expect(try EventFiles.decode(ChartsRequest.self, file) == .sweep)
        case "extract-scheduled.json":
            let event = try EventFiles.decode(EventBridgeEvent<ScheduledEventDetail>.self, file)
            #expect(event.detailType == "Scheduled Event" && event.resources.first?.hasSuffix("extract") == true)
        case "load-sweep.json":
            #expect(try EventFiles.decode(LoadRequest.self, file) == .sweep(days: nil, scheduled: true))
        case "s3-object-created.json":
            #expect(
                try EventFiles.decode(LoadRequest.self, file)
                    == .object(
                        key: "raw/salesfeed/2025/06/10/19/1749583860-1749584460.json.gz",
                        etag: "b1946ac92492d2347c6235b4d2611184"))
        case "report-analysis.json":
            #expect(
                try EventFiles.decode(ReportRequest.self, file)
                    == .analysis(from: CalendarDay(iso: "2020-09-09")!, to: CalendarDay(iso: "2020-10-02")!))
        case "report-analysis-requested.json":
            #expect(
                try EventFiles.decode(ReportRequest.self, file)
                    == .requested(
                        AnalysisRequest(from: CalendarDay(iso: "2020-09-09")!, to: CalendarDay(iso: "2020-10-02")!)!))
        case "report-scheduled.json":
            let time = try EventFiles.decode(EventBridgeEvent<ScheduledEventDetail>.self, file).time
            #expect(
                try EventFiles.decode(ReportRequest.self, file)
                    == .daily(day: CalendarDay(iso: time)!.adding(days: -1), resend: false, exportSales: true))
        case "unsubscribe-url-post.json":
            let request = try EventFiles.decode(FunctionURLRequest.self, file)
            #expect(request.method == "POST" && request.query("token") == UnsubscribeRun.token)
        default:
            Issue.record("events/\(file) is for no function this test knows: add it here")
        }
    }
}

/// A run of a handler in this process, on its own database and folder store.
struct UnsubscribeRun {
    static let token = "0123456789abcdef0123456789abcdef"
}

@Suite("Every file in events/ runs its function's handler in-process", .serialized)
struct HandlerRunTests {
    /// A cold start's context and an invocation's, with five minutes to go.
    struct Home {
        let path = NSTemporaryDirectory() + "handler-\(UUID().uuidString)"
        let databaseURL: String
        var variables: [String: String]

        init(_ purpose: String, extra: [String: String] = [:]) async throws {
            databaseURL = try await TestDatabase.fresh(purpose)
            variables = ["BANDCAMP_TRACKER_HOME": path, "DATABASE_URL": databaseURL].merging(extra) { _, new in new }
        }

        var setup: LambdaInitContext {
            LambdaInitContext(environment: LambdaEnvironment(variables), logger: Logger(label: "handler-test"))
        }

        var context: LambdaContext {
            let deadline = Int64(Date().timeIntervalSince1970 * 1000) + 300_000
            return LambdaContext(
                metadata: InvocationMetadata(requestID: "test", deadlineMilliseconds: deadline, invokedFunctionARN: ""),
                environment: LambdaEnvironment(variables), logger: Logger(label: "handler-test"))
        }

        /// Puts an object into the folder store.
        func put(_ key: String, _ bytes: [UInt8]) throws {
            let file = URL(fileURLWithPath: "\(path)/.local/objects/\(key)")
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: file)
        }

        /// Puts a CSV fixture into the folder store; gives its lines after the header.
        func putFixture(_ name: String, at key: String) throws -> Int {
            let csv = try HandlerFixtures.bytes(name)
            try put(key, csv)
            return String(decoding: csv, as: UTF8.self).split(whereSeparator: \.isNewline).count - 1
        }

        func exists(_ key: String) -> Bool {
            FileManager.default.fileExists(atPath: "\(path)/.local/objects/\(key)")
        }

        func scalar(_ sql: String) async throws -> String? {
            try await PostgresConnection.connect(url: databaseURL).query(sql).scalarText
        }
    }

    /// Runs a handler on an event file's bytes as the runtime does, and gives its JSON answer.
    func run<Handler: LambdaHandler>(_ handler: Handler, _ file: String, _ home: Home) async throws -> [String: Any] {
        let output = try await CodableHandlerAdapter(handler).handle(try EventFiles.bytes(file), context: home.context)
        await handler.shutdown()
        return try JSONSerialization.jsonObject(with: Data(output)) as? [String: Any] ?? [:]
    }

    @Test("runs, with the outcome its event asks for", arguments: EventFiles.all)
    func runs(file: String) async throws {
        let purpose = "h" + file.prefix(12).filter(\.isLetter)
        switch file {
        case "alert-scheduled.json":
            let home = try await Home(purpose)
            let answer = try await run(try AlertHandler.start(home.setup), file, home)
            #expect((answer["summary"] as? String)?.contains("0 signals") == true, "\(answer)")
        case "backfill-object-created.json":
            let home = try await Home(purpose)
            // One sale a line after the header (no field of the sample holds a line break).
            let rows = try home.putFixture("components-sample.csv", at: "backfill/components/bandcamp-sales.csv")
            let answer = try await run(try BackfillHandler.start(home.setup), file, home)
            let dataset = (answer["datasets"] as? [[String: Any]])?.first ?? [:]
            #expect(dataset["status"] as? String == "done" && dataset["records"] as? Int == rows, "\(dataset)")
            #expect(try await home.scalar("SELECT count(*) FROM sale") == "\(dataset["inserted"] as? Int ?? -1)")
        case "backfill-scheduled.json":
            let home = try await Home(purpose)
            let answer = try await run(try BackfillHandler.start(home.setup), file, home)
            #expect(answer["summary"] as? String == "nothing to backfill")
        case "charts-object-created.json":
            let home = try await Home(purpose)
            let entries = try home.putFixture(
                "regional-global-weekly-2024-12-19.csv", at: "charts/regional-global-weekly-2024-12-19.csv")
            let answer = try await run(try ChartsHandler.start(home.setup), file, home)
            let imported = (answer["files"] as? [[String: Any]])?.first ?? [:]
            #expect(imported["status"] as? String == "imported" && imported["entries"] as? Int == entries)
            #expect(try await home.scalar("SELECT count(*) FROM chart_entry") == "\(entries)")
        case "charts-scheduled.json":
            let home = try await Home(purpose)
            let answer = try await run(try ChartsHandler.start(home.setup), file, home)
            #expect(answer["summary"] as? String == "no chart export to import")
        case "extract-scheduled.json":
            let bandcamp = try await BandcampStandIn.withRecentSales(span: 1200, every: 61)
            let home = try await Home(purpose, extra: bandcamp.environment)
            let answer = try await run(try ExtractHandler.start(home.setup), file, home)
            await bandcamp.shutdown()
            let keys = answer["rawKeys"] as? [String] ?? []
            #expect(answer["caughtUp"] as? Bool == true && answer["stoppedBecause"] as? String == "caught up")
            #expect(!keys.isEmpty && keys.allSatisfy(home.exists), "\(answer)")
        case "load-sweep.json":
            let home = try await Home(purpose)
            let answer = try await run(try LoadHandler.start(home.setup), file, home)
            #expect((answer["summary"] as? String)?.hasPrefix("swept 0 objects") == true, "\(answer)")
        case "s3-object-created.json":
            let home = try await Home(purpose)
            let key = "raw/salesfeed/2025/06/10/19/1749583860-1749584460.json.gz"
            try home.put(key, Gzip.compress(try HandlerFixtures.bytes("envelope-2025-06.json")))
            let answer = try await run(try LoadHandler.start(home.setup), file, home)
            let object = answer["object"] as? [String: Any] ?? [:]
            #expect(object["status"] as? String == "loaded" && object["inserted"] as? Int == 1, "\(answer)")
            #expect(try await home.scalar("SELECT a.name FROM sale s JOIN artist a ON a.id = s.artist_id") == "nanobii")
        case "report-analysis.json", "report-scheduled.json":
            let home = try await Home(purpose)
            // The scheduled run also builds an analysis asked for whose event was lost, and leaves a key that is
            // no request.
            let request = "requests/analysis/2026-11-01_2026-11-30.json"
            try home.put(request, [])
            try home.put("requests/analysis/notes.txt", [1])
            let answer = try await run(try ReportHandler.start(home.setup), file, home)
            let outcome = (answer["analysis"] ?? answer["report"]) as? [String: Any] ?? [:]
            let key = outcome["objectKey"] as? String ?? "?"
            #expect(outcome["sales"] as? Int == 0 && home.exists(key), "\(answer)")
            let swept = file == "report-scheduled.json"
            #expect(
                home.exists(request) == !swept && home.exists("reports/analysis/2026-11-01_2026-11-30.pdf") == swept)
            #expect(home.exists("requests/analysis/notes.txt"))
            if file == "report-analysis.json" {
                // The analysis asked for by command answers the same range's request.
                try home.put("requests/analysis/2020-09-09_2020-10-02.json", [])
                _ = try await run(try ReportHandler.start(home.setup), file, home)
                #expect(!home.exists("requests/analysis/2020-09-09_2020-10-02.json"))
            }
        case "report-analysis-requested.json":
            let home = try await Home(purpose)
            let request = "requests/analysis/2020-09-09_2020-10-02.json"
            // The request gone already (another run built it): nothing to do.
            let before = try await run(try ReportHandler.start(home.setup), file, home)
            #expect((before["summary"] as? String)?.hasSuffix("was built before") == true, "\(before)")
            try home.put(request, [])
            let answer = try await run(try ReportHandler.start(home.setup), file, home)
            let outcome = answer["analysis"] as? [String: Any] ?? [:]
            #expect(outcome["objectKey"] as? String == "reports/analysis/2020-09-09_2020-10-02.pdf", "\(answer)")
            #expect(home.exists("reports/analysis/2020-09-09_2020-10-02.pdf") && !home.exists(request))
        case "unsubscribe-url-post.json":
            let home = try await Home(purpose)
            let handler = try UnsubscribeHandler.start(home.setup)
            // No subscriber has the token yet: a 404 that says so (and the schema is made).
            let unknown = try await run(handler, file, home)
            #expect(unknown["statusCode"] as? Int == 404, "\(unknown)")
            let db = try await PostgresConnection.connect(url: home.databaseURL)
            try await db.query(
                "INSERT INTO subscriber (email, token, status) VALUES ('fan@example.com', $1, 'active')",
                [UnsubscribeRun.token])
            let answer = try await run(try UnsubscribeHandler.start(home.setup), file, home)
            #expect(
                answer["statusCode"] as? Int == 200 && (answer["body"] as? String)?.contains("Unsubscribed") == true)
            #expect(try await home.scalar("SELECT status FROM subscriber") == "unsubscribed")
        default:
            Issue.record("events/\(file) is for no function this test knows: add it here")
        }
    }
}
