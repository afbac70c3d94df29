import Configuration
import Foundation
import TestSupport
import Testing

@Suite("Each function runs once, locally, on an event file")
struct LocalInvocationTests {
    let home = ["BANDCAMP_TRACKER_HOME": NSTemporaryDirectory()]

    @Test("the event can come on standard input")
    func standardInput() async throws {
        let result = try await FunctionProcess.run(
            "AlertFunction", environment: home, input: Data(#"{"at":"yesterday"}"#.utf8))
        #expect(result.status == 1)
        let report = try #require(PrintedError(lastLineOf: result.stderr))
        #expect(report.errorType == "Runtime.InvalidEvent" && report.errorMessage.contains("'yesterday'"))
    }

    @Test("an event of the wrong shape is a clear invocation error naming what is missing")
    func wrongEvent() async throws {
        let event =
            #"{"version":"0","id":"1","detail-type":"Object Created","source":"aws.s3","account":"1","time":"t","region":"r","resources":[]}"#
        let result = try await FunctionProcess.run("LoadFunction", environment: home, input: Data(event.utf8))
        #expect(result.status == 1)
        let report = try #require(PrintedError(lastLineOf: result.stderr))
        #expect(report.errorType == "Runtime.InvalidEvent")
        #expect(report.errorMessage.contains("detail"))
    }

    @Test("a missing event file is named, with status 64")
    func missingFile() async throws {
        let result = try await FunctionProcess.run(
            "ExtractFunction", arguments: ["--event", "events/nope.json"], environment: home)
        #expect(result.status == 64)
        #expect(result.stderr.contains("cannot read the event file 'events/nope.json'"))
    }

    @Test("--help says how to run it locally and on Lambda")
    func help() async throws {
        let result = try await FunctionProcess.run("ReportFunction", arguments: ["--help"], environment: home)
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: ReportFunction"))
        #expect(result.stdout.contains("AWS_LAMBDA_RUNTIME_API"))
        #expect(result.stdout.contains("--event"))
    }

    @Test(
        "--help says what each function does and lists its events, each example a JSON event or a file of events/",
        arguments: [
            "ExtractFunction", "LoadFunction", "ReportFunction", "AlertFunction", "BackfillFunction", "ChartsFunction",
            "DashboardFunction", "UnsubscribeFunction",
        ])
    func events(function: String) async throws {
        let result = try await FunctionProcess.run(function, arguments: ["--help"], environment: home)
        #expect(result.status == 0 && result.stdout.contains("WHAT IT DOES:"))
        let section = try #require(result.stdout.components(separatedBy: "EVENTS:\n").dropFirst().first)
        let examples = section.components(separatedBy: "\n\n")[0].split(separator: "\n").filter {
            $0.hasPrefix("      ")
        }
        #expect(!examples.isEmpty)
        for example in examples.flatMap({ $0.trimmingCharacters(in: .whitespaces).components(separatedBy: "   or   ") })
        {
            if example.hasPrefix("{") {
                #expect(throws: Never.self, "\(function): \(example)") {
                    try JSONSerialization.jsonObject(with: Data(example.utf8))
                }
            } else if example.hasPrefix("--event ") {
                let file = String(example.dropFirst("--event ".count))
                #expect(FileManager.default.fileExists(atPath: file), "\(function): \(file)")
            } else {
                #expect(example.hasPrefix("--serve "), "\(function): \(example)")
            }
        }
    }

    @Test("a bad setting is a start-up error that names the variable")
    func badSetting() async throws {
        var environment = home
        environment["OBJECT_STORE_URL"] = "ftp://nowhere"
        let result = try await FunctionProcess.run(
            "ExtractFunction", arguments: ["--event", "events/extract-scheduled.json"], environment: environment)
        #expect(result.status == 1)
        let report = try #require(PrintedError(lastLineOf: result.stderr))
        #expect(report.errorType == "ConfigurationError")
        #expect(report.errorMessage.contains("OBJECT_STORE_URL"))
    }

    @Test("an S3 object store without AWS credentials is a start-up error naming them")
    func s3WithoutCredentials() async throws {
        var environment = home
        environment["OBJECT_STORE_URL"] = "s3://bandcamp-tracker-data/pipeline"
        let result = try await FunctionProcess.run(
            "LoadFunction", arguments: ["--event", "events/s3-object-created.json"], environment: environment)
        #expect(result.status == 1)
        let report = try #require(PrintedError(lastLineOf: result.stderr))
        #expect(report.errorType == "AWSConfigurationError")
        #expect(report.errorMessage.contains("AWS_ACCESS_KEY_ID"))
    }

    @Test("on a laptop a function starts on the local adapters and says where they are")
    func localAdapters() async throws {
        let result = try await FunctionProcess.run(
            "ReportFunction", arguments: ["--event", "events/report-scheduled.json"], environment: home)
        let ready = try #require(result.stderr.split(separator: "\n").first { $0.contains("ready") })
        #expect(ready.contains("objectStore=file://") && ready.contains("/.local/objects"))
        #expect(ready.contains("mailer=file://") && ready.contains("/.local/outbox/mail"))
    }

    @Test("Extract follows a Bandcamp on 127.0.0.1 into raw objects and prints its summary")
    func extractRuns() async throws {
        let bandcamp = try await BandcampStandIn.withRecentSales(span: 3000, every: 61)
        let home = NSTemporaryDirectory() + "extract-function-\(UInt32.random(in: 0...UInt32.max))"
        let result = try await FunctionProcess.run(
            "ExtractFunction", arguments: ["--event", "events/extract-scheduled.json"],
            environment: bandcamp.environment.merging(["BANDCAMP_TRACKER_HOME": home]) { _, new in new })
        await bandcamp.shutdown()
        #expect(result.status == 0)
        let summary = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(summary?["caughtUp"] as? Bool == true)
        let keys = summary?["rawKeys"] as? [String] ?? []
        #expect(keys.count == 5 && keys.allSatisfy { $0.hasPrefix("raw/salesfeed/") && $0.hasSuffix(".json.gz") })
        #expect(keys.allSatisfy { FileManager.default.fileExists(atPath: "\(home)/.local/objects/\($0)") })
        #expect(FileManager.default.fileExists(atPath: "\(home)/.local/objects/state/salesfeed/cursor.json"))
        // The stand-in has no release pages: each is asked for once, and stored as gone.
        let releases = summary?["releases"] as? [String: Int]
        #expect(releases?["gone"] == bandcamp.pageRequests.count && releases?["pending"] == 0)
        #expect(bandcamp.pageRequests.values.allSatisfy { $0 == 1 })
    }

    @Test("Extract with no Bandcamp to reach fails, naming the window it could not fetch")
    func extractFails() async throws {
        let result = try await FunctionProcess.run(
            "ExtractFunction", arguments: ["--event", "events/extract-scheduled.json", "--timeout", "8"],
            environment: home.merging(["BANDCAMP_BASE_URL": "http://127.0.0.1:9"]) { _, new in new })
        #expect(result.status == 1)
        let report = try #require(PrintedError(lastLineOf: result.stderr))
        #expect(report.errorType == "ExtractFailed")
        #expect(report.errorMessage.contains("the sales feed window from"))
        #expect(report.errorMessage.contains("couldNotConnect"))
    }
}
