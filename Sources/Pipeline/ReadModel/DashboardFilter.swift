import Postgres
import Tracker

/// What every page is narrowed to: a range of days, and optionally a genre, an artist, a buyer's country and an
/// item type. It lives in the URL's query (`from`, `to`, `genre`, `artist`, `country`, `type`), so a view can be
/// shared as a link.
public struct DashboardFilter: Sendable, Equatable {
    /// The first and last day, both included (UTC).
    public var from: CalendarDay
    public var to: CalendarDay
    /// A genre's tag key (`post-rock`).
    public var genre: String? { didSet { genreTagID = nil } }
    /// The genre's tag id once `DashboardQuery.resolvingGenre` has looked it up (0 when no tag has the key): the
    /// statements then name the tag by id, a value the planner weighs against the tag's statistics (how many
    /// releases it has), so that a genre of 100,000 releases is joined by hashing rather than release by release.
    public internal(set) var genreTagID: Int64?
    /// An artist's id.
    public var artist: Int64?
    /// A buyer country's ISO code (`DE`).
    public var country: String?
    /// `album`, `track`, `physical` or `bundle`.
    public var itemType: String?

    /// The item types, as the warehouse stores them, and how a reader calls them.
    public static let itemTypes = [
        ("album", "Digital album"), ("track", "Digital track"), ("physical", "Physical"), ("bundle", "Bundle"),
    ]
    /// The longest range a page reads.
    public static let longestRange: Int64 = 366
    /// The range when none is given: the 30 days up to the latest sale.
    public static let defaultRange: Int64 = 30
    /// The days a range may name: no sale is older, none later.
    static let earliestDay = CalendarDay(iso: "2000-01-01")!
    static let latestDay = CalendarDay(iso: "2100-12-31")!

    public init(
        from: CalendarDay, to: CalendarDay, genre: String? = nil, artist: Int64? = nil, country: String? = nil,
        itemType: String? = nil
    ) {
        self.from = from
        self.to = to
        self.genre = genre
        self.artist = artist
        self.country = country
        self.itemType = itemType
    }

    /// The filter a query asks for, and what was wrong with it (each problem named; the rest still applies).
    /// - Parameter latest: The day of the latest sale, where the default range ends.
    public static func parse(_ items: [(name: String, value: String)], latest: CalendarDay) -> (
        filter: DashboardFilter, problems: [String]
    ) {
        var problems: [String] = []
        func value(_ name: String) -> String? {
            guard let text = items.last(where: { $0.name == name })?.value.trimmingSpaces(), !text.isEmpty else {
                return nil
            }
            return text
        }
        func day(_ name: String) -> CalendarDay? {
            guard let text = value(name) else { return nil }
            guard let day = CalendarDay(iso: text) else {
                problems.append("'\(text)' is not a date (YYYY-MM-DD) for \(name)")
                return nil
            }
            guard day >= earliestDay, day <= latestDay else {
                problems.append("\(text) is outside the years sales are kept for (2000 to 2100), for \(name)")
                return nil
            }
            return day
        }
        var to = day("to") ?? latest
        var from = day("from") ?? to.adding(days: 1 - defaultRange)
        if from > to {
            problems.append("the range starts after it ends: the two dates were swapped")
            swap(&from, &to)
        }
        if to.daysSinceEpoch - from.daysSinceEpoch + 1 > longestRange {
            problems.append("a range is at most \(longestRange) days: it starts \(longestRange) days before its end")
            from = to.adding(days: 1 - longestRange)
        }
        var filter = DashboardFilter(from: from, to: to)
        if let genre = value("genre") {
            if genre.utf8.count <= 200 {
                filter.genre = genre.lowercased()
            } else {
                problems.append("the genre is too long to be one")
            }
        }
        if let artist = value("artist") {
            if let id = Int64(artist), id > 0 {
                filter.artist = id
            } else {
                problems.append("'\(artist)' is not an artist's number")
            }
        }
        if let country = value("country") {
            let code = country.uppercased()
            if code.utf8.count == 2, code.utf8.allSatisfy({ (0x41...0x5A).contains($0) }) {
                filter.country = code
            } else {
                problems.append("'\(country)' is not a two-letter country code")
            }
        }
        if let type = value("type") {
            if itemTypes.contains(where: { $0.0 == type }) {
                filter.itemType = type
            } else {
                problems.append("'\(type)' is not an item type (album, track, physical or bundle)")
            }
        }
        return (filter, problems)
    }

