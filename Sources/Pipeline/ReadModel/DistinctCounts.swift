import Trends

/// An entity's distinct releases, buyer countries and (a genre's) artists in a window: what gates whether an
/// entity the trend engine discovers signals.
struct DistinctCounts: Sendable, Equatable {
    var releases = 0
    var countries = 0
    /// A genre's distinct artists (nil for an artist, which is its own one).
    var artists: Int?

    /// `counts` with these distinct counts.
    func apply(to counts: inout TrendCounts) {
        counts.releases = releases
        counts.countries = countries
        if let artists { counts.artists = artists }
    }
}
