import Postgres
import Tracker
import Trends

/// The figures of a range: sales, revenue, what was sold, who bought.
public struct Totals: Sendable, Equatable {
    public var sales: Int
    public var revenueUSD: Money
    public var artists: Int
    public var releases: Int
    public var countries: Int
    /// The median paid for an item, USD.
    public var medianPaidUSD: Money?
    /// Of the sales with a price, the share where the buyer paid more than asked.
    public var paidMoreShare: Double?
}

/// A day's sales and revenue.
public struct DayPoint: Sendable, Equatable {
    public var day: CalendarDay
    public var sales: Int
    public var revenueUSD: Double
}

/// A row of a ranking: a genre, an artist, a release, a country, an item type.
public struct RankedRow: Sendable, Equatable {
    /// The key the filter takes (tag key, artist id, country code, item type; a release's id).
    public var key: String
    public var name: String
    /// A second line: a release's artist, an artist's page host.
    public var detail: String?
    /// The Bandcamp URL, when it has one.
    public var url: String?
    public var sales: Int
    public var revenueUSD: Money
}

/// A release of an artist, with what was asked and paid.
public struct ReleaseRow: Sendable, Equatable {
    public var title: String
    public var url: String
    public var sales: Int
    public var revenueUSD: Money
    public var medianAskedUSD: Money?
    public var medianPaidUSD: Money?
    public var paidMoreShare: Double?
}

/// A genre that the trend engine finds rising, with the statistics behind it.
public struct RisingGenre: Sendable, Equatable {
    public var key: String
    public var name: String
    public var rule: String
    public var kind: SignalKind
    public var current: Int
    public var perDayNow: Double
    public var perDayBefore: Double
    public var estimate: Double
    public var lowerBound: Double
    public var qValue: Double
}

/// An artist as its page heads it.
public struct ArtistHeader: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var pageURL: String
    public var location: String?
}

/// How much buyers paid against the price asked: sales in each band of paid ÷ asked.
public struct PaidBands: Sendable, Equatable {
    /// Labels and counts, in order: name your price (nothing asked), under, as asked, up to +50%, up to double,
    /// more than double.
    public var bands: [(label: String, sales: Int)]
    /// The mean of paid ÷ asked over sales with a price.
    public var meanRatio: Double?

    public static func == (lhs: PaidBands, rhs: PaidBands) -> Bool {
        lhs.bands.map(\.label) == rhs.bands.map(\.label) && lhs.bands.map(\.sales) == rhs.bands.map(\.sales)
            && lhs.meanRatio == rhs.meanRatio
    }
}

/// A dataset backfilled into the warehouse (Components' CSV), and the span of its sales.
public struct BackfillRow: Sendable, Equatable {
    /// Where a backfill stands (its ledger row's status).
    public enum Status: String, Sendable, PostgresDecodable {
        case loaded, loading, failed
    }

    public var key: String
    public var status: Status
    public var records: Int
    public var inserted: Int
    public var first: Int64?
    public var last: Int64?
}
