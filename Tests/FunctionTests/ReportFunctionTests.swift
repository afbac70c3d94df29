import Foundation
import Postgres
import TestSupport
import Testing

@Suite("ReportFunction as a process: the scheduled event reports the day before, mails once, names bad dates")
struct ReportFunctionTests {
    @Test("the scheduled event of 06:00 builds the previous day's PDF and mails the subscriber; a rerun mails nobody")
    func scheduled() async throws {
        let home = try await LoadHome("fnreport")
        try home.putWindow(key: LoadFunctionTests.key, items: 30)
        let load = try await FunctionProcess.run(
            "LoadFunction", arguments: ["--event", "events/s3-object-created.json"], environment: home.environment)
        #expect(load.status == 0, "\(load.stderr)")
        _ = try await home.query(
            "INSERT INTO subscriber (email, status) VALUES ('reader@example.org', 'active')")
        // events/report-scheduled.json is of 2025-06-11T06:00:00Z: the report is of 2025-06-10.
        let first = try await FunctionProcess.run(
            "ReportFunction", arguments: ["--event", "events/report-scheduled.json"], environment: home.environment)
        #expect(first.status == 0, "\(first.stderr)")
        let answer = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any]
        let report = answer?["report"] as? [String: Any]
        #expect(report?["date"] as? String == "2025-06-10" && report?["sales"] as? Int == 30)
        #expect(report?["mailed"] as? Int == 1)
        // The scheduled run also exports the day's sales for the lake, once.
        let export = answer?["export"] as? [String: Any]
        #expect(export?["sales"] as? Int == 30 && export?["alreadyExported"] as? Bool == false)
        #expect(
            FileManager.default.fileExists(
                atPath: "\(home.path)/.local/objects/exports/sales/date=2025-06-10/sales.json.gz"))
        let pdf = try Data(contentsOf: URL(fileURLWithPath: "\(home.path)/.local/objects/reports/daily/2025-06-10.pdf"))
        #expect(pdf.starts(with: Array("%PDF-".utf8)) && pdf.count == report?["bytes"] as? Int)
        let mail = try FileManager.default.contentsOfDirectory(atPath: "\(home.path)/.local/outbox/mail")
        #expect(mail.count == 1)

        let again = try await FunctionProcess.run(
            "ReportFunction", environment: home.environment, input: Data(#"{"date":"2025-06-10"}"#.utf8))
        #expect(again.status == 0 && again.stdout.contains(#""alreadyMailed":1"#), "\(again.stdout)\(again.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(home.path)/.local/outbox/mail").count == 1)
        #expect(try await home.query("SELECT builds, sales FROM daily_report") == [["2", "30"]])
    }

    @Test("a date that is not YYYY-MM-DD, or does not exist, is an invocation error naming it")
    func badDate() async throws {
        let home = try await LoadHome("fnreportdate")
        for date in ["2025-02-30", "10/06/2025", "2025-06-10T00:00:00Z"] {
            let result = try await FunctionProcess.run(
                "ReportFunction", environment: home.environment, input: Data(#"{"date":"\#(date)"}"#.utf8))
            #expect(result.status == 1)
            let error = try #require(PrintedError(lastLineOf: result.stderr))
            #expect(error.errorType == "Runtime.InvalidEvent")
            #expect(error.errorMessage.contains("'\(date)' is not a date as YYYY-MM-DD"), "\(error.errorMessage)")
        }
    }
}
