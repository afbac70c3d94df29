import PercentEncoding
import Tracker
import Trends

/// A breakout in plain words: what sold, against what is usual, one multiplier and how sure it is, what and
/// where. The report, the emails and the dashboard say it the same way.
extension Breakout {
    /// `Emerging artist`, `Rising artist`, `Rising genre`.
    public var label: String {
        (emerging ? "Emerging " : "Rising ") + entityType.rawValue
    }

    /// `over the last 24 hours and 7 days`.
    public var spans: String {
        "over the last " + windowHours.map(Self.span).joined(separator: " and ")
    }

    /// `33 sold in the last 24 hours; usually about 2 a week.`
    public var headline: String {
        let signal = lead.signal
        let sold = "\(Format.count(signal.current)) sold in the last \(Self.span(lead.windowHours))"
        let days = lead.baselineHours / 24
        guard signal.baseline > 0 else { return sold + ", after none in the \(days) days before." }
        return sold + "; usually " + Self.usual(perDay: signal.perDayBefore) + "."
    }

    /// The one multiplier: its share of all of Bandcamp's sales against its usual share, allowing for chance
    /// (the engine's estimate, never above the raw ratio). `12×`.
    public var multiplier: String { Self.times(lead.signal.estimate) }

    /// How sure the rise is, in words, from its false-discovery-adjusted q-value (every signal held in two
    /// windows at a 5% false discovery rate).
    public var certainty: String { Self.certainty(lead) }

    /// How sure one alert's rise is: from the larger of its two windows' q-values.
    public static func certainty(_ alert: Alert) -> String {
        let q = q(alert)
        return q < 0.001 ? "almost certain" : q < 0.01 ? "very likely" : "likely"
    }

    /// The larger of an alert's two windows' q-values: the rise had to hold in both.
    public static func q(_ alert: Alert) -> Double { max(alert.signal.qValue, alert.signal.previousQValue) }

    /// A q-value as people read it: `< 0.001`, `0.012`.
    public static func q(_ value: Double) -> String {
        value < 0.001 ? "< 0.001" : Format.decimal(value, places: 3)
    }

    /// `About 12× its usual share of Bandcamp's sales (almost certain).`
    public var rise: String {
        "About \(multiplier) its usual share of Bandcamp's sales (\(certainty))."
    }

    /// What sells: an artist's leading releases, a genre's leading artists, with their sales in the window.
    public var selling: String? {
        let details = lead.details
        let parts: [String] =
            entityType == .artist
            ? details.releases.prefix(2).map { "\($0.title) (\(Format.count($0.sales)))" }
            : details.artists.prefix(3).map { "\($0.name) (\(Format.count($0.sales)))" }
        guard !parts.isEmpty else { return nil }
        return (entityType == .artist ? "Selling " : "Led by ") + parts.joined(separator: ", ")
    }

    /// Where the buyers are: `Buyers in the United States, Germany and Japan`.
    public var buyers: String? {
        let names = lead.details.countries.map(\.name).filter { !$0.isEmpty }
        guard !names.isEmpty else { return nil }
        let shown = Array(names.prefix(3))
        let more = names.count - shown.count
        let list =
            more > 0
            ? shown.joined(separator: ", ") + " and \(more) more"
            : shown.count == 1 ? shown[0] : shown.dropLast().joined(separator: ", ") + " and " + shown.last!
        return "Buyers in " + list
    }

    /// What a day's report says when nobody broke out: a quiet day, or a day the rules were not run for.
    public static func quiet(evaluations: Int) -> String {
        evaluations == 0
            ? "The trend rules were not run for this day, so nothing can be said of who rose in it."
            : "A quiet day: none of the day's \(Format.count(evaluations)) hourly checks found an artist or a genre "
                + "whose share of Bandcamp's sales rose beyond chance."
    }

    /// The dashboard's page of its alerts: `/alerts?artist=12`, `/alerts?genre=dark%20ambient`.
    public var alertsPath: String {
        "/alerts?"
            + (entityType == .artist
                ? "artist=\(entityID)" : "genre=\(PercentEncoding.encode(genreKey))")
    }

    /// What the days are: `Items sold a day, 30 days to Thu 19 Nov`, `…, 30 days to Fri 20 Nov 07:00 UTC (the
    /// last day so far)`.
    public var dailyCaption: String {
        let last = CalendarDay(containing: dailyThrough - 1)
        let time = Format.clock(dailyThrough, day: last.start)
        return "Items sold a day, \(daily.count) days to \(last.short)"
            + (time == "24:00" ? "" : " \(time) UTC (the last day so far)")
    }

    /// `30 days to Thu 19 Nov`, `30 days to Fri 20 Nov 07:00`.
    public var dailyShortCaption: String {
        let last = CalendarDay(containing: dailyThrough - 1)
        let time = Format.clock(dailyThrough, day: last.start)
        return "\(daily.count) days to \(last.short)" + (time == "24:00" ? "" : " \(time)")
    }

    /// `24 hours`, `7 days`.
    public static func span(_ hours: Int) -> String {
        hours % 24 == 0 && hours > 24 ? "\(hours / 24) days" : "\(hours) hours"
    }

    /// `3.4×`, `12×`.
    public static func times(_ value: Double) -> String {
        guard value.isFinite else { return "∞×" }
        return Format.decimal(value, places: value < 10 ? 1 : 0) + "×"
    }

    /// A usual rate of sales as people say it: `about 2 a week`, `about 150 a day`, `fewer than 1 a week`.
    public static func usual(perDay: Double) -> String {
        func about(_ value: Double) -> String {
            let rounded = value < 10 ? (value * 10).rounded() / 10 : value.rounded()
            return "about " + Format.decimal(rounded, places: rounded == rounded.rounded() ? 0 : 1)
        }
        if perDay >= 1 { return about(perDay) + " a day" }
        if perDay * 7 >= 1 { return about(perDay * 7) + " a week" }
        return "fewer than 1 a week"
    }
}
