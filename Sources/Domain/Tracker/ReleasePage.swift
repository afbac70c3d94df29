/// What a release's Bandcamp page says about it: genres, place, date, album, artist and label.
public struct ReleasePage: Codable, Sendable, Equatable {
    /// A genre tag: one canonical key (Bandcamp's slug), and the name as the page shows it.
    public struct Tag: Codable, Sendable, Equatable, Hashable {
        public var key: String
        public var name: String

        public init(key: String, name: String) {
            self.key = key
            self.name = name
        }

        /// A tag from a name alone: the key is its slug (lower case, runs of anything but letters and digits
        /// made one `-`), as Bandcamp's tag URLs write it.
        public init(name: String) {
            self.init(key: Self.slug(name), name: name)
        }

        public static func slug(_ name: String) -> String {
            var result = ""
            var pendingDash = false
            for character in name.lowercased() {
                if character.isLetter || character.isNumber {
                    if pendingDash && !result.isEmpty { result.append("-") }
                    pendingDash = false
                    result.append(character)
                } else {
                    pendingDash = true
                }
            }
            return result
        }
    }

    /// The page, `https://host/path`.
    public var url: String
    /// `album`, `track`, or what the page says.
    public var kind: String?
    public var title: String?
    public var artist: String?
    public var recordLabel: String?
    /// The artist's or label's page, `https://host`.
    public var artistPage: String?
    /// A track's album, when it has one.
    public var albumURL: String?
    /// `YYYY-MM-DD`.
    public var releaseDate: String?
    /// Genres, in the page's order, without the place.
    public var genres: [Tag]
    /// The tag that names the place (kept apart from genres), if any.
    public var place: Tag?
    /// Other tags that name a part of the location (the country, the town without its accents): not genres
    /// either. Absent in records written before they were told apart.
    public var otherPlaces: [Tag]?
    /// The artist's location line, e.g. `Brisbane, Australia`.
    public var locationLine: String?
    /// Where the tags came from: `tags` (the page's tag links), `ld+json` (its keywords) or `none`.
    public var tagSource: String

    public init(
        url: String, kind: String?, title: String?, artist: String?, recordLabel: String?, artistPage: String?,
        albumURL: String?, releaseDate: String?, genres: [Tag], place: Tag?, otherPlaces: [Tag]? = nil,
        locationLine: String?, tagSource: String
    ) {
        self.url = url
        self.kind = kind
        self.title = title
        self.artist = artist
        self.recordLabel = recordLabel
        self.artistPage = artistPage
        self.albumURL = albumURL
        self.releaseDate = releaseDate
        self.genres = genres
        self.place = place
        self.otherPlaces = otherPlaces
        self.locationLine = locationLine
        self.tagSource = tagSource
    }
}

/// What Extract stores for a release page (`raw/releases/<host>/<path>.json.gz`), and Load reads.
public struct ReleasePageRecord: Codable, Sendable, Equatable {
    /// The release, `https://host/path` (absent in records written before it was added: see the key).
    public var url: String?
    /// Whether the page was read, or is gone (or refused for good).
    public enum Status: String, Codable, Sendable {
        case ok, gone
    }

    public var status: Status
    /// When, in seconds since 1970.
    public var fetchedAt: Int64
    /// What the page said (`ok` only).
    public var page: ReleasePage?
    /// The HTTP status of a page that is `gone`.
    public var httpStatus: Int?

    public init(url: String?, status: Status, fetchedAt: Int64, page: ReleasePage?, httpStatus: Int? = nil) {
        self.url = url
        self.status = status
        self.fetchedAt = fetchedAt
        self.page = page
        self.httpStatus = httpStatus
    }
}

/// Dates as Bandcamp writes them, to `YYYY-MM-DD`.
public enum BandcampDate {
    static let months = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
        "nov": 11, "dec": 12,
    ]

    /// `24 Nov 2025 00:00:00 GMT`, `24 November 2025`, `November 24, 2025` → `2025-11-24`.
    public static func isoDay(_ text: String) -> String? {
        let words = text.split(whereSeparator: { $0.isWhitespace || $0 == "," }).map(String.init)
        for index in words.indices {
            guard let month = months[String(words[index].lowercased().prefix(3))] else { continue }
            // Day before the month (24 Nov 2025) or after it (November 24, 2025); the year after both.
            let candidates: [(String, String)] = [
                index > 0 && index + 1 < words.count ? (words[index - 1], words[index + 1]) : ("", ""),
                index + 2 < words.count ? (words[index + 1], words[index + 2]) : ("", ""),
            ]
            for (dayText, yearText) in candidates {
                if let day = Int(dayText), (1...31).contains(day), let year = Int(yearText),
                    (1900...2200).contains(year)
                {
                    return "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
                }
            }
        }
        return nil
    }
}
