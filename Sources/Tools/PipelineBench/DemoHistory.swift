import ArgumentParser
import Foundation
import Gzip
import Tracker

/// A first run's history: 35 days of a small Bandcamp, written as Extract writes its objects (a gzip feed window a
/// day, a release page record for each release), for Load's own sweep to load. Named artists with real genre tags
/// and places, sellers' popularity by a Zipf law, a Bandcamp Friday, and risers planted in the last three days: an
/// artist from nowhere, an established one selling ten times its usual, and a genre whose artists all rose.
/// Buyer countries and item types come from real feed items, amounts from Components' rows.
struct DemoHistory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-history",
        abstract: "Writes a realistic 35 days of feed windows and release pages into a folder object store.")

    @Option(help: "The object store's folder (the windows go under raw/salesfeed/, the pages under raw/releases/).")
    var store: String

    @Option(help: "The end of the history, seconds since 1970 (default: the start of the current hour).")
    var end: Int64?

    @Option(help: "Days of history.")
    var days = 35

    @Option(help: "Sale items on an ordinary day (a Bandcamp Friday sells four times as many).")
    var perDay = 2_000

    @OptionGroup var fixtures: SaleFixtures

    @Option(help: "The random seed.")
    var seed: UInt64 = 35

    mutating func run() throws {
        let now = Int64(Date().timeIntervalSince1970)
        let end = self.end ?? now - now % 3600
        let (recorded, money) = try fixtures.load()
        guard (8...400).contains(days) else { throw ValidationError("--days is 8 to 400, not \(days)") }
        var random = SplitMix64(seed: seed)
        let catalogue = DemoCatalogue(random: &random)
        let first = end - end % 86_400 - Int64(days - 1) * 86_400
        let friday = DemoCatalogue.bandcampFriday(from: first, to: end)
        var written = 0
        for day in 0..<days {
            let start = first + Int64(day) * 86_400
            let stop = min(start + 86_400, end)
            guard stop > start else { continue }
            var count = perDay * (start == friday ? 4 : 1)
            count = Int(Double(count) * Double(stop - start) / 86_400)
            var sales: [(time: Double, release: DemoRelease, track: Int?)] = []
            for index in 0..<count {
                let time = Double(start) + Double(stop - start) * (Double(index) + random.unit()) / Double(count)
                let release = catalogue.steadyRelease(&random)
                sales.append((time, release, random.unit() < 0.25 ? Int(random.next() % 2) + 1 : nil))
            }
            sales += catalogue.planted(from: start, to: stop, end: end, &random)
            sales.sort { $0.time < $1.time }
            try write(sales, start: start, end: stop, recorded: recorded, money: money, &random)
            written += sales.count
            print("  day \(day + 1)/\(days): \(sales.count) sales\(start == friday ? " (a Bandcamp Friday)" : "")")
        }
        var pages = 0
        for release in catalogue.releases {
            for url in [release.url] + (1...2).map(release.trackURL) {
                try writePage(release, url: url, fetchedAt: end)
                pages += 1
            }
        }
        print(
            "summary: \(written) sales over \(days) days to \(Format.timestamp(end)) and \(pages) release pages of "
                + "\(catalogue.artists.count) artists in \(store); planted in the last three days: "
                + catalogue.plantedSummary)
    }

    /// A day's window, as Extract writes it.
    private func write(
        _ sales: [(time: Double, release: DemoRelease, track: Int?)], start: Int64, end: Int64,
        recorded: [[String: Any]], money: [GenerateSales.Amount], _ random: inout SplitMix64
    ) throws {
        var events: [String] = []
        for sale in sales {
            let buyer = recorded[Int(random.next() % UInt64(recorded.count))]
            let row = money[Int(random.next() % UInt64(money.count))]
            let release = sale.release
            let physical = sale.track == nil && random.unit() < 0.12
            let type = sale.track != nil ? "t" : physical ? "p" : "a"
            let url =
                sale.track.map { "//" + release.trackURL($0).dropFirst("https://".count) } ?? release.url.dropFirst(6)
            let description =
                physical
                ? ["Vinyl LP", "Cassette", "Compact Disc (CD)", "T-Shirt"][Int(random.next() % 4)]
                : sale.track.map { "\(release.title) (track \($0))" } ?? release.title
            var fields: [String] = [
                #""utc_date":\#(String(format: "%.7f", sale.time))"#, #""artist_name":\#(json(release.artist))"#,
                #""item_type":"\#(type)""#, #""item_description":\#(json(description))"#,
                #""album_title":\#(sale.track != nil ? json(release.title) : "null")"#,
                #""slug_type":"\#(type == "t" ? "t" : "a")""#, #""currency":"\#(row.currency)""#,
                #""amount_paid":\#(row.paid)"#, #""item_price":\#(row.price)"#,
                #""amount_paid_usd":\#(row.paidUSD)"#,
                #""country":\#(json(buyer["country"] as? String ?? "United States"))"#,
                #""country_code":"\#(buyer["country_code"] as? String ?? "us")""#,
                #""art_id":\#(release.artID)"#, #""url":\#(json(String(url)))"#,
                #""art_url":"https://f4.bcbits.com/img/a\#(release.artID)_7.jpg""#,
                #""amount_paid_fmt":"\#(row.paid) \#(row.currency)""#,
            ]
            if row.paid > row.price { fields.append(#""amount_over_fmt":"\#(row.paid - row.price)""#) }
            events.append(
                #"{"event_type":"sale","utc_date":\#(String(format: "%.7f", sale.time)),"items":[{\#(fields.joined(separator: ","))}]}"#
            )
        }
        let text =
            #"{"start_date":\#(start),"end_date":\#(end),"data_delay_sec":120,"events":[\#(events.joined(separator: ","))],"server_time":\#(end + 9)}"#
        try put(RawKeys.salesfeedWindow(start: start, end: end), Gzip.compress(Array(text.utf8)))
    }

    /// A release page record, as Extract writes one after reading the page.
    private func writePage(_ release: DemoRelease, url: String, fetchedAt: Int64) throws {
        let track = url != release.url
        let page = ReleasePage(
            url: url, kind: track ? "track" : "album", title: release.title, artist: release.artist, recordLabel: nil,
            artistPage: "https://\(release.host)", albumURL: track ? release.url : nil,
            releaseDate: release.releaseDate, genres: release.genres.map { ReleasePage.Tag(name: $0) },
            place: ReleasePage.Tag(name: release.place.tag), locationLine: release.place.line, tagSource: "tags")
        let record = ReleasePageRecord(url: url, status: .ok, fetchedAt: fetchedAt, page: page)
        try put(RawKeys.releasePage(url), Gzip.compress(Array(try JSONEncoder().encode(record))))
    }

    private func put(_ key: String, _ bytes: [UInt8]) throws {
        let path = store + "/" + key
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    private func json(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: text, options: .fragmentsAllowed), as: UTF8.self)
    }
}
