/// Spotify's chart exports, read into charts: which chart (region, daily or weekly, top 200 or viral 50, date)
/// and its entries. Three shapes are read:
/// - charts.spotify.com (2022-): `rank,uri,artist_names,track_name,source,peak_rank,previous_rank,
///   weeks_on_chart|days_on_chart,streams`, a UTF-8 byte order mark, `previous_rank` -1 for a new entry; the region,
///   period and date are in the file's name, `regional-<region>-<daily|weekly>-<YYYY-MM-DD>.csv`.
/// - spotifycharts.com (-2021): a note line, then `Position,"Track Name",Artist,Streams,URL`; the name
///   `regional-<region>-daily-<YYYY-MM-DD>.csv` or `regional-<region>-weekly-<from>--<to>.csv` (the week's
///   last day is the day before `<to>`).
/// - Kaggle's collection of them: `title,rank,date,artist,url,region,chart,trend,streams`, the chart, its date and
///   region (a country's name) on every row.
public struct ChartFile: Sendable, Equatable {
    public enum Shape: String, Sendable {
        case spotifyCharts = "charts.spotify.com"
        case legacy = "spotifycharts.com"
        case kaggle = "kaggle"
    }

    public var shape: Shape
    /// The charts in the file, in the order they first appear.
    public var charts: [Chart]
}

/// One chart of one date and its entries.
public struct Chart: Sendable, Equatable {
    public struct Key: Sendable, Hashable {
        /// `global`, or an ISO 3166-1 alpha-2 code in lower case.
        public var region: String
        /// `daily` or `weekly`.
        public var period: String
        /// `top200` or `viral50`.
        public var kind: String
        /// The chart's day (for a weekly chart, the week's last day).
        public var date: CalendarDay

        public init(region: String, period: String, kind: String, date: CalendarDay) {
            self.region = region
            self.period = period
            self.kind = kind
            self.date = date
        }
    }

    public struct Entry: Sendable, Equatable {
        public var rank: Int
        /// Spotify's track id (22 characters of base 62).
        public var trackID: String
        public var trackName: String
        public var artists: [String]
        public var streams: Int64?
        public var peakRank: Int?
        /// `nil` for a new entry.
        public var previousRank: Int?
        /// Days or weeks on the chart, this one included.
        public var periodsOnChart: Int?
        /// The label or distributor, when the export names it.
        public var source: String?

        public init(
            rank: Int, trackID: String, trackName: String, artists: [String], streams: Int64?, peakRank: Int?,
            previousRank: Int?, periodsOnChart: Int?, source: String?
        ) {
            self.rank = rank
            self.trackID = trackID
            self.trackName = trackName
            self.artists = artists
            self.streams = streams
            self.peakRank = peakRank
            self.previousRank = previousRank
            self.periodsOnChart = periodsOnChart
            self.source = source
        }
    }

    public var key: Key
    public var entries: [Entry]
}

/// A chart export that cannot be read, and why.
public struct ChartFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

extension ChartFile {
    /// Reads an export.
    /// - Parameter name: The file's name (its last path segment), which says the region, period and date of the
    ///   charts.spotify.com and spotifycharts.com exports.
    /// - Throws: `ChartFileError` naming what is wrong (an unknown header, a name without a date, a bad row).
    public static func parse(_ bytes: [UInt8], name: String) throws -> ChartFile {
        var reader = CSVReader()
        var records: [CSVReader.Record]
        do {
            records = try reader.read(bytes)
            if let last = try reader.finish() { records.append(last) }
        } catch let error as CSVError {
            throw ChartFileError("\(name): \(error)")
        }
        guard let first = records.first else { throw ChartFileError("\(name): the file is empty") }
        let header = first.fields.map { $0.collapsingWhitespace().lowercased() }
        if header.first == "rank", header.contains("uri") {
            return ChartFile(shape: .spotifyCharts, charts: [try modern(records, header: header, name: name)])
        }
        if header.count >= 4, header[0].isEmpty, records.count > 1,
            records[1].fields.first?.collapsingWhitespace().lowercased() == "position"
        {
            return ChartFile(shape: .legacy, charts: [try legacy(Array(records.dropFirst()), name: name)])
        }
        if header.first == "position" {
            return ChartFile(shape: .legacy, charts: [try legacy(records, name: name)])
        }
        if ["title", "rank", "date", "artist", "url", "region", "chart"].allSatisfy(header.contains) {
            return ChartFile(shape: .kaggle, charts: try kaggle(records, header: header, name: name))
        }
        throw ChartFileError(
            "\(name): not a Spotify chart export (its header is \(first.fields.prefix(10).joined(separator: ",")))")
    }

