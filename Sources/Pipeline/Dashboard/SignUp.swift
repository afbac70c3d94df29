import Adapters
import Postgres
import ReadModel
import Tracker

/// What the subscribe form asks for.
struct SignUp: Sendable, Equatable {
    var email: String
    var name: String?
    var dailyReport: Bool
    var everything: Bool
    /// Genres' tag keys.
    var genres: [String]
    /// Artists by id (ticked boxes) and by Bandcamp page (typed: a subdomain, a host or a URL).
    var artistIDs: [Int64]
    var artistPages: [String]
    var frequency: String

    /// The most genres and artists one sign-up follows.
    static let maximumFollowed = 50

    /// An address a message can be sent to and nothing more: a local part of RFC 5322's plain characters (no
    /// quotes, commas or angle brackets: one address, never a list or a display name), a domain of two or more
    /// labels of letters, digits and hyphens.
    static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, text.utf8.count <= 254, !parts[0].isEmpty, parts[0].utf8.count <= 64 else {
            return false
        }
        let local = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.!#$%&'*+/=?^_`{|}~-")
        guard parts[0].allSatisfy(local.contains), !parts[0].hasPrefix("."), !parts[0].hasSuffix("."),
            !parts[0].contains("..")
        else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        let label = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
        return labels.count >= 2
            && labels.allSatisfy {
                !$0.isEmpty && $0.count <= 63 && $0.allSatisfy(label.contains) && !$0.hasPrefix("-")
                    && !$0.hasSuffix("-")
            }
    }

    /// The form's fields read and checked; every problem is named.
    static func parse(_ form: [(name: String, value: String)]) -> (signUp: SignUp?, problems: [String]) {
        func value(_ name: String) -> String {
            (form.last { $0.name == name }?.value ?? "").collapsingWhitespace()
        }
        var problems: [String] = []
        let email = value("email")
        if email.isEmpty {
            problems.append("an email address is needed")
        } else if !isAddress(email) {
            problems.append("'\(email)' is not an email address")
        }
        let name = value("name").withoutFormatCharacters()
        if name.count > 100 { problems.append("the name is longer than 100 characters") }
        let genres = Array(
            Set(
                form.filter { $0.name == "genre" }.map { $0.value.trimmingSpaces().lowercased() }.filter { !$0.isEmpty }
            )
        ).sorted()
        let artistIDs = Array(Set(form.filter { $0.name == "artist_id" }.compactMap { Int64($0.value) })).sorted()
        let artistPages = value("artists").split(whereSeparator: { $0 == "," || $0 == "\n" }).map {
            String($0).trimmingSpaces()
        }.filter { !$0.isEmpty }
        let frequency = value("frequency").isEmpty ? "immediate" : value("frequency")
        if !["immediate", "daily"].contains(frequency) { problems.append("'\(frequency)' is not a frequency") }
        let signUp = SignUp(
            email: email, name: name.isEmpty ? nil : name, dailyReport: value("daily_report") == "on",
            everything: value("everything") == "on", genres: genres, artistIDs: artistIDs, artistPages: artistPages,
            frequency: frequency)
        if !signUp.dailyReport && !signUp.everything && genres.isEmpty && artistIDs.isEmpty && artistPages.isEmpty {
            problems.append("choose the daily report, all alerts, or some genres or artists to follow")
        }
        if genres.count + artistIDs.count + artistPages.count > maximumFollowed {
            problems.append("at most \(maximumFollowed) genres and artists can be followed at once")
        }
        return (problems.isEmpty ? signUp : nil, problems)
    }
}

extension SignUp {
    /// A Bandcamp page as typed, as the warehouse keeps it (`https://host`): a subdomain alone is Bandcamp's; a
    /// URL keeps its host. Nil for what is no host.
    static func pageURL(_ text: String) -> String? {
        var host = text.trimmingSpaces().lowercased()
        for scheme in ["https://", "http://"] where host.hasPrefix(scheme) { host.removeFirst(scheme.count) }
        host = String(host.prefix { $0 != "/" && $0 != "?" && $0 != "#" })
        if !host.contains(".") { host += ".bandcamp.com" }
        guard host.utf8.count <= 253, !host.hasPrefix("."), !host.hasSuffix("."),
            host.utf8.allSatisfy({
                (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x2D
            })
        else { return nil }
        return "https://" + host
    }
}

/// What following a confirmation link found.
enum ConfirmOutcome: Equatable {
    case confirmed(String)
    case already(String)
    case expired
    case unknown
}

/// Sign-up requests in the warehouse: made by the form, applied when confirmed.
enum SubscriptionRequests {
    /// Days a confirmation link stays valid.
    static let validDays = 7
    /// Confirmation emails one address gets in a day, however often the form is sent.
    static let mailsPerAddressPerDay = 3

