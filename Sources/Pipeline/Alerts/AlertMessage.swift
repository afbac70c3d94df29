import Adapters
import ReadModel
import Tracker
import Trends

/// How alerts read: an email (one alert or a day's digest), HTML with every value escaped and a plain-text
/// alternative, and an SNS notification per alert with attributes that filter policies can match.
public struct AlertMessage: Sendable {
    /// The sender.
    public var from: String
    /// The base of the unsubscribe link (`https://…/unsubscribe`), when there is a page that serves it.
    public var unsubscribeBase: String?
    /// The dashboard's address (`https://…`, no trailing slash), for the links to each alert's statistics.
    public var dashboardBase: String?

    public init(from: String, unsubscribeBase: String?, dashboardBase: String? = nil) {
        self.from = from
        self.unsubscribeBase = unsubscribeBase
        self.dashboardBase = dashboardBase
    }

    // MARK: Wording

    /// `12.5` a day, with one decimal below 100.
    static func rate(_ value: Double) -> String {
        Format.decimal(value, places: value < 100 ? 1 : 0)
    }

    /// The sentences that say what rose, by how much and how surely.
    static func sentences(_ alert: Alert) -> [String] {
        let signal = alert.signal
        let baselineDays = alert.baselineHours / 24
        let what = alert.entityType == .genre ? "Releases tagged \(alert.details.name)" : alert.details.name
        let before =
            signal.baseline == 0
            ? "after no sale in the \(baselineDays) days before"
            : "against \(rate(signal.perDayBefore)) a day over the \(baselineDays) days before"
        var lines = [
            "\(what) sold \(Format.count(signal.current)) items in the last \(Breakout.span(alert.windowHours)) "
                + "(\(rate(signal.perDayNow)) a day), \(before)."
        ]
        let share =
            signal.ratio.map { "Its share of all Bandcamp sales is \(Breakout.times($0)) what it was; a" } ?? "A"
        lines.append(
            "\(share)llowing for chance and for how the whole population moves, the rise is about "
                + "\(Breakout.times(signal.estimate)), at least \(Breakout.times(signal.lowerBound)) with 95% confidence."
        )
        lines.append(
            "Significant against a bar of \(Breakout.times(alert.minimumRatio)) after adjusting for every "
                + "\(alert.entityType == .genre ? "genre" : "artist") tested (q \(Breakout.q(signal.qValue))), and it held "
                + "in the window a day earlier too (q \(Breakout.q(signal.previousQValue)))."
                + (signal.dispersion > 1.05
                    ? " Counts were discounted \(Breakout.times(signal.dispersion)) for this genre's usual ups and downs."
                    : ""))
        let acceleration = signal.acceleration
        let pace =
            abs(acceleration) < 0.05
            ? "holding that pace."
            : acceleration > 0
                ? "speeding up by \(rate(acceleration)) a day, each day."
                : "slowing by \(rate(-acceleration)) a day, each day."
        lines.append(
            "Pace: \(rate(signal.perDayNow)) a day now, "
                + "\(rate(Double(signal.previous) / Double(max(1, alert.windowHours / 24)))) a day in the window "
                + "a day earlier; \(pace)")
        return lines
    }

    // MARK: Email

    /// The dashboard page with the statistics behind a breakout (its alerts, how sure each is), when the
    /// dashboard's address is known.
    func more(_ breakout: Breakout) -> String? {
        dashboardBase.map { $0 + breakout.alertsPath }
    }

    /// The subject: the strongest by name, each once.
    public func subject(_ breakouts: [Breakout], digest: Bool) -> String {
        let shown = breakouts.prefix(2).map { "\($0.name) (\($0.multiplier))" }
        let more = breakouts.count > 2 ? " and \(breakouts.count - 2) more" : ""
        return (digest ? "Today's risers on Bandcamp: " : "Rising on Bandcamp: ") + shown.joined(separator: ", ")
            + more
    }

    /// One email for one subscriber: one entry per artist or genre however many rules found it, strongest first,
    /// in plain words; the statistics are a link away.
    public func email(_ breakouts: [Breakout], digest: Bool, to address: String, token: String) -> EmailMessage {
        let (unsubscribe, headers) = EmailMessage.unsubscribe(base: unsubscribeBase, token: token)
        return EmailMessage(
            from: from, to: [address], subject: subject(breakouts, digest: digest),
            text: text(breakouts, to: address, unsubscribe: unsubscribe),
            html: html(breakouts, digest: digest, to: address, unsubscribe: unsubscribe), headers: headers)
    }