    /// Region, period and date from `regional-<region>-<daily|weekly>-<date>[--<date>].csv`.
    static func key(fromName name: String) throws -> Chart.Key {
        var stem = Substring(name)
        if stem.lowercased().hasSuffix(".csv") { stem = stem.dropLast(4) }
        let parts = stem.split(separator: "-", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, ["regional", "viral"].contains(parts[0].lowercased()),
            ["daily", "weekly"].contains(parts[2].lowercased())
        else {
            throw ChartFileError(
                "\(name): the name must say the chart, as regional-<region>-<daily|weekly>-<YYYY-MM-DD>.csv")
        }
        let region = parts[1].lowercased()
        guard region == "global" || (region.count == 2 && region.allSatisfy { $0.isLetter && $0.isASCII }) else {
            throw ChartFileError("\(name): '\(parts[1])' is neither global nor a two-letter country code")
        }
        let period = parts[2].lowercased()
        let dates = parts[3].split(separator: "--", omittingEmptySubsequences: false).map(String.init)
        guard let first = dates.first, first.count == 10, let day = CalendarDay(iso: first) else {
            throw ChartFileError("\(name): '\(parts[3])' is not the chart's date (YYYY-MM-DD); name the file by it")
        }
        var date = day
        if dates.count == 2 {
            // spotifycharts.com's weeks: from a Friday to the next, the second day not included.
            guard dates[1].count == 10, let end = CalendarDay(iso: dates[1]), end > day else {
                throw ChartFileError("\(name): '\(parts[3])' is not a week as FROM--TO")
            }
            date = end.adding(days: -1)
        }
        return Chart.Key(
            region: region, period: period, kind: parts[0].lowercased() == "viral" ? "viral50" : "top200",
            date: date)
    }

    private static func modern(_ records: [CSVReader.Record], header: [String], name: String) throws -> Chart {
        let key = try key(fromName: name)
        let column = CSVReader.columns(header)
        for needed in ["rank", "uri", "artist_names", "track_name"] where column[needed] == nil {
            throw ChartFileError("\(name): the header lacks \(needed)")
        }
        let periods = column["weeks_on_chart"] ?? column["days_on_chart"]
        var entries: [Chart.Entry] = []
        for record in records.dropFirst() {
            let value = { (index: Int?) -> String? in
                guard let index, index < record.fields.count else { return nil }
                let text = record.fields[index].collapsingWhitespace()
                return text.isEmpty ? nil : text
            }
            let row = record.number
            guard let rank = value(column["rank"]).flatMap({ Int($0) }), rank > 0 else {
                throw ChartFileError("\(name), row \(row): the rank is not a positive number")
            }
            guard let id = value(column["uri"]).flatMap(trackID) else {
                throw ChartFileError("\(name), row \(row): '\(value(column["uri"]) ?? "")' is not a Spotify track")
            }
            let previous = value(column["previous_rank"]).flatMap { Int($0) }
            entries.append(
                Chart.Entry(
                    rank: rank, trackID: id, trackName: value(column["track_name"]) ?? "",
                    artists: artistNames(value(column["artist_names"]) ?? ""),
                    streams: value(column["streams"]).flatMap(streamCount),
                    peakRank: value(column["peak_rank"]).flatMap { Int($0) },
                    previousRank: previous.flatMap { $0 > 0 ? $0 : nil },
                    periodsOnChart: value(periods).flatMap { Int($0) }, source: value(column["source"])))
        }
        return try checked(Chart(key: key, entries: entries), name: name)
    }

    private static func legacy(_ records: [CSVReader.Record], name: String) throws -> Chart {
        let key = try key(fromName: name)
        var entries: [Chart.Entry] = []
        for record in records.dropFirst() {
            let fields = record.fields.map { $0.collapsingWhitespace() }
            guard fields.count >= 5, let rank = Int(fields[0]), rank > 0 else {
                throw ChartFileError("\(name), row \(record.number + 1): not Position,Track Name,Artist,Streams,URL")
            }
            guard let id = trackID(fields[4]) else {
                throw ChartFileError("\(name), row \(record.number + 1): '\(fields[4])' is not a Spotify track")
            }
            entries.append(
                Chart.Entry(
                    rank: rank, trackID: id, trackName: fields[1], artists: artistNames(fields[2]),
                    streams: streamCount(fields[3]), peakRank: nil, previousRank: nil, periodsOnChart: nil,
                    source: nil))
        }
        return try checked(Chart(key: key, entries: entries), name: name)
    }

    private static func kaggle(_ records: [CSVReader.Record], header: [String], name: String) throws -> [Chart] {
        let column = CSVReader.columns(header)
        var order: [Chart.Key] = []
        var charts: [Chart.Key: [Chart.Entry]] = [:]
        for record in records.dropFirst() {
            let value = { (field: String) -> String in
                guard let index = column[field], index < record.fields.count else { return "" }
                return record.fields[index].collapsingWhitespace()
            }
            let row = record.number
            guard let date = CalendarDay(iso: value("date")), value("date").count == 10 else {
                throw ChartFileError("\(name), row \(row): '\(value("date"))' is not a date")
            }
            guard let region = regionCode(value("region")) else {
                throw ChartFileError("\(name), row \(row): '\(value("region"))' is not a region Spotify charts")
            }
            let kind = value("chart").lowercased()
            guard ["top200", "viral50"].contains(kind) else {
                throw ChartFileError("\(name), row \(row): '\(value("chart"))' is neither top200 nor viral50")
            }
            guard let rank = Int(value("rank")), rank > 0, let id = trackID(value("url")) else {
                throw ChartFileError("\(name), row \(row): no rank or no Spotify track URL")
            }
            let key = Chart.Key(region: region, period: "daily", kind: kind, date: date)
            if charts[key] == nil { order.append(key) }
            charts[key, default: []].append(
                Chart.Entry(
                    rank: rank, trackID: id, trackName: value("title"), artists: artistNames(value("artist")),
                    streams: streamCount(value("streams")), peakRank: nil,
                    previousRank: nil, periodsOnChart: value("trend") == "NEW_ENTRY" ? 1 : nil, source: nil))
        }
        return try order.map { try checked(Chart(key: $0, entries: charts[$0]!), name: name) }
    }

    /// A chart whose ranks are each used once.
    private static func checked(_ chart: Chart, name: String) throws -> Chart {
        var seen: Set<Int> = []
        for entry in chart.entries where !seen.insert(entry.rank).inserted {
            throw ChartFileError(
                "\(name): rank \(entry.rank) appears twice in the \(chart.key.region) chart of \(chart.key.date.iso)")
        }
        return chart
    }

    /// The track id of `spotify:track:<id>` or `https://open.spotify.com/track/<id>[?…]`.
    static func trackID(_ text: String) -> String? {
        var id = Substring(text)
        if id.hasPrefix("spotify:track:") {
            id = id.dropFirst("spotify:track:".count)
        } else if let range = id.firstRange(of: "open.spotify.com/track/") {
            id = id[range.upperBound...].prefix { $0 != "?" && $0 != "/" }
        } else {
            return nil
        }
        guard id.count == 22, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        return String(id)
    }

    /// Streams as the exports write them: `3356361`, `"3356361"`, pandas' `253019.0`.
    static func streamCount(_ text: String) -> Int64? {
        guard let number = FeedNumber(text), !number.isNegative else { return nil }
        return number.wholePart
    }

    /// Artists whose names hold ", " themselves: the exports join artists with ", ".
    static let namesWithCommas = [
        "Tyler, The Creator", "Earth, Wind & Fire", "Crosby, Stills, Nash & Young", "Crosby, Stills & Nash",
        "Emerson, Lake & Palmer", "Peter, Paul and Mary", "Blood, Sweat & Tears",
    ]

    /// The artists of an `artist_names` field, in order.
    static func artistNames(_ text: String) -> [String] {
        var rest = text
        var names: [String] = []
        for name in namesWithCommas where rest.contains(name) {
            names.append(name)
            rest = rest.replacing(name, with: "\u{1}")
        }
        var placed: [String] = []
        var index = 0
        for part in rest.split(separator: ", ", omittingEmptySubsequences: false) {
            let name = String(part).collapsingWhitespace()
            if name == "\u{1}" {
                placed.append(names[index])
                index += 1
            } else if !name.isEmpty {
                placed.append(name)
            }
        }
        return placed
    }

    /// The region of a Kaggle row: `global`, or the country's ISO code.
    static func regionCode(_ name: String) -> String? {
        let key = name.collapsingWhitespace().lowercased()
        if key == "global" { return "global" }
        return kaggleRegions[key]
    }

    /// The regions of Kaggle's collection of spotifycharts.com (2017-2021), by name.
    static let kaggleRegions: [String: String] = [
        "andorra": "ad", "argentina": "ar", "australia": "au", "austria": "at", "belgium": "be", "bolivia": "bo",
        "brazil": "br", "bulgaria": "bg", "canada": "ca", "chile": "cl", "colombia": "co", "costa rica": "cr",
        "czech republic": "cz", "denmark": "dk", "dominican republic": "do", "ecuador": "ec", "egypt": "eg",
        "el salvador": "sv", "estonia": "ee", "finland": "fi", "france": "fr", "germany": "de", "greece": "gr",
        "guatemala": "gt", "honduras": "hn", "hong kong": "hk", "hungary": "hu", "iceland": "is", "india": "in",
        "indonesia": "id", "ireland": "ie", "israel": "il", "italy": "it", "japan": "jp", "latvia": "lv",
        "lithuania": "lt", "luxembourg": "lu", "malaysia": "my", "mexico": "mx", "morocco": "ma", "netherlands": "nl",
        "new zealand": "nz", "nicaragua": "ni", "norway": "no", "panama": "pa", "paraguay": "py", "peru": "pe",
        "philippines": "ph", "poland": "pl", "portugal": "pt", "romania": "ro", "russia": "ru", "saudi arabia": "sa",
        "singapore": "sg", "slovakia": "sk", "south africa": "za", "south korea": "kr", "spain": "es", "sweden": "se",
        "switzerland": "ch", "taiwan": "tw", "thailand": "th", "turkey": "tr", "ukraine": "ua",
        "united arab emirates": "ae", "united kingdom": "gb", "united states": "us", "uruguay": "uy", "vietnam": "vn",
    ]
}
