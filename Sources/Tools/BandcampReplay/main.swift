import ArgumentParser
import Foundation
import LocalHTTPServer

/// Serves recorded sales on 127.0.0.1 as Bandcamp's sales feed, so that the pipeline runs offline: the
/// recorded items are laid, in their order and with their own sub-second digits, over the hours just before
/// now, and `/api/salesfeed/1/get?start_date=` answers with the window that starts there, as the real feed does
/// (600 s windows, a 120 s publishing delay, the server's time). Any other album or track path gets one of the
/// recorded release pages, so enrichment runs offline too (with `BANDCAMP_CONNECT_TO=::127.0.0.1:PORT` and
/// `BANDCAMP_PAGE_SCHEME=http`, every host's pages reach this server).
@main
struct BandcampReplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bandcamp-replay",
        abstract: "Replay recorded sales as Bandcamp's sales feed on 127.0.0.1.")

    @Option(help: "A folder of recordings: feed windows (JSON objects) or arrays of feed items.")
    var recordings = "Tests/TrackerTests/Fixtures/salesfeed"

    @Option(help: "The port to listen on (0 for any).")
    var port = 8089

    @Option(help: "Over how many hours before now to lay the recorded sales.")
    var hours = 2.0

    @Option(help: "A folder of recorded release pages, served for any other path (any host, by host mapping).")
    var pages = "Tests/ExtractTests/Fixtures/bandcamp-pages"

    mutating func run() async throws {
        let items = try Self.load(recordings)
        guard !items.isEmpty else { throw ValidationError("no recorded sales in \(recordings)") }
        let delay: Int64 = 120
        let end = Int64(Date().timeIntervalSince1970) - delay - 60
        let span = Int64(hours * 3600)
        // Item i goes to end - span + i·span/n, keeping its own digits after the point.
        let timeline: [(second: Int64, text: String)] = items.enumerated().map { index, item in
            let second = end - span + Int64(index) * span / Int64(items.count)
            return (second, item.replacingOccurrences(of: "\"__UTC__\"", with: "\(second)\(Self.fraction(index))"))
        }
        // Release pages only: the artist's and the label's pages among the recordings carry no release.
        let recordedPages = try FileManager.default.contentsOfDirectory(atPath: pages)
            .filter { $0.hasSuffix(".html") && !$0.contains("artist") && !$0.contains("label") }
            .sorted().map { Array(try Data(contentsOf: URL(fileURLWithPath: "\(pages)/\($0)"))) }
        let server = try await LocalHTTPServer.start(port: port) { request in
            guard request.path == "/api/salesfeed/1/get", let start = request.query("start_date").flatMap({ Int64($0) })
            else {
                // A release page: one of the recorded ones, the same one for the same path.
                guard !recordedPages.isEmpty, request.path.contains("/album/") || request.path.contains("/track/")
                else { return .text(404, "not found: \(request.path)") }
                let index = request.path.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) & 0x7FFF_FFFF } % recordedPages.count
                return .response(
                    status: 200, headers: [("Content-Type", "text/html; charset=utf-8")], body: recordedPages[index])
            }
            let window = timeline.filter { $0.second >= start && $0.second < start + 600 }
            let events = window.map { #"{"event_type":"sale","utc_date":\#($0.second),"items":[\#($0.text)]}"# }
            let now = Int64(Date().timeIntervalSince1970)
            let body =
                #"{"start_date":\#(start),"end_date":\#(start + 600),"data_delay_sec":\#(delay),"events":[\#(events.joined(separator: ","))],"server_time":\#(now)}"#
            return .text(200, body, contentType: "application/json")
        }
        let banner =
            "bandcamp-replay: \(items.count) recorded sales over the \(hours) h before now, on \(server.baseURL)\n"
        FileHandle.standardOutput.write(Data((banner + "BANDCAMP_BASE_URL=\(server.baseURL)\n").utf8))
        while true { try await Task.sleep(for: .seconds(3600)) }
    }

    /// A recorded item's sub-second digits (the recordings truncated some; those get digits of their own).
    static func fraction(_ index: Int) -> String {
        ".\(String(format: "%07d", (index * 7_919_371) % 10_000_000))"
    }

    /// Every item of every recording, as JSON text with its `utc_date` replaced by a placeholder.
    static func load(_ folder: String) throws -> [String] {
        var items: [[String: Any]] = []
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }
            .sorted()
        for file in files {
            let json = try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(file)")))
            if let array = json as? [[String: Any]] {
                items += array
            } else if let window = json as? [String: Any], let events = window["events"] as? [[String: Any]] {
                items += events.flatMap { $0["items"] as? [[String: Any]] ?? [] }
            }
        }
        items.sort { ($0["utc_date"] as? Double ?? 0) < ($1["utc_date"] as? Double ?? 0) }
        return try items.map { item in
            var item = item
            item["utc_date"] = "__UTC__"
            item.removeValue(forKey: "balance")  // the recording's own field, not the feed's
            return String(
                decoding: try JSONSerialization.data(withJSONObject: item, options: [.sortedKeys]), as: UTF8.self)
        }
    }
}
