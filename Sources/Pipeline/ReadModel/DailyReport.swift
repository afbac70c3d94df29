import Postgres
import Tracker

/// What the daily report says about one UTC day: every figure it prints, read from the warehouse by
/// `DailyReportQuery`, drawn by `DailyReportPDF` and summed up by `ReportEmail`.
public struct DailyReport: Sendable {
    /// The day reported on.
    public var day: CalendarDay
    /// When the report was built, seconds since 1970.
    public var builtAt: Int64
    /// The artists and genres the trend rules found rising in the day's evaluations, strongest first, and how
    /// many of the day's hours were evaluated (0: nobody looked, which is not "nobody rose").
    public var breakouts: [Breakout]
    public var evaluations: Int
    /// The day's headline figures, the day before's, and those of the same weekday a week earlier.
    public var summary: DaySummary
    public var previousDay: DaySummary
    public var weekEarlier: DaySummary
    /// The ten leading artists by revenue and by number of sales.
    public var artistsByRevenue: [Ranked]
    public var artistsBySales: [Ranked]
    /// The ten leading releases by revenue and by number of sales.
    public var releasesByRevenue: [Ranked]
    public var releasesBySales: [Ranked]
    /// The leading genres (tags of the releases sold), with their place a week earlier.
    public var genres: [GenreRow]
    /// How many of the day's sales are of releases whose genres are known.
    public var taggedSales: Int
    /// Sales by format: digital album, digital track, physical, bundle (all four, in that order).
    public var formats: [FormatRow]
    /// The leading buyer countries, each with its leading genre.
    public var countries: [CountryRow]
    /// Sales in each hour (UTC) of the day, and of the same weekday a week earlier: 24 entries each.
    public var hours: [Int]
    public var hoursWeekEarlier: [Int]
    /// How much of the day the loaded windows of the feed cover, and the spans they miss.
    public var coverage: Coverage

    /// Whether the day has no sale at all.
    public var isEmpty: Bool { summary.sales == 0 }

    /// The seven headline figures, as the PDF's cards and the email's table show them.
    public var headlines: [Headline] {
        let day = summary
        func headline(_ label: String, _ value: String, _ figure: (DaySummary) -> Double?) -> Headline {
            func change(_ earlier: DaySummary) -> Change {
                guard let now = figure(day), let then = figure(earlier) else { return .none }
                return Change.between(then, now).unless(loaded: earlier.loaded, of: 1)
            }
            return Headline(
                label: label, value: value, versusDayBefore: change(previousDay), versusWeekEarlier: change(weekEarlier)
            )
        }
        return [
            headline("Items sold", Format.count(day.sales)) { Double($0.sales) },
            headline("Revenue (USD)", Format.usd(day.revenueUSD)) { $0.revenueUSD.value },
            headline("Median paid (USD)", day.medianPaidUSD.map(Format.usd) ?? "—") { $0.medianPaidUSD?.value },
            Headline(
                label: "Paid more than asked", value: day.paidMoreShare.map(Format.percent) ?? "—",
                versusDayBefore: Change.points(previousDay.paidMoreShare, day.paidMoreShare).unless(
                    loaded: previousDay.loaded, of: 1),
                versusWeekEarlier: Change.points(weekEarlier.paidMoreShare, day.paidMoreShare).unless(
                    loaded: weekEarlier.loaded, of: 1)),
            headline("Artists", Format.count(day.artists)) { Double($0.artists) },
            headline("Releases", Format.count(day.releases)) { Double($0.releases) },
            headline("Buyer countries", Format.count(day.countries)) { Double($0.countries) },
        ]
    }
}

/// A headline figure: its label, its value as printed, and its changes.
public struct Headline: Sendable, Equatable {
    public var label: String
    public var value: String
    public var versusDayBefore: Change
    public var versusWeekEarlier: Change
}

/// One day's headline figures.
public struct DaySummary: Sendable, Equatable {
    public var day: CalendarDay
    /// Items sold.
    public var sales: Int
    /// What buyers paid, in USD (the feed's own conversion), to the cent.
    public var revenueUSD: Money
    /// The median paid for an item, in USD; nil without sales.
    public var medianPaidUSD: Money?
    /// Of the items whose price is known, the share whose buyer paid more than asked; nil when none.
    public var paidMoreShare: Double?
    /// Distinct artists, releases and buyer countries.
    public var artists: Int
    public var releases: Int
    public var countries: Int

    /// 1 when the day has sales loaded, 0 when not (Bandcamp sells every minute: a day without a sale is a day
    /// the warehouse lacks, not a day nothing sold).
    public var loaded: Int { sales > 0 ? 1 : 0 }
}

/// An artist or a release in a ranking.
public struct Ranked: Sendable, Equatable {
    /// The artist's or release's name.
    public var name: String
    /// For a release, its artist; for an artist, the Bandcamp page's host.
    public var detail: String
    /// Its Bandcamp URL.
    public var url: String
    public var sales: Int
    public var revenueUSD: Money
}

/// A genre's day.
public struct GenreRow: Sendable, Equatable {
    public var name: String
    public var sales: Int
    public var revenueUSD: Money
    public var salesWeekEarlier: Int
    /// Its rank among genres that day, and a week earlier (nil when it sold nothing then).
    public var rank: Int
    public var rankWeekEarlier: Int?
}

/// A format's day.
public struct FormatRow: Sendable, Equatable {
    /// `album`, `track`, `physical`, `bundle`.
    public var type: String
    public var sales: Int
    public var revenueUSD: Money
    public var salesWeekEarlier: Int

    /// How a reader calls it.
    public var label: String {
        switch type {
        case "album": return "Digital album"
        case "track": return "Digital track"
        case "physical": return "Physical"
        case "bundle": return "Bundle"
        default: return type
        }
    }
}

/// A buyer country's day.
public struct CountryRow: Sendable, Equatable {
    public var code: String
    public var name: String
    public var sales: Int
    public var revenueUSD: Money
    /// The genre it buys most above the average (its share of the country's genre sales against its share of all
    /// of them, among genres of at least 3 items there), that genre's sales there, and that ratio; nil when no
    /// genre has enough.
    public var leadingGenre: String?
    public var leadingGenreSales: Int
    public var leadingGenreIndex: Double?
}

/// Which part of a day the loaded feed windows cover.
public struct Coverage: Sendable {
    /// Seconds of the day covered by at least one loaded window.
    public var coveredSeconds: Int
    /// The day's length (86,400), or less for the day still under way: up to when the report was built.
    public var daySeconds: Int
    /// The missing spans, longest first, seconds since 1970.
    public var gaps: [(start: Int64, end: Int64)]
    /// Windows loaded that overlap the day.
    public var windows: Int

    /// The covered fraction, 0...1 (1 for a day of no length).
    public var fraction: Double { daySeconds == 0 ? 1 : Double(coveredSeconds) / Double(daySeconds) }
    /// Seconds missing.
    public var missingSeconds: Int { daySeconds - coveredSeconds }

}
