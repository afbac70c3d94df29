import ArgumentParser
import Extract
import Foundation
import Tracker

/// Benchmarks of the pipeline's own code (scripts/bench runs them on a release build).
@main
struct PipelineBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline-bench", abstract: "Benchmarks of the pipeline's code.",
        subcommands: [Feed.self, Pages.self, GenerateSales.self, DemoHistory.self])

    /// Sale items parsed per second from feed JSON.
    struct Feed: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Items parsed per second from feed windows.")

        @Option(help: "The recorded items to build windows from.")
        var recordings = "Tests/TrackerTests/Fixtures/salesfeed/items-2023-07.json"

        @Option(help: "Items a window.")
        var itemsPerWindow = 2000

        @Option(help: "Windows to parse.")
        var windows = 50

        mutating func run() throws {
            let data = try Data(contentsOf: URL(fileURLWithPath: recordings))
            let recorded = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
            // One window of real items, their times spread over the window with full-precision fractions.
            let items = try (0..<itemsPerWindow).map { index -> String in
                var item = recorded[index % recorded.count]
                item["utc_date"] = "__UTC__"
                let text = String(decoding: try JSONSerialization.data(withJSONObject: item), as: UTF8.self)
                return text.replacingOccurrences(
                    of: "\"__UTC__\"", with: "\(1_749_583_860 + index * 600 / itemsPerWindow).\(1_000_000 + index)")
            }
            let events = items.map { #"{"event_type":"sale","utc_date":1749583861.5,"items":[\#($0)]}"# }
            let body = Array(
                #"{"start_date":1749583860,"end_date":1749584460,"data_delay_sec":120,"events":[\#(events.joined(separator: ","))],"server_time":1749584469}"#
                    .utf8)
            print("feed: \(windows) windows of \(itemsPerWindow) items (\(body.count / 1024) KiB each)")
            var parsed = 0
            let clock = ContinuousClock()
            let elapsed = try clock.measure {
                for index in 0..<windows {
                    parsed += try SalesfeedWindow.parse(body).items.count
                    if (index + 1) % 10 == 0 { print("  \(index + 1)/\(windows)") }
                }
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print(
                "summary: \(parsed) items in \(String(format: "%.2f", seconds)) s: "
                    + "\(Int(Double(parsed) / seconds)) items/s, "
                    + "\(String(format: "%.1f", Double(body.count * windows) / seconds / 1_048_576)) MiB/s of feed JSON"
            )
        }
    }

    /// Release pages parsed per second for their tags, place and dates.
    struct Pages: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Release pages parsed per second.")

        @Option(help: "A folder of recorded release pages.")
        var recordings = "Tests/ExtractTests/Fixtures/bandcamp-pages"

        @Option(help: "Pages to parse.")
        var pages = 400

        mutating func run() throws {
            let names = try FileManager.default.contentsOfDirectory(atPath: recordings).filter { $0.hasSuffix(".html") }
                .sorted()
            let bodies = try names.map { Array(try Data(contentsOf: URL(fileURLWithPath: "\(recordings)/\($0)"))) }
            let bytes = bodies.map(\.count).reduce(0, +) / max(bodies.count, 1)
            print("pages: \(pages) parses of \(bodies.count) recorded pages (\(bytes / 1024) KiB on average)")
            var tags = 0
            let clock = ContinuousClock()
            let elapsed = try clock.measure {
                for index in 0..<pages {
                    let page = try ReleasePageParser.parse(
                        bodies[index % bodies.count], url: "https://artist.bandcamp.com/album/a\(index)")
                    tags += page.genres.count
                    if (index + 1) % 100 == 0 { print("  \(index + 1)/\(pages)") }
                }
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print(
                "summary: \(pages) pages (\(tags) genre tags) in \(String(format: "%.2f", seconds)) s: "
                    + "\(Int(Double(pages) / seconds)) pages/s, "
                    + "\(String(format: "%.1f", Double(bytes * pages) / seconds / 1_048_576)) MiB/s of HTML")
        }
    }
}
