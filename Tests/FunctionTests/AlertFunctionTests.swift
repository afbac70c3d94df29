import Configuration
import Foundation
import Postgres
import TestSupport
import Testing

@Suite("AlertFunction as a process: the hourly event on an empty warehouse, a seeded one, and bad times")
struct AlertFunctionTests {
    @Test("the scheduled event migrates and finds nothing in an empty warehouse; a seeded one alerts its subscriber")
    func runs() async throws {
        let home = try await LoadHome("fnalert")
        let empty = try await FunctionProcess.run(
            "AlertFunction", arguments: ["--event", "events/alert-scheduled.json"], environment: home.environment)
        #expect(empty.status == 0, "\(empty.stderr)")
        let answer = try JSONSerialization.jsonObject(with: Data(empty.stdout.utf8)) as? [String: Any]
        #expect((answer?["summary"] as? String)?.hasPrefix("alerts at 2025-06-11 07:00 UTC: 0 signals") == true)

        let (seededHome, seed) = try await LoadHome.trendSeeded("fnalertseed")
        try await seed.subscribe(try await seed.subscriber("label@example.org"))
        let seeded = try await FunctionProcess.run(
            "AlertFunction",
            environment: seededHome.environment.merging(["ALERT_DIGEST_HOUR": "23"]) { _, new in new },
            input: Data(#"{"at":"2026-11-20T07:59:59Z"}"#.utf8))
        #expect(seeded.status == 0, "\(seeded.stderr)")
        let outcome =
            (try JSONSerialization.jsonObject(with: Data(seeded.stdout.utf8)) as? [String: Any])?["alerts"]
            as? [String: Any]
        #expect(outcome?["alerts"] as? Int == 9 && outcome?["emails"] as? Int == 1)
        #expect(outcome?["digest"] as? Bool == false)
        let mail = try FileManager.default.contentsOfDirectory(atPath: "\(seededHome.path)/.local/outbox/mail")
        #expect(mail.count == 1)
        #expect(seeded.stderr.contains("rule evaluated") && seeded.stderr.contains("rule=artist.24h"))
        // The run's metrics, one Embedded Metric Format line among the logs.
        let metrics = try #require(
            seeded.stderr.split(separator: "\n").first { $0.hasPrefix("{") && $0.contains("\"_aws\"") })
        let root = try #require(try JSONSerialization.jsonObject(with: Data(metrics.utf8)) as? [String: Any])
        #expect(root["Function"] as? String == "Alert" && root["AlertsRaised"] as? Double == 9)
        #expect(root["AlertsSent"] as? Double == 1 && root["DeliveriesFailed"] as? Double == 0)
    }

    @Test("a time that is not UTC ISO 8601, and a bad digest hour, are errors naming them")
    func badInput() async throws {
        let home = try await LoadHome("fnalertbad")
        for at in ["2026-11-20T07:00:00", "20/11/2026", "2026-11-20T25:00:00Z"] {
            let result = try await FunctionProcess.run(
                "AlertFunction", environment: home.environment, input: Data(#"{"at":"\#(at)"}"#.utf8))
            #expect(result.status == 1)
            let error = try #require(PrintedError(lastLineOf: result.stderr))
            #expect(error.errorType == "Runtime.InvalidEvent")
            #expect(error.errorMessage.contains("'\(at)' is not a UTC time"), "\(error.errorMessage)")
        }
        let result = try await FunctionProcess.run(
            "AlertFunction", arguments: ["--event", "events/alert-scheduled.json"],
            environment: home.environment.merging(["ALERT_DIGEST_HOUR": "25"]) { _, new in new })
        #expect(result.status == 1)
        let error = try #require(PrintedError(lastLineOf: result.stderr))
        #expect(error.errorType == "ConfigurationError" && error.errorMessage.contains("ALERT_DIGEST_HOUR"))
    }
}
