import AWS
import Adapters
import Alerts
import Foundation
import Postgres
import ReadModel
import TestSupport
import Testing
import Trends

@Suite("Alerts on a real warehouse")
struct AlertPublisherTests {
    static let hour: Int64 = 3600
    static let planted: Set<String> = [
        "artist.24h Nova Fen emerging", "artist.24h Old Guard trending", "artist.24h Vapor 1 trending",
        "artist.24h Vapor 2 trending", "artist.24h Vapor 3 trending", "artist.24h Vapor 4 trending",
        "artist.7d Nova Fen emerging", "genre.24h vaporwave trending", "genre.7d vaporwave trending",
    ]

    /// The recorded alerts of an evaluation time, as `rule name kind`.
    func recorded(_ harness: AlertHarness, at: Int64 = TrendSeed.at) async throws -> Set<String> {
        Set(
            try await harness.rows(
                "SELECT rule || ' ' || (details->>'name') || ' ' || kind FROM alert WHERE evaluated_at = to_timestamp($1)",
                [String(at)]
            ).compactMap { $0[0] })
    }

    @Test(
        "a run records exactly the planted rises with their statistics; steady artists, a Bandcamp Friday and 0 -> 2 raise none"
    )
    func records() async throws {
        let harness = try await AlertHarness.make("alertsrecord")
        // 07:40 evaluates the windows ending at 07:00.
        let outcome = try await harness.publisher().run(at: TrendSeed.at + 40 * 60, digest: false, db: harness.db)
        #expect(outcome.evaluatedAt == TrendSeed.at)
        #expect(try await recorded(harness) == Self.planted)
        #expect(outcome.alerts == Self.planted.count)
        #expect(outcome.rules.map(\.rule) == ["genre.24h", "genre.7d", "artist.24h", "artist.7d"])
        #expect(outcome.rules.first { $0.rule == "artist.24h" }?.tested == 46)

        // Old Guard's figures, against the test's own counts of the windows.
        let at = TrendSeed.at
        let site = try await harness.rows(
            """
            SELECT count(*) FILTER (WHERE sold_at >= to_timestamp($1 - 86400)),
                count(*) FILTER (WHERE sold_at < to_timestamp($1 - 3 * 86400))
            FROM sale WHERE sold_at >= to_timestamp($1 - 31 * 86400) AND sold_at < to_timestamp($1)
            """, [String(at)])[0].map { Double($0!)! }
        let old = try #require(
            try await harness.rows(
                """
                SELECT current_sales, previous_sales, baseline_sales, site_current_sales, site_baseline_sales, ratio,
                    estimate, lower_bound, q_value, previous_q_value, releases, countries, rank, kind, details::text
                FROM alert WHERE rule = 'artist.24h' AND entity_id = $1
                """, [String(harness.seed.artists["Old Guard"]!)]
            ).first)
        #expect(old[0] == "20" && old[1] == "20" && old[2] == "56")
        #expect(Double(old[3]!) == site[0] && Double(old[4]!) == site[1])
        let ratio = (20 / site[0]) / (56 / site[1])
        #expect(abs(Double(old[5]!)! - ratio) < 1e-9 * ratio)
        let estimate = Double(old[6]!)!
        let lower = Double(old[7]!)!
        #expect(lower > 1.5 && lower < estimate && estimate <= ratio)
        #expect(Double(old[8]!)! < 0.05 && Double(old[9]!)! < 0.05)
        #expect(old[10] == "3" && old[11] == "6" && old[12] == "2")

