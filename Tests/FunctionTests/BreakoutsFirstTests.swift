import Foundation
import HTTPClient
import Postgres
import TestSupport
import Testing

/// The stand-in history's planted risers, as its truth file names them.
struct PlantedRisers: Decodable {
    struct Riser: Decodable {
        var name: String
        var entity: String
        var label: String
    }
    var day: String
    var evaluatedAt: String
    var risers: [Riser]
    var quiet: [String]

    static func load() throws -> PlantedRisers {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/planted-risers.json")
        return try JSONDecoder().decode(PlantedRisers.self, from: Data(contentsOf: url))
    }
}

@Suite("Breakouts first: what the functions show of a history with planted risers")
struct BreakoutsFirstTests {
    /// The text between `start` and the first `end` after it (empty when `start` is missing).
    func section(_ text: String, from start: String, to end: String) -> String {
        guard let from = text.range(of: start) else { return "" }
        let rest = text[from.upperBound...]
        return String(rest[..<(rest.range(of: end)?.lowerBound ?? rest.endIndex)])
    }

    func occurrences(_ text: String, _ part: String) -> Int { text.components(separatedBy: part).count - 1 }

    /// A page of a PDF as poppler's `pdftotext` reads it: an independent reader of what we draw.
    static func text(ofPage page: Int, _ pdf: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        process.arguments = ["-f", "\(page)", "-l", "\(page)", pdf, "-"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test(
        "each planted riser leads the PDF's first page, the report email and the overview, once in the alert email; quiet ones nowhere"
    )
    func everywhere() async throws {
        let truth = try PlantedRisers.load()
        let (home, seed) = try await LoadHome.trendSeeded("fnbreakouts")
        try await seed.subscribe(try await seed.subscriber("scout@example.org"))
        var environment = home.environment
        environment["ALERT_DIGEST_HOUR"] = "23"
        environment["DASHBOARD_URL"] = "https://dashboard.example.org/"

        // The alert run that ends the day's windows: one email, each riser in it once.
        let alert = try await FunctionProcess.run(
            "AlertFunction", environment: environment, input: Data(#"{"at":"\#(truth.evaluatedAt)"}"#.utf8))
        #expect(alert.status == 0, "\(alert.stderr)")
        let outbox = "\(home.path)/.local/outbox/mail"
        let alertMail = try FileManager.default.contentsOfDirectory(atPath: outbox).sorted()
        #expect(alertMail.count == 1)
        let alertEmail = try ParsedEmail.parse("\(outbox)/\(try #require(alertMail.first))")
        let alertHTML = try #require(alertEmail.parts.first { $0.contentType == "text/html" }?.text)
        let alertText = try #require(alertEmail.parts.first { $0.contentType == "text/plain" }?.text)
        for riser in truth.risers {
            #expect(occurrences(alertHTML, ">\(riser.name)</a>") == 1, "\(riser.name) in the alert email's HTML")
            #expect(occurrences(alertText, "\n\(riser.name): \(riser.label.lowercased()), over the last") == 1)
        }
        #expect(alertText.contains("How sure, and why: https://dashboard.example.org/alerts?"))
        for name in truth.quiet { #expect(!alertText.contains("\n\(name): "), "\(name) in the alert email") }

        // The day's report: the first page's first section, and the email's.
        let report = try await FunctionProcess.run(
            "ReportFunction", environment: environment, input: Data(#"{"date":"\#(truth.day)"}"#.utf8))
        #expect(report.status == 0, "\(report.stderr)")
        let pdf = "\(home.path)/.local/objects/reports/daily/\(truth.day).pdf"
        let pageOne = try Self.text(ofPage: 1, pdf)
        let breaking = section(pageOne, from: "Breaking out", to: "The day in figures")
        #expect(!breaking.isEmpty, "page 1: \(pageOne)")
        for riser in truth.risers {
            #expect(breaking.contains(riser.name) && breaking.contains(riser.label.uppercased()), "\(riser.name)")
        }
        for name in truth.quiet { #expect(!breaking.contains(name), "\(name) on page 1") }
        let reportMail = try FileManager.default.contentsOfDirectory(atPath: outbox).sorted().filter {
            !alertMail.contains($0)
        }
        #expect(reportMail.count == 1)
        let reportEmail = try ParsedEmail.parse("\(outbox)/\(try #require(reportMail.first))")
        let reportText = try #require(reportEmail.parts.first { $0.contentType == "text/plain" }?.text)
        let reportHTML = try #require(reportEmail.parts.first { $0.contentType == "text/html" }?.text)
        let leading = section(reportText, from: "BREAKING OUT", to: "Items sold: ")
        let leadingHTML = section(reportHTML, from: ">Breaking out</h3>", to: ">The day in figures</h3>")
        for riser in truth.risers {
            #expect(occurrences(leading, "\(riser.name): \(riser.label.lowercased())") == 1, "\(riser.name)")
            #expect(occurrences(leadingHTML, ">\(riser.name)</a>") == 1, "\(riser.name) in the report's HTML")
        }
        #expect(reportEmail.subject.hasPrefix("Rising: \(truth.risers[0].name) ("))
        for name in truth.quiet { #expect(!leading.contains(name), "\(name) in the report email") }

        // The overview of the 30 days to that day leads with them.
        let served = try await ServedFunction(environment: environment)
        let day = try #require(ISO8601DateFormatter().date(from: truth.day + "T00:00:00Z"))
        let from = ISO8601DateFormatter().string(from: day.addingTimeInterval(-29 * 86_400)).prefix(10)
        let page = try await HTTPClient().execute(HTTPRequest(url: served.baseURL + "/?from=\(from)&to=\(truth.day)"))
        _ = await served.stop()
        let html = String(decoding: page.body, as: UTF8.self)
        #expect(page.status == 200)
        let rising = section(html, from: "<h2>Rising now</h2>", to: "</section>")
        #expect(html.range(of: "Rising now")!.lowerBound < html.range(of: "class=\"cards\"")!.lowerBound)
        for riser in truth.risers {
            #expect(occurrences(rising, ">\(riser.name)</a>") == 1, "\(riser.name) on the overview")
        }
        for name in truth.quiet { #expect(!rising.contains(">\(name)</a>"), "\(name) on the overview") }
    }
}