    /// The tag ids of genre keys, and the keys that are no genre.
    static func genres(_ keys: [String], db: PostgresConnection) async throws -> (ids: [Int64], unknown: [String]) {
        guard !keys.isEmpty else { return ([], []) }
        var found: [String: Int64] = [:]
        for row in try await db.query("SELECT id, key FROM tag WHERE key = ANY(\(keys)::text[])") {
            found[try row.decode("key")] = try row.decode("id", as: Int64.self)
        }
        return (keys.compactMap { found[$0] }, keys.filter { found[$0] == nil })
    }

    /// The ids of artists by id (that exist) and by Bandcamp page (`nilsfrahm`, `nilsfrahm.bandcamp.com` or
    /// `https://nilsfrahm.bandcamp.com/album/…`: a page's every artist, as a label's page sells several), and the
    /// problems of the pages that are no page or sell nothing here. Never by name: names are not unique.
    static func artists(ids: [Int64], pages: [String], db: PostgresConnection) async throws -> (
        ids: [Int64], problems: [String]
    ) {
        var found: [Int64] = []
        if !ids.isEmpty {
            found += try await db.query("SELECT id FROM artist WHERE id = ANY(\(ids)::bigint[])").map {
                try $0.decode("id", as: Int64.self)
            }
        }
        var problems: [String] = []
        for page in pages {
            guard let url = SignUp.pageURL(page) else {
                problems.append("'\(page)' is not a Bandcamp page: type it as artist.bandcamp.com")
                continue
            }
            let matches = try await db.query("SELECT id FROM artist WHERE page_url = \(url) LIMIT 50")
                .map { try $0.decode("id", as: Int64.self) }
            if matches.isEmpty { problems.append("nothing has sold here from the page \(DashboardQuery.host(url))") }
            found += matches
        }
        return (Array(Set(found)).sorted(), problems)
    }

    /// Records a request; nil when the address has had its day's confirmation emails (the caller says the same
    /// to the person as when it is sent, so the form tells nobody whether an address is known).
    static func create(_ signUp: SignUp, tagIDs: [Int64], artistIDs: [Int64], db: PostgresConnection) async throws
        -> String?
    {
        let recent =
            try await db.query(
                """
                SELECT count(*) FROM subscription_request
                WHERE lower(email) = lower(\(signUp.email)) AND created_at > now() - interval '1 day'
                    AND mailed_at IS NOT NULL
                """
            ).scalar(Int.self)
        guard recent < mailsPerAddressPerDay else { return nil }
        let token = randomToken()
        try await db.query(
            """
            INSERT INTO subscription_request (token, email, name, daily_report, everything, tag_ids, artist_ids, frequency)
            VALUES (
                \(token), \(signUp.email), \(signUp.name), \(signUp.dailyReport), \(signUp.everything), \(tagIDs)::bigint[],
                \(artistIDs)::bigint[], \(signUp.frequency))
            """)
        return token
    }

    /// Notes that the confirmation email went.
    static func markMailed(_ token: String, db: PostgresConnection) async throws {
        try await db.query("UPDATE subscription_request SET mailed_at = now() WHERE token = \(token)")
    }

    /// The address of a request that can still be confirmed, or why not.
    static func pending(_ token: String, db: PostgresConnection) async throws -> ConfirmOutcome {
        guard
            let row = try await db.query(
                """
                SELECT email, confirmed_at IS NOT NULL AS confirmed,
                    created_at < now() - make_interval(days => \(validDays)::int) AS expired
                FROM subscription_request WHERE token = \(token)
                """
            ).first
        else { return .unknown }
        let email: String = try row.decode("email")
        if try row.decode("confirmed") { return .already(email) }
        if try row.decode("expired") { return .expired }
        return .confirmed(email)
    }