    /// `3 artists and 1 genre rising`.
    static func heading(_ breakouts: [Breakout]) -> String {
        let artists = breakouts.filter { $0.entityType == .artist }.count
        let genres = breakouts.count - artists
        let parts = [(artists, "artist"), (genres, "genre")].filter { $0.0 > 0 }.map {
            "\($0.0) \($0.1)\($0.0 == 1 ? "" : "s")"
        }
        return parts.joined(separator: " and ") + " rising"
    }

    func note(_ breakouts: [Breakout], to address: String) -> String {
        "Found \(Format.timestamp(breakouts.map(\.lastEvaluatedAt).max() ?? 0)) in Bandcamp's public sales feed: "
            + "shares of all sales, so site-wide surges such as Bandcamp Fridays cancel out. Sent to \(address) by "
            + "bandcamp-tracker."
    }

    func text(_ breakouts: [Breakout], to address: String, unsubscribe: String?) -> String {
        var lines = [Self.heading(breakouts), ""]
        for breakout in breakouts {
            lines += breakout.mailText(more: more(breakout)) + [""]
        }
        lines.append(note(breakouts, to: address))
        if let unsubscribe { lines.append("Unsubscribe: \(unsubscribe)") }
        return lines.joined(separator: "\n") + "\n"
    }

    func html(_ breakouts: [Breakout], digest: Bool, to address: String, unsubscribe: String?) -> HTML {
        var out = EmailPage.open(
            title: subject(breakouts, digest: digest), label: digest ? "TODAY'S RISERS" : "RISING NOW",
            heading: Self.heading(breakouts))
        out += "<div style=\"padding:6px 26px 12px\">\n"
        for (index, breakout) in breakouts.enumerated() {
            out += breakout.mailHTML(more: more(breakout), first: index == 0)
        }
        out += "</div>\n"
        return out + EmailPage.close(note: note(breakouts, to: address), unsubscribe: unsubscribe)
    }

    /// An alert as plain text, the email's and the notification's: its sentences, its facts, its page.
    static func plainText(_ alert: Alert) -> [String] {
        sentences(alert)
            + facts(alert).map { "\($0.label): \($0.entries.map(\.text).joined(separator: "; "))" }
            + ["Page: \(alert.details.url)"]
    }

    /// An entry of a fact line: a name and a note such as ` (12)`.
    struct Entry {
        var name: String
        var note: String
        var text: String { name + note }
    }

    /// The lines behind an alert: top releases, buyer countries, and genres or artists.
    static func facts(_ alert: Alert) -> [(label: String, entries: [Entry])] {
        let details = alert.details
        var facts: [(String, [Entry])] = []
        if !details.releases.isEmpty {
            facts.append(
                (
                    "Top releases",
                    details.releases.prefix(3).map {
                        Entry(
                            name: alert.entityType == .genre ? "\($0.title) by \($0.artist)" : $0.title,
                            note: " (\(Format.count($0.sales)), \(Format.usd(Money($0.revenueUSD))))")
                    }
                ))
        }
        if !details.countries.isEmpty {
            facts.append(
                (
                    "Buyers in",
                    details.countries.map { Entry(name: $0.name, note: " (\(Format.count($0.sales)))") }
                ))
        }
        let others = alert.entityType == .genre ? details.artists : details.genres
        if !others.isEmpty {
            facts.append(
                (
                    alert.entityType == .genre ? "Artists" : "Genres",
                    others.prefix(5).map {
                        Entry(name: $0.name, note: " (\(Format.count($0.sales)))")
                    }
                ))
        }
        return facts
    }

    // MARK: SNS

    /// One alert for the topic, addressed to a subscriber (`subscriber`, a number, for their endpoint's filter
    /// policy) and described by attributes anyone can filter on.
    public func notification(_ alert: Alert, subscriberID: Int64) -> AlertNotification {
        var attributes: [String: NotificationAttribute] = [
            "subscriber": .number(Double(subscriberID)),
            "rule": .string(alert.signal.rule),
            "entity": .string(alert.entityType.rawValue),
            "kind": .string(alert.signal.kind.rawValue),
            "name": .string(String(alert.details.name.prefix(256))),
            "ratio": .number(alert.signal.lowerBound),
            "sales": .number(Double(alert.signal.current)),
        ]
        let genres = alert.entityType == .genre ? [alert.details.key ?? ""] : alert.details.genres.compactMap(\.key)
        if !genres.isEmpty { attributes["genres"] = .strings(Array(genres.prefix(10))) }
        return AlertNotification(
            subject: "\(alert.signal.kind == .emerging ? "Emerging" : "Trending") \(alert.entityType.rawValue): "
                + "\(alert.details.name) (\(Breakout.times(alert.signal.estimate)))",
            message: Self.plainText(alert).joined(separator: "\n"), attributes: attributes)
    }
}
