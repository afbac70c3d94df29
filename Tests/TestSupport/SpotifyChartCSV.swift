/// Chart exports written as charts.spotify.com writes them (its documented header, a UTF-8 byte order mark,
/// strings and streams double-quoted, CRLF line ends, -1 as the previous rank of a new entry), for tests.
public enum SpotifyChartCSV {
    /// One entry: a track (its 22-character id is made from `track`), artists, streams and the chart's counts.
    public struct Row: Sendable {
        public var track: String
        public var artists: String
        public var streams: Int
        public var peak: Int
        public var previous: Int?
        public var periods: Int

        public init(_ track: String, _ artists: String, streams: Int, peak: Int, previous: Int?, periods: Int) {
            self.track = track
            self.artists = artists
            self.streams = streams
            self.peak = peak
            self.previous = previous
            self.periods = periods
        }
    }

    /// The id of a made-up track.
    public static func id(_ track: String) -> String {
        let letters = Array(track.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) })
        var id = String(String.UnicodeScalarView(letters)).prefix(22)
        while id.count < 22 { id += "0" }
        return String(id)
    }

    /// A file's text, ranks in the rows' order.
    public static func file(daily: Bool, _ rows: [Row]) -> String {
        var text =
            "\u{FEFF}rank,uri,artist_names,track_name,source,peak_rank,previous_rank,"
            + (daily ? "days_on_chart" : "weeks_on_chart") + ",streams\r\n"
        for (index, row) in rows.enumerated() {
            text +=
                "\(index + 1),\"spotify:track:\(id(row.track))\",\"\(row.artists)\",\"\(row.track)\",\"Label\","
                + "\(row.peak),\(row.previous ?? -1),\(row.periods),\"\(row.streams)\"\r\n"
        }
        return text
    }
}
