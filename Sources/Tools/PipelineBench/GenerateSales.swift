import ArgumentParser
import Foundation
import Gzip

/// A salesfeed window of any size, written as Extract writes windows (gzip), from the real distributions in
/// the fixtures: item types, buyer countries and URL shapes from 587 real feed items, amounts and currencies
/// from the Components dataset's rows, sellers' popularity as a Zipf law over 160,000 artists (the dataset's
/// one million sales came from 159,746), several items in one purchase now and then. Or, with
/// `--format components-csv`, the same sales as rows of Components' CSV (its 23 columns), for the backfill.
struct GenerateSales: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-sales",
        abstract: "Writes one gzip feed window of realistic sales (or a CSV of the Components dataset's shape).")

    @Option(help: "feed (a gzip window, as Extract writes) or components-csv (the dataset's CSV).")
    var format = "feed"

    @Option(help: "Days the sales spread over.")
    var days = 1

    @Flag(help: "The first Friday of a month sells four times as much as another day (Bandcamp waives its share).")
    var bandcampFridays = false

    @Option(help: "Sale items.")
    var sales = 1_000_000

    @Option(help: "The gzip file to write.")
    var output: String

    @OptionGroup var fixtures: SaleFixtures

    @Option(help: "The random seed.")
    var seed: UInt64 = 2020

    @Option(help: "The start of the window's day, seconds since 1970 (the sales spread over 24 hours from it).")
    var start: Int64 = 1_749_513_600  // 2025-06-10 00:00 UTC

    mutating func run() throws {
        let (recorded, money) = try fixtures.load()
        var random = SplitMix64(seed: seed)
        let artists = Zipf(count: 160_000, exponent: 1.07)
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        guard ["feed", "components-csv"].contains(format) else {
            throw ValidationError("--format is feed or components-csv, not \(format)")
        }
        let csv = format == "components-csv"
        let clock = SaleClock(start: start, days: max(1, days), bandcampFridays: bandcampFridays)
        var text =
            csv
            ? "_id,art_url,item_type,utc_date,country_code,track_album_slug_text,country,slug_type,amount_paid_fmt,"
                + "item_price,item_description,art_id,url,amount_paid,releases,artist_name,currency,album_title,"
                + "amount_paid_usd,package_image_id,amount_over_fmt,item_slug,addl_count\n"
            : #"{"start_date":\#(start),"end_date":\#(clock.end),"data_delay_sec":120,"events":["#
        var written = 0
        var compressedBytes = 0
        var rawBytes = 0
        var firstEvent = true
        func flush(_ force: Bool) throws {
            guard force || text.utf8.count > 8 << 20 else { return }
            let bytes = Array(text.utf8)
            let member = csv ? bytes : Gzip.compress(bytes)
            file.write(Data(member))
            compressedBytes += member.count
            rawBytes += bytes.count
            text.removeAll(keepingCapacity: true)
        }
        while written < sales {
            let itemCount = min(sales - written, random.unit() < 0.08 ? 2 + Int(random.next() % 3) : 1)
            let time = clock.time(ofFraction: Double(written) / Double(sales))
            var itemsText: [String] = []
            let buyer = recorded[Int(random.next() % UInt64(recorded.count))]
            for index in 0..<itemCount {
                let template = recorded[Int(random.next() % UInt64(recorded.count))]
                let row = money[Int(random.next() % UInt64(money.count))]
                let artist = artists.sample(&random)
                let release = Int(random.next() % 8) * 200_000 + artist
                let type = template["item_type"] as? String ?? "a"
                let host = "artist\(artist).bandcamp.com"
                let url =
                    switch type {
                    case "t": "//\(host)/track/track-\(release)-\(random.next() % 12)"
                    case "b": "//\(host)"
                    default: "//\(host)/album/release-\(release)"
                    }
                let description =
                    type == "p"
                    ? ["Vinyl LP", "Cassette", "Compact Disc (CD)", "T-Shirt"][Int(random.next() % 4)]
                    : "Release \(release)"
                let date = String(format: "%.7f", time + Double(index) * 0.0003 + random.unit() * 0.0002)
                if csv {
                    let country = buyer["country"] as? String ?? "United States"
                    let quotedDescription = description.contains(",") ? "\"\(description)\"" : description
                    text +=
                        [
                            "\(date)&\(url)", "https://f4.bcbits.com/img/a\(1_000_000_000 + release)_7.jpg", type, date,
                            buyer["country_code"] as? String ?? "us", "",
                            country.contains(",") ? "\"\(country)\"" : country,
                            type == "b" ? "" : type == "t" ? "t" : "a", "\(row.paid) \(row.currency)", "\(row.price)",
                            quotedDescription, "\(1_000_000_000 + release).0", url, "\(row.paid)", "",
                            "Artist \(artist)",
                            row.currency, type == "t" ? "Album \(release)" : "", "\(row.paidUSD)", "",
                            row.paid > row.price ? "\(row.paid - row.price)" : "", "", "",
                        ].joined(separator: ",") + "\n"
                    continue
                }
                var fields: [String] = [
                    #""utc_date":\#(date)"#, #""artist_name":"Artist \#(artist)""#, #""item_type":"\#(type)""#,
                    #""item_description":"\#(description)""#,
                    #""album_title":\#(type == "t" ? "\"Album \(release)\"" : "null")"#,
                    #""slug_type":"\#(type == "b" ? "null" : type == "t" ? "t" : "a")""#,
                    #""currency":"\#(row.currency)""#, #""amount_paid":\#(row.paid)"#,
                    #""item_price":\#(row.price)"#, #""amount_paid_usd":\#(row.paidUSD)"#,
                    #""country":"\#(buyer["country"] as? String ?? "United States")""#,
                    #""country_code":"\#(buyer["country_code"] as? String ?? "us")""#,
                    #""art_id":\#(1_000_000_000 + release)"#, #""url":"\#(url)""#,
                    #""art_url":"https://f4.bcbits.com/img/a\#(1_000_000_000 + release)_7.jpg""#,
                    #""amount_paid_fmt":"\#(row.paid) \#(row.currency)""#,
                ]
                if row.paid > row.price { fields.append(#""amount_over_fmt":"\#(row.paid - row.price)""#) }
                itemsText.append("{" + fields.joined(separator: ",") + "}")
            }
            if !csv {
                text +=
                    (firstEvent ? "" : ",")
                    + #"{"event_type":"sale","utc_date":\#(String(format: "%.7f", time)),"items":[\#(itemsText.joined(separator: ","))]}"#
            }
            firstEvent = false
            written += itemCount
            try flush(false)
            if written % 100_000 < itemCount { print("  \(written)/\(sales) items") }
        }
        if !csv { text += #"],"server_time":\#(clock.end + 9)}"# }
        try flush(true)
        try file.close()
        print(
            csv
                ? "summary: \(sales) rows of the Components dataset's shape over \(days) days, "
                    + "\(rawBytes / 1_048_576) MiB of CSV: \(output)"
                : "summary: \(sales) sale items in one window, \(rawBytes / 1_048_576) MiB of JSON, "
                    + "\(compressedBytes / 1_048_576) MiB gzip: \(output)")
    }

    struct Amount {
        var currency: String
        var paid: Decimal
        var price: Decimal
        var paidUSD: Decimal
    }

    /// currency, amount_paid, item_price and amount_paid_usd of each row of the Components CSV.
    static func amountRows(_ path: String) throws -> [Amount] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        guard let header = lines.first.map({ $0.split(separator: ",", omittingEmptySubsequences: false) }) else {
            return []
        }
        func column(_ name: String) -> Int? { header.firstIndex { $0 == Substring(name) } }
        guard let currency = column("currency"), let paid = column("amount_paid"), let price = column("item_price"),
            let usd = column("amount_paid_usd")
        else { return [] }
        return lines.dropFirst().compactMap { line in
            // Rows whose text fields hold commas are quoted: skip them rather than guess.
            guard !line.contains("\"") else { return nil }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == header.count, let paidValue = Decimal(string: String(fields[paid])),
                let priceValue = Decimal(string: String(fields[price])),
                let usdValue = Decimal(string: String(fields[usd]))
            else { return nil }
            // The dataset's prices are single-precision floats (9.98999977111816): to cents.
            func cents(_ value: Decimal) -> Decimal {
                Decimal(string: String(format: "%.2f", NSDecimalNumber(decimal: value).doubleValue)) ?? value
            }
            return Amount(
                currency: String(fields[currency]), paid: cents(paidValue), price: cents(priceValue),
                paidUSD: cents(usdValue))
        }
    }
}

/// When the sale that is a given fraction of the way through the window happens: evenly over its days, or with
/// the first Friday of each month weighing four days.
struct SaleClock {
    let start: Int64
    /// Each day's weight, the weights before it, and all of them.
    private let weights: [Double]
    private let before: [Double]
    private let total: Double

    /// The end of the window's last day.
    var end: Int64 { start + 86_400 * Int64(weights.count) }

    init(start: Int64, days: Int, bandcampFridays: Bool) {
        self.start = start
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        weights = (0..<days).map { day in
            let date = Date(timeIntervalSince1970: Double(start + Int64(day) * 86_400))
            let parts = calendar.dateComponents([.weekday, .day], from: date)
            return bandcampFridays && parts.weekday == 6 && (parts.day ?? 8) <= 7 ? 4 : 1
        }
        var sum = 0.0
        before = weights.map { weight in
            defer { sum += weight }
            return sum
        }
        total = sum
    }

    func time(ofFraction fraction: Double) -> Double {
        let point = fraction * total
        let day = before.lastIndex { $0 <= point } ?? 0
        return Double(start) + 86_400 * (Double(day) + (point - before[day]) / weights[day])
    }
}

/// A small, fast, seeded generator (SplitMix64): the same seed, the same sales.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }
}

/// Ranks drawn by a Zipf law: rank k with probability ∝ 1/k^s (a few sellers sell much, most sell little).
struct Zipf {
    private let cumulative: [Double]

    init(count: Int, exponent: Double) {
        var total = 0.0
        var values: [Double] = []
        values.reserveCapacity(count)
        for rank in 1...count {
            total += 1 / pow(Double(rank), exponent)
            values.append(total)
        }
        cumulative = values.map { $0 / total }
    }

    func sample(_ random: inout SplitMix64) -> Int {
        let target = random.unit()
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low + 1
    }
}
