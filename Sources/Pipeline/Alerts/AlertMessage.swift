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

    public init(from: String, unsubscribeBase: String?) {
        self.from = from
        self.unsubscribeBase = unsubscribeBase
    }

    // MARK: Wording

    /// `Nils Frahm: emerging artist, last 24 hours`.
    static func title(_ alert: Alert) -> String {
        "\(alert.details.name): \(alert.signal.kind.rawValue) \(alert.entityType.rawValue), last "
            + span(alert.windowHours)
    }

    /// `3.4×`.
    static func times(_ value: Double) -> String {
        guard value.isFinite else { return "∞×" }
        return Format.decimal(value, places: value < 10 ? 1 : 0) + "×"
    }

    /// A q-value as people read it.
    static func q(_ value: Double) -> String {
        value < 0.001 ? "< 0.001" : Format.decimal(value, places: 3)
    }

    /// `the last 24 hours`, `the last 7 days`.
    static func span(_ hours: Int) -> String {
        hours % 24 == 0 && hours > 24 ? "\(hours / 24) days" : "\(hours) hours"
    }

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
            "\(what) sold \(Format.count(signal.current)) items in the last \(span(alert.windowHours)) "
                + "(\(rate(signal.perDayNow)) a day), \(before)."
        ]
        let share = signal.ratio.map { "Its share of all Bandcamp sales is \(times($0)) what it was; a" } ?? "A"
        lines.append(
            "\(share)llowing for chance and for how the whole population moves, the rise is about "
                + "\(times(signal.estimate)), at least \(times(signal.lowerBound)) with 95% confidence.")
        lines.append(
            "Significant against a bar of \(times(alert.minimumRatio)) after adjusting for every "
                + "\(alert.entityType == .genre ? "genre" : "artist") tested (q \(q(signal.qValue))), and it held "
                + "in the window a day earlier too (q \(q(signal.previousQValue)))."
                + (signal.dispersion > 1.05
                    ? " Counts were discounted \(times(signal.dispersion)) for this genre's usual ups and downs." : ""))
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

    /// The subject: the strongest alerts by name, each name once.
    public func subject(_ alerts: [Alert], digest: Bool) -> String {
        var names: [String] = []
        for alert in alerts where !names.contains(alert.details.name) {
            names.append(alert.details.name)
        }
        let shown = names.prefix(2).map { name in
            "\(name) (\(Self.times(alerts.first { $0.details.name == name }!.signal.estimate)))"
        }
        let more = names.count > 2 ? " and \(names.count - 2) more" : ""
        return (digest ? "Today's risers on Bandcamp: " : "Rising on Bandcamp: ") + shown.joined(separator: ", ")
            + more
    }

    /// One email for one subscriber: these alerts, strongest first.
    public func email(_ alerts: [Alert], digest: Bool, to address: String, token: String) -> EmailMessage {
        let (unsubscribe, headers) = EmailMessage.unsubscribe(base: unsubscribeBase, token: token)
        return EmailMessage(
            from: from, to: [address], subject: subject(alerts, digest: digest),
            text: text(alerts, to: address, unsubscribe: unsubscribe),
            html: html(alerts, digest: digest, to: address, unsubscribe: unsubscribe), headers: headers)
    }

    func text(_ alerts: [Alert], to address: String, unsubscribe: String?) -> String {
        var lines: [String] = []
        for alert in alerts {
            lines += [Self.title(alert), String(repeating: "-", count: Self.title(alert).count)]
            lines += Self.plainText(alert)
            lines.append("")
        }
        lines.append(
            "Evaluated \(Format.timestamp(alerts.first?.evaluatedAt ?? 0)) from Bandcamp's public sales feed. "
                + "Sent to \(address) by bandcamp-tracker.")
        if let unsubscribe { lines.append("Unsubscribe: \(unsubscribe)") }
        return lines.joined(separator: "\n") + "\n"
    }

    func html(_ alerts: [Alert], digest: Bool, to address: String, unsubscribe: String?) -> HTML {
        var out = EmailPage.open(
            title: subject(alerts, digest: digest), label: digest ? "TODAY'S RISERS" : "RISING NOW",
            heading: alerts.count == 1 ? "1 alert" : "\(alerts.count) alerts")
        for (index, alert) in alerts.enumerated() {
            let badge = alert.signal.kind == .emerging ? "#2f9e44" : "#1da0c3"
            out += """
                <div style="padding:18px 26px;\(index > 0 ? "border-top:1px solid #e8ebef" : "")">
                <div style="font-size:11px;color:#5f6b7a">\(alert.entityType == .genre ? "GENRE" : "ARTIST") · \
                <span style="color:\(badge);font-weight:bold">\(alert.signal.kind.rawValue.uppercased())</span> · \
                last \(Self.span(alert.windowHours))</div>
                <div style="font-size:19px;font-weight:bold;margin:4px 0 8px">\
                <a href="\(alert.details.url)" style="color:#0e3a4a">\(alert.details.name)</a> \
                <span style="color:\(badge)">\(Self.times(alert.signal.estimate))</span></div>

                """
            for sentence in Self.sentences(alert) {
                out += "<p style=\"font-size:13px;margin:6px 0\">\(sentence)</p>\n"
            }
            for fact in Self.facts(alert) {
                out += "<p style=\"font-size:13px;margin:6px 0\"><b>\(fact.label):</b> "
                out += fact.entries.map { entry -> HTML in
                    entry.url.map { "<a href=\"\($0)\" style=\"color:#0e3a4a\">\(entry.name)</a>\(entry.note)" }
                        ?? "\(entry.text)"
                }.joined(separator: " · ")
                out += "</p>\n"
            }
            out += "</div>\n"
        }
        return out
            + EmailPage.close(
                note: "Evaluated \(Format.timestamp(alerts.first?.evaluatedAt ?? 0)) from Bandcamp's public sales "
                    + "feed: shares of all sales, so site-wide surges such as Bandcamp Fridays cancel out. Sent to "
                    + "\(address) by bandcamp-tracker.",
                unsubscribe: unsubscribe)
    }

    /// An alert as plain text, the email's and the notification's: its sentences, its facts, its page.
    static func plainText(_ alert: Alert) -> [String] {
        sentences(alert)
            + facts(alert).map { "\($0.label): \($0.entries.map(\.text).joined(separator: "; "))" }
            + ["Page: \(alert.details.url)"]
    }

    /// An entry of a fact line: a name, perhaps a link, and a note such as ` (12)`.
    struct Entry {
        var name: String
        var url: String?
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
                            url: $0.url.hasPrefix("https://") ? $0.url : nil,
                            note: " (\(Format.count($0.sales)), \(Format.usd(Money($0.revenueUSD))))")
                    }
                ))
        }
        if !details.countries.isEmpty {
            facts.append(
                (
                    "Buyers in",
                    details.countries.map { Entry(name: $0.name, url: nil, note: " (\(Format.count($0.sales)))") }
                ))
        }
        let others = alert.entityType == .genre ? details.artists : details.genres
        if !others.isEmpty {
            facts.append(
                (
                    alert.entityType == .genre ? "Artists" : "Genres",
                    others.prefix(5).map {
                        Entry(name: $0.name, url: $0.url, note: " (\(Format.count($0.sales)))")
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
                + "\(alert.details.name) (\(Self.times(alert.signal.estimate)))",
            message: Self.plainText(alert).joined(separator: "\n"), attributes: attributes)
    }
}
