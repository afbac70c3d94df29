import PercentEncoding
import Trends

/// A release behind an alert.
public struct AlertRelease: Sendable, Codable, Equatable {
    public var title: String
    public var artist: String
    public var url: String
    public var sales: Int
    /// USD paid, as exact decimal text.
    public var revenueUSD: String
}

/// A named share of an alert's sales: a buyer country, a genre, an artist.
public struct AlertPart: Sendable, Codable, Equatable {
    /// The country code, the tag's id or the artist's id, as text.
    public var id: String
    public var name: String
    /// A Bandcamp link, when there is one (genres and artists).
    public var url: String?
    /// A genre's tag key.
    public var key: String?
    public var sales: Int
}

/// What an alert shows besides its statistics: the entity's name and page, and what stands behind the rise in
/// the current window.
public struct AlertDetails: Sendable, Codable, Equatable {
    public var name: String
    /// The artist's Bandcamp page, or the genre's tag page.
    public var url: String
    /// The genre's tag key.
    public var key: String?
    public var releases: [AlertRelease]
    public var countries: [AlertPart]
    /// An artist's genres (all tags of the releases sold in the window, by sales), or a genre's artists.
    public var genres: [AlertPart]
    public var artists: [AlertPart]

    /// Bandcamp's page of a tag.
    public static func tagURL(_ key: String) -> String {
        "https://bandcamp.com/tag/\(PercentEncoding.encode(key))"
    }
}

/// A signal as recorded: which rule raised it when, for what, and what it showed.
public struct Alert: Sendable, Codable, Equatable {
    /// The row's id in `alert`.
    public var id: Int64
    public var entityType: EntityKind
    /// The end of the rule's current window, seconds since 1970.
    public var evaluatedAt: Int64
    public var windowHours: Int
    public var baselineHours: Int
    /// The rule's minimum ratio, the bar the test held the rise to.
    public var minimumRatio: Double
    /// Its place among the rule's signals of that evaluation (1 = strongest).
    public var rank: Int
    public var signal: TrendSignal
    public var details: AlertDetails

    public init(
        id: Int64, entityType: EntityKind, evaluatedAt: Int64, windowHours: Int, baselineHours: Int,
        minimumRatio: Double, rank: Int, signal: TrendSignal, details: AlertDetails
    ) {
        self.minimumRatio = minimumRatio
        self.id = id
        self.entityType = entityType
        self.evaluatedAt = evaluatedAt
        self.windowHours = windowHours
        self.baselineHours = baselineHours
        self.rank = rank
        self.signal = signal
        self.details = details
    }

    /// The genre tag ids an alert concerns: the genre itself, or the genres an artist sold in.
    public var genreIDs: Set<Int64> {
        switch entityType {
        case .genre: [signal.entity]
        case .artist: Set(details.genres.compactMap { Int64($0.id) })
        }
    }
}