    /// Days in the range.
    public var days: Int { Int(to.daysSinceEpoch - from.daysSinceEpoch + 1) }

    /// The same filter over the range of the same length just before.
    public var previous: DashboardFilter {
        var earlier = self
        earlier.to = from.adding(days: -1)
        earlier.from = from.adding(days: -Int64(days))
        return earlier
    }

    /// Whether anything other than the dates narrows it.
    public var isNarrowed: Bool { genre != nil || artist != nil || country != nil || itemType != nil }

    /// The query's pairs (every field; empty ones are left out of links).
    public var queryItems: [(String, String)] {
        [
            ("from", from.iso), ("to", to.iso), ("genre", genre ?? ""), ("artist", artist.map(String.init) ?? ""),
            ("country", country ?? ""), ("type", itemType ?? ""),
        ]
    }

    /// The days of the range, as a condition on the `day` of a summary table `alias`.
    func days(_ alias: String) -> SQLQuery {
        "\(unescaped: alias).day >= \(from.iso)::date AND \(unescaped: alias).day <= \(to.iso)::date"
    }

    /// The period of the rolling window (`summary_window_*`) that holds exactly the range's days, NULL when none
    /// does: a scalar subquery, so a statement that reads it and the window reads one snapshot of both.
    var windowPeriod: SQLQuery {
        "(SELECT summary_window_period(\(to.iso)::date, \(days)::integer))"
    }

    /// The condition on `summary_day d` that this filter is, when it narrows by nothing those summaries lack
    /// (a genre or an artist): its days, and its country and item type if any.
    var summaryDay: SQLQuery? {
        guard genre == nil, artist == nil else { return nil }
        var parts = [days("d")]
        if let country { parts.append("d.country = \(country)") }
        if let itemType { parts.append("d.item_type = \(itemType)::item_type") }
        return SQLQuery.joined(parts, separator: " AND ")
    }

    /// The days alone, when nothing else narrows the filter: what the summaries by artist, release and amount
    /// answer.
    var onlyDays: Bool { !isNarrowed }

    /// The genre, when it and the days are all that narrow the filter: what the genre summaries answer.
    var onlyGenre: Bool { genre != nil && artist == nil && country == nil && itemType == nil }

    /// The genre's tag id in SQL: bound once looked up, else looked up by its key (NULL when no tag has it).
    var genreID: SQLQuery? {
        if let genreTagID { return "\(genreTagID)::bigint" }
        return genre.map { "(SELECT t.id FROM tag t WHERE t.key = \($0))" }
    }

    /// The SQL condition on `sale s` that this filter is, every value bound.
    var condition: SQLQuery {
        var parts: [SQLQuery] = [
            "s.sold_at >= to_timestamp(\(from.start)::float8)",
            "s.sold_at < to_timestamp(\(to.end)::float8)",
        ]
        if let genreTagID {
            parts.append("s.release_id IN (SELECT rt.release_id FROM release_tag rt WHERE rt.tag_id = \(genreTagID))")
        } else if let genre {
            parts.append(
                """
                s.release_id IN (SELECT rt.release_id FROM release_tag rt JOIN tag t ON t.id = rt.tag_id \
                WHERE t.key = \(genre))
                """)
        }
        if let artist { parts.append("s.artist_id = \(artist)::bigint") }
        if let country { parts.append("s.buyer_country_code = \(country)") }
        if let itemType { parts.append("s.item_type = \(itemType)::item_type") }
        return SQLQuery.joined(parts, separator: " AND ")
    }
}
