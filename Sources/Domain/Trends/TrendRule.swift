/// What is tested for trends.
public enum EntityKind: String, Sendable, Codable, Equatable, CaseIterable {
    case genre, artist
}

/// A rule: which entities, which windows, and how sure a rise must be to be reported. The windows end at the
/// evaluation time t, in whole hours:
///
///     baseline [t-s-w-g-b, t-s-w-g)   gap   previous [t-s-w, t-s)   current [t-w, t)
///
/// A signal must hold for the current window and for the previous one (the same length, `step` earlier), each
/// against the baseline before both, so that a one-day spike does not make a 24-hour trend.
public struct TrendRule: Sendable, Codable, Equatable {
    /// `artist.24h`, `genre.7d`, …: the name alerts and subscriptions use.
    public var id: String
    public var entity: EntityKind
    /// The recent window, how much earlier the previous window ends, the gap before them, and the baseline.
    public var windowHours: Int
    public var stepHours: Int
    public var gapHours: Int
    public var baselineHours: Int
    /// The smallest rise of the share of site-wide sales worth reporting (θ0 of the tests).
    public var minimumRatio: Double
    /// Sales the entity needs in the current and in the previous window.
    public var minimumSales: Int
    /// Artists: distinct releases or buyer countries in the current window (not one fan buying one record).
    public var minimumReleasesOrCountries: Int
    /// Genres: distinct artists in the current window (not one artist carrying a genre).
    public var minimumArtists: Int
    /// The false discovery rate controlled across the rule's entities (Benjamini-Hochberg).
    public var falseDiscoveryRate: Double
    /// The confidence of the ratio's lower bound.
    public var confidence: Double
    /// Artists with at most this many sales in the baseline are "emerging" rather than "trending".
    public var emergingBaseline: Int?
    /// Whether counts are deflated by each entity's quasi-Poisson dispersion (dense genre series).
    public var overdispersed: Bool
    /// The strongest signals kept per evaluation (a surge of discoveries is cut to these, logged).
    public var maximumSignals: Int

    public init(
        id: String, entity: EntityKind, windowHours: Int, stepHours: Int = 24, gapHours: Int = 24,
        baselineHours: Int, minimumRatio: Double, minimumSales: Int, minimumReleasesOrCountries: Int = 1,
        minimumArtists: Int = 1, falseDiscoveryRate: Double = 0.05, confidence: Double = 0.95,
        emergingBaseline: Int? = nil, overdispersed: Bool = false, maximumSignals: Int = 50
    ) {
        self.id = id
        self.entity = entity
        self.windowHours = windowHours
        self.stepHours = stepHours
        self.gapHours = gapHours
        self.baselineHours = baselineHours
        self.minimumRatio = minimumRatio
        self.minimumSales = minimumSales
        self.minimumReleasesOrCountries = minimumReleasesOrCountries
        self.minimumArtists = minimumArtists
        self.falseDiscoveryRate = falseDiscoveryRate
        self.confidence = confidence
        self.emergingBaseline = emergingBaseline
        self.overdispersed = overdispersed
        self.maximumSignals = maximumSignals
    }

    /// Hours before t where each window starts and ends.
    public var current: (from: Int, to: Int) { (windowHours, 0) }
    public var previous: (from: Int, to: Int) { (stepHours + windowHours, stepHours) }
    public var baseline: (from: Int, to: Int) {
        (stepHours + windowHours + gapHours + baselineHours, stepHours + windowHours + gapHours)
    }
    /// How far back the rule reads.
    public var spanHours: Int { baseline.from }

    /// Whether an entity is tested in a window: its sales there and in the baseline could reach the minimum.
    public func tests(recent: Int, baseline: Int) -> Bool {
        recent + baseline >= minimumSales
    }

    /// Whether an entity is tested in either window (whether the warehouse need read it at all).
    public func tests(_ entity: TrendCounts) -> Bool {
        tests(recent: entity.current, baseline: entity.baseline)
            || tests(recent: entity.previous, baseline: entity.baseline)
    }

    /// Whether an entity has the minimum sales in both windows, which a signal needs.
    public func hasMinimumSales(_ entity: TrendCounts) -> Bool {
        entity.current >= minimumSales && entity.previous >= minimumSales
    }

    /// Which windows the day `back` days before t (0: the last 24 hours) falls in, and its place in the baseline's
    /// day-by-day series (oldest first). For rules of whole days.
    public func place(dayBack back: Int) -> (current: Bool, previous: Bool, baselineDay: Int?) {
        let hours = back * 24
        return (
            hours < current.from, hours >= previous.to && hours < previous.from,
            hours >= baseline.to && hours < baseline.from ? (baseline.from - hours) / 24 - 1 : nil
        )
    }

    /// The rules the product runs: genres and artists over a day and over a week, each needing a share at least
    /// 1.5 times its baseline's (significantly, in both windows). The week's rules read 35 days. Measured on
    /// simulated markets (README, "Alerts"): no false alarm in pure noise or on Bandcamp Fridays; an artist
    /// selling 2 a day found 85% of the time when it sells 8 times that for two days, and 97% of the time
    /// over a week when it sells 4 times that.
    public static let standard: [TrendRule] = [
        TrendRule(
            id: "genre.24h", entity: .genre, windowHours: 24, baselineHours: 28 * 24, minimumRatio: 1.5,
            minimumSales: 15, minimumArtists: 3, overdispersed: true, maximumSignals: 20),
        TrendRule(
            id: "genre.7d", entity: .genre, windowHours: 7 * 24, baselineHours: 26 * 24, minimumRatio: 1.5,
            minimumSales: 30, minimumArtists: 3, overdispersed: true, maximumSignals: 20),
        TrendRule(
            id: "artist.24h", entity: .artist, windowHours: 24, baselineHours: 28 * 24, minimumRatio: 1.5,
            minimumSales: 5, minimumReleasesOrCountries: 2, emergingBaseline: 3),
        TrendRule(
            id: "artist.7d", entity: .artist, windowHours: 7 * 24, baselineHours: 26 * 24, minimumRatio: 1.5,
            minimumSales: 8, minimumReleasesOrCountries: 2, emergingBaseline: 3),
    ]
}