    /// Applies a request, once: the subscriber made active (a new start if they had unsubscribed: earlier
    /// follows are dropped), the daily report and the follows added.
    static func confirm(_ token: String, db: PostgresConnection) async throws -> ConfirmOutcome {
        try await db.transaction { db in
            guard
                let row = try await db.query(
                    """
                    SELECT email, name, daily_report, everything, tag_ids, artist_ids, frequency,
                        confirmed_at IS NOT NULL AS confirmed,
                        created_at < now() - make_interval(days => \(validDays)::int) AS expired
                    FROM subscription_request WHERE token = \(token) FOR UPDATE
                    """
                ).first
            else { return .unknown }
            let email: String = try row.decode("email")
            if try row.decode("confirmed") { return .already(email) }
            if try row.decode("expired") { return .expired }
            let name: String? = try row.decode("name")
            let dailyReport: Bool = try row.decode("daily_report")
            let existing = try await db.query(
                "SELECT id, status FROM subscriber WHERE lower(email) = lower(\(email)) FOR UPDATE"
            ).first
            let subscriberID: Int64
            if let existing {
                let id: Int64 = try existing.decode("id")
                subscriberID = id
                let restart = try existing.decode("status", as: String.self) == "unsubscribed"
                if restart { try await db.query("DELETE FROM alert_subscription WHERE subscriber_id = \(id)") }
                try await db.query(
                    """
                    UPDATE subscriber SET status = 'active', confirmed_at = now(), unsubscribed_at = NULL,
                        name = coalesce(\(name), name),
                        daily_report = CASE WHEN \(restart)::boolean THEN \(dailyReport)::boolean
                            ELSE daily_report OR \(dailyReport)::boolean END
                    WHERE id = \(id)
                    """)
            } else {
                subscriberID =
                    try await db.query(
                        """
                        INSERT INTO subscriber (email, name, status, daily_report, confirmed_at)
                        VALUES (\(email), \(name), 'active', \(dailyReport), now()) RETURNING id
                        """
                    ).scalar()
            }
            let frequency: String = try row.decode("frequency")
            if try row.decode("everything") {
                try await db.query(
                    """
                    INSERT INTO alert_subscription (subscriber_id, scope, frequency)
                    VALUES (\(subscriberID), 'everything', \(frequency))
                    ON CONFLICT DO NOTHING
                    """)
            }
            try await db.query(
                """
                INSERT INTO alert_subscription (subscriber_id, scope, tag_id, frequency)
                SELECT \(subscriberID), 'genre', id, \(frequency)
                FROM unnest(\(try row.decode("tag_ids", as: [Int64].self))::bigint[]) AS id ON CONFLICT DO NOTHING
                """)
            try await db.query(
                """
                INSERT INTO alert_subscription (subscriber_id, scope, artist_id, frequency)
                SELECT \(subscriberID), 'artist', id, \(frequency)
                FROM unnest(\(try row.decode("artist_ids", as: [Int64].self))::bigint[]) AS id ON CONFLICT DO NOTHING
                """)
            try await db.query("UPDATE subscription_request SET confirmed_at = now() WHERE token = \(token)")
            return .confirmed(email)
        }
    }

    /// 32 random bytes as hex: the link's secret.
    static func randomToken() -> String {
        Hex.random(bytes: 32)
    }

    /// The confirmation email: what was asked for, the link that confirms it, and what to do if it was not you.
    static func email(
        from: String, to signUp: SignUp, link: String, genres: [String], artists: [String]
    ) -> EmailMessage {
        var asked: [String] = []
        if signUp.dailyReport { asked.append("the daily sales report (PDF), every morning") }
        if signUp.everything { asked.append("every alert on rising genres and artists") }
        if !genres.isEmpty { asked.append("alerts on the genres " + genres.joined(separator: ", ")) }
        if !artists.isEmpty { asked.append("alerts on the artists " + artists.joined(separator: ", ")) }
        if signUp.everything || !genres.isEmpty || !artists.isEmpty {
            asked.append(signUp.frequency == "daily" ? "alerts gathered in one daily email" : "alerts as they happen")
        }
        let text = """
            Someone, hopefully you, asked bandcamp-tracker to send \(signUp.email):

            \(asked.map { "- " + $0 }.joined(separator: "\n"))

            Confirm within \(validDays) days by opening this link and pressing the button:
            \(link)

            If it was not you, ignore this email: nothing will be sent.

            """
        var html = EmailPage.open(
            title: "Confirm your subscription", label: "SUBSCRIPTION", heading: "Confirm your subscription")
        html += """
            <div style="padding:18px 26px;font-size:14px;line-height:1.5">
            <p>Someone, hopefully you, asked bandcamp-tracker to send <b>\(signUp.email)</b>:</p>
            <ul>\(asked.map { "<li>\($0)</li>" as HTML }.joined())</ul>
            <p><a href="\(link)" style="display:inline-block;background:#0e3a4a;color:#ffffff;padding:10px 18px;\
            text-decoration:none;border-radius:4px">Confirm</a></p>
            <p style="color:#5f6b7a">The link works for \(validDays) days. If it was not you, ignore this email: \
            nothing will be sent.</p>
            </div>

            """
        html += EmailPage.close(
            note: "Sent by bandcamp-tracker because this address was entered in its form.", unsubscribe: nil)
        return EmailMessage(
            from: from, to: [signUp.email], subject: "Confirm your bandcamp-tracker subscription", text: text,
            html: html)
    }
}