        // What Nova Fen's alert shows: its releases, buyers and genres, with links.
        let alerts = try await AlertRecords.byID(
            try await harness.rows("SELECT id FROM alert WHERE rule = 'artist.24h' AND kind = 'emerging'").map {
                Int64($0[0]!)!
            }, harness.db)
        let nova = try #require(alerts.values.first)
        #expect(nova.details.name == "Nova Fen" && nova.details.url == "https://novafen.bandcamp.com")
        #expect(nova.signal.ratio == nil && nova.signal.baseline == 0 && nova.rank == 1)
        #expect(
            nova.details.releases.map(\.url).sorted() == [
                "https://novafen.bandcamp.com/album/record-1", "https://novafen.bandcamp.com/album/record-2",
            ])
        #expect(nova.details.releases.map(\.sales).reduce(0, +) == 26)
        #expect(nova.details.countries.count == 5)
        #expect(Set(nova.details.genres.compactMap(\.key)) == ["darkwave", "ambient"])
        #expect(nova.details.genres.contains { $0.url == "https://bandcamp.com/tag/darkwave" })

        // A rerun of the same hour updates the same rows.
        let ids = try await harness.rows("SELECT id FROM alert ORDER BY id")
        _ = try await harness.publisher().run(at: TrendSeed.at, digest: false, db: harness.db)
        #expect(try await harness.rows("SELECT id FROM alert ORDER BY id") == ids)
    }

    @Test("subscriptions pick alerts by scope, kind and channel; immediate mail now, daily ones in the digest")
    func subscriptions() async throws {
        let harness = try await AlertHarness.make("alertssubs")
        let seed = harness.seed
        let everything = try await seed.subscriber("all@example.com")
        try await seed.subscribe(everything)
        let vaporFan = try await seed.subscriber("vapor@example.com")
        try await seed.subscribe(vaporFan, scope: "genre", tag: seed.tags["vaporwave"])
        // Both a genre and everything: one email, each alert once.
        try await seed.subscribe(vaporFan, scope: "artist", artist: seed.artists["Vapor 1"])
        let daily = try await seed.subscriber("daily@example.com")
        try await seed.subscribe(daily, scope: "artist", artist: seed.artists["Old Guard"], frequency: "daily")
        let scout = try await seed.subscriber("scout@example.com")
        try await seed.subscribe(scout, kinds: "{emerging}", channel: "sns")
        try await seed.subscribe(try await seed.subscriber("gone@example.com", status: "unsubscribed"))
        try await seed.subscribe(try await seed.subscriber("pending@example.com", status: "pending"))
        let token = try await harness.rows("SELECT token FROM subscriber WHERE id = $1", [String(everything)])[0][0]!

        let outcome = try await harness.publisher().run(at: TrendSeed.at, digest: false, db: harness.db)
        #expect(outcome.deliveries == 9 + 6 + 2 && outcome.queuedForDigest == 1)
        #expect(outcome.emails == 2 && outcome.notifications == 2 && outcome.digestEmails == 0)
        var mail = try harness.mail()
        #expect(mail.map(\.to).sorted() == ["all@example.com", "vapor@example.com"])
        let all = try #require(mail.first { $0.to == "all@example.com" })
        #expect(all.subject == "Rising on Bandcamp: Nova Fen (140×), vaporwave (6.9×) and 5 more")
        #expect(all.from == "alerts@example.com")
        #expect(all.unsubscribe == "<https://example.org/u?token=\(token)>")
        let html = try #require(all.parts.first { $0.contentType == "text/html" }?.text)
        let text = try #require(all.parts.first { $0.contentType == "text/plain" }?.text)
        #expect(html.contains("href=\"https://novafen.bandcamp.com/album/record-1\""))
        #expect(html.contains("href=\"https://bandcamp.com/tag/vaporwave\""))
        #expect(html.contains("https://example.org/u?token=\(token)"))
        // One entry per artist or genre, however many rules found it; plain words first, the statistics a link away.
        #expect(text.hasPrefix("6 artists and 1 genre rising\n"))
        #expect(
            text.components(separatedBy: "Nova Fen: emerging artist, over the last 24 hours and 7 days\n").count == 2)
        #expect(text.contains("26 sold in the last 24 hours, after none in the 28 days before."))
        #expect(text.contains("About 140× its usual share of Bandcamp's sales (almost certain)."))
        #expect(
            text.contains(
                "Old Guard: rising artist, over the last 24 hours\n20 sold in the last 24 hours; usually about 2 a day."
            ))
        #expect(text.contains("Buyers in "))
        #expect(!text.contains("q <") && !text.contains("artist.24h"))
        #expect(html.components(separatedBy: ">Nova Fen</a>").count == 2)
        let vapor = try #require(mail.first { $0.to == "vapor@example.com" })
        let vaporText = try #require(vapor.parts.first { $0.contentType == "text/plain" }?.text)
        #expect(vaporText.components(separatedBy: ": rising artist, over the last 24 hours\n").count - 1 == 4)
        #expect(
            vaporText.components(separatedBy: "vaporwave: rising genre, over the last 24 hours and 7 days").count - 1
                == 1)
        #expect(!vaporText.contains("Nova Fen") && !vaporText.contains("Old Guard"))

        // The scout's endpoint hears of the emerging artist only, addressed by subscriber id.
        let notes = try harness.notifications().compactMap { $0["notification"] as? [String: Any] }
        #expect(notes.count == 2)
        for note in notes {
            let attributes = try #require(note["attributes"] as? [String: Any])
            #expect(attributes["subscriber"] as? Double == Double(scout))
            #expect(attributes["kind"] as? String == "emerging" && attributes["entity"] as? String == "artist")
            #expect(attributes["name"] as? String == "Nova Fen")
            #expect(Set(attributes["genres"] as? [String] ?? []) == ["darkwave", "ambient"])
            #expect((note["subject"] as? String)?.hasPrefix("Emerging artist: Nova Fen") == true)
        }

        // The digest goes out with the run that sends digests, once.
        let digestRun = try await harness.publisher().run(at: TrendSeed.at + 600, digest: true, db: harness.db)
        #expect(digestRun.digestEmails == 1 && digestRun.emails == 0 && digestRun.deliveries == 0)
        mail = try harness.mail()
        let digest = try #require(mail.first { $0.to == "daily@example.com" })
        #expect(digest.subject == "Today's risers on Bandcamp: Old Guard (7.5×)")
        #expect(mail.count == 3)
        _ = try await harness.publisher().run(at: TrendSeed.at + 900, digest: true, db: harness.db)
        #expect(try harness.mail().count == 3)

        // History: every delivery sent, with the mailer's or notifier's id.
        let statuses = try await harness.rows(
            "SELECT status, count(*), count(message_id) FROM alert_delivery GROUP BY status")
        #expect(statuses == [["sent", "18", "18"]])
    }

    @Test("at most one alert per rule, entity and subscriber in 24 hours; the next day's rise alerts again")
    func oncePerDay() async throws {
        var harness = try await AlertHarness.make("alertsonce")
        let subscriber = try await harness.seed.subscriber("all@example.com")
        try await harness.seed.subscribe(subscriber)
        let first = try await harness.publisher().run(at: TrendSeed.at, digest: false, db: harness.db)
        #expect(first.emails == 1 && first.deliveries == 9)
        // An hour later the same rises are still there: recorded again, told to nobody.
        let later = try await harness.publisher().run(at: TrendSeed.at + Self.hour, digest: false, db: harness.db)
        #expect(later.alerts > 0 && later.deliveries == 0 && later.alreadyTold == later.alerts && later.emails == 0)
        #expect(try harness.mail().count == 1)
        // A day later, with the rises going on, they are news again.
        try await harness.seed.extend(days: 1)
        let nextDay = try await harness.publisher().run(
            at: TrendSeed.at + 24 * Self.hour, digest: false, db: harness.db)
        #expect(nextDay.deliveries > 0 && nextDay.emails == 1)
        #expect(try harness.mail().count == 2)
        let told = try await harness.rows(
            """
            SELECT count(*) FROM alert_delivery d JOIN alert a ON a.id = d.alert_id
            WHERE a.rule = 'artist.24h' AND a.details->>'name' = 'Nova Fen'
            """)
        #expect(told == [["2"]])
    }

    @Test("through SES and SNS on moto: a refused email fails the run and is sent by the rerun, the rest only once")
    func sesFailureThenRetry() async throws {
        let harness = try await AlertHarness.make("alertsses")
        let seed = harness.seed
        let reader = try await seed.subscriber("reader@example.com")
        try await seed.subscribe(reader)
        let scout = try await seed.subscriber("scout@example.com")
        try await seed.subscribe(scout, channel: "sns")
        let moto = try await MotoServer.shared()
        let client = moto.client()
        let topic = try await client.createTopic("alerts-\(UInt32.random(in: 0...UInt32.max))")
        let sender = "alerts-\(UInt32.random(in: 0...UInt32.max))@example.com"
        let publisher = AlertPublisher(
            mailer: SESMailer(client: client), notifier: SNSNotifier(topicARN: topic, client: client),
            message: AlertMessage(from: sender, unsubscribeBase: nil), logger: .init(label: "test"))

        let error = try await #require(throws: AlertDeliveryError.self) {
            try await publisher.run(at: TrendSeed.at, digest: false, db: harness.db)
        }
        #expect(error.outcome.failed == ["\(reader)"] && error.outcome.notifications == 9)
        #expect(error.description.contains("a rerun sends only those"))
        #expect(
            try await harness.rows("SELECT status, count(*) FROM alert_delivery GROUP BY status ORDER BY status")
                == [["failed", "9"], ["sent", "9"]])

        try await client.verifyEmailIdentity(sender)
        let retried = try await publisher.run(at: TrendSeed.at + 60, digest: false, db: harness.db)
        #expect(retried.emails == 1 && retried.notifications == 0 && retried.failed.isEmpty)
        let again = try await publisher.run(at: TrendSeed.at + 120, digest: false, db: harness.db)
        #expect(again.emails == 0 && again.notifications == 0)

        let ids = try await harness.rows(
            "SELECT DISTINCT message_id FROM alert_delivery WHERE channel = 'email' AND status = 'sent'")
        #expect(ids.count == 1)
        let ses = try await moto.data()["ses"] as? [String: Any] ?? [:]
        let sent = (ses["Message"] as? [[String: Any]] ?? []).filter { $0["id"] as? String == ids[0][0] }
        #expect(sent.count == 1)
        let topics = (try await moto.data()["sns"] as? [String: Any])?["Topic"] as? [[String: Any]] ?? []
        let published = topics.first { $0["arn"] as? String == topic }?["sent_notifications"] as? [[Any]] ?? []
        #expect(published.count == 9)
        let attributes = published.compactMap { $0[3] as? [String: [String: String]] }
        #expect(
            attributes.allSatisfy { $0["subscriber"]?["Value"] == "\(scout)" && $0["subscriber"]?["Type"] == "Number" })
        #expect(
            attributes.contains { $0["genres"]?["Value"] == #"["vaporwave"]"# && $0["entity"]?["Value"] == "genre" })
    }
}
