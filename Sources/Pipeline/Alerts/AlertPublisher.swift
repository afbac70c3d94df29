import Adapters
import Logging
import Postgres
import ReadModel
import Trends

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What one rule's evaluation found.
public struct RuleOutcome: Codable, Sendable, Equatable {
    public var rule: String
    /// Entities tested; significant in both windows; signals kept; signals cut by the rule's maximum.
    public var tested: Int
    public var discoveries: Int
    public var signals: Int
    public var cut: Int
    /// Site-wide sales in the current window and in the baseline (none: too early to tell anything).
    public var currentSales: Int
    public var baselineSales: Int
    /// The engine's time, in milliseconds.
    public var engineMilliseconds: Int
}

/// What an alert run did.
public struct AlertOutcome: Codable, Sendable, Equatable {
    /// The end of the current windows, `2026-11-22 06:00 UTC`.
    public var evaluatedAt: Int64
    public var rules: [RuleOutcome]
    /// The SQL aggregation of every rule's counts (one scan per kind of entity), in milliseconds.
    public var scanMilliseconds: Int
    /// Alerts recorded (signals of this evaluation).
    public var alerts: Int
    /// Deliveries created now: for this run, and for the next digest; matches skipped because the subscriber
    /// had the same rule's alert for the same entity within 24 hours.
    public var deliveries: Int
    public var queuedForDigest: Int
    public var alreadyTold: Int
    /// Emails (one per subscriber, several alerts each) and SNS notifications (one per alert) sent.
    public var emails: Int
    public var notifications: Int
    /// Whether this run sent the daily digests, and how many.
    public var digest: Bool
    public var digestEmails: Int
    public var failed: [String]
}

/// Deliveries that failed; the others went out. Thrown after all were tried so that the invocation is retried,
/// and the rerun sends only those.
public struct AlertDeliveryError: Error, CustomStringConvertible, Sendable {
    public var outcome: AlertOutcome
    public var reasons: [String]

    public var description: String {
        "\(reasons.count) alert deliveries failed (a rerun sends only those): "
            + reasons.prefix(3).joined(separator: "; ")
    }
}

/// An alert run: the rules evaluated at an hour, their signals recorded in `alert` (a rerun updates them), each
/// matched to the subscriptions that ask for it (at most once per rule, entity, subscriber and channel in 24
/// hours), then sent: immediate email and SNS deliveries now, daily ones in the digest. Runs are serialised by an
/// advisory lock; every delivery is claimed before it is sent, so a crash re-sends at most the claimed ones.
public struct AlertPublisher: Sendable {
    public var rules: [TrendRule]
    /// The UTC hour whose run sends the daily digests.
    public var digestHour: Int
    /// Attempts after which a failing delivery is left failed.
    public var maximumAttempts = 5
    let mailer: any Mailer
    let notifier: any Notifier
    let message: AlertMessage
    let logger: Logger
    let query = AlertQuery()
    let engine = TrendEngine()

    public init(
        rules: [TrendRule] = TrendRule.standard, digestHour: Int = 7, mailer: any Mailer, notifier: any Notifier,
        message: AlertMessage, logger: Logger
    ) {
        self.rules = rules
        self.digestHour = digestHour
        self.mailer = mailer
        self.notifier = notifier
        self.message = message
        self.logger = logger
    }

    /// Runs at `at` (seconds since 1970; the windows end at the hour it falls in).
    /// - Parameter digest: send the daily digests (nil: when the hour is the digest hour).
    /// - Throws: `AlertDeliveryError` when some deliveries failed (after the others were sent); what the database
    ///   throws.
    public func run(at: Int64, digest: Bool? = nil, db: PostgresConnection) async throws -> AlertOutcome {
        let unlock: SQLQuery = "SELECT pg_advisory_unlock(hashtextextended('alerts', 0))"
        _ = try await db.query("SELECT pg_advisory_lock(hashtextextended('alerts', 0))")
        do {
            let outcome = try await runLocked(at: at - at % 3600, digest: digest, db: db)
            _ = try await db.query(unlock)
            return outcome
        } catch {
            _ = try? await db.query(unlock)
            throw error
        }
    }

    private func runLocked(at: Int64, digest: Bool?, db: PostgresConnection) async throws -> AlertOutcome {
        let started = ContinuousClock.now
        let scans = try await query.counts(rules, at: at, from: db)
        var outcome = AlertOutcome(
            evaluatedAt: at, rules: [], scanMilliseconds: Int((ContinuousClock.now - started).milliseconds), alerts: 0,
            deliveries: 0, queuedForDigest: 0, alreadyTold: 0, emails: 0, notifications: 0,
            digest: digest ?? (at / 3600 % 24 == Int64(digestHour)), digestEmails: 0, failed: [])
        var alertIDs: [Int64] = []
        for (rule, scan) in zip(rules, scans) {
            let evaluationStarted = ContinuousClock.now
            let evaluation = engine.evaluate(rule, counts: scan.counts, site: scan.site)
            let evaluated = ContinuousClock.now - evaluationStarted
            for (index, signal) in evaluation.signals.enumerated() {
                let details = try await query.details(signal, rule, at: at, from: db)
                alertIDs.append(try await record(signal, rule, rank: index + 1, details: details, at: at, db))
            }
            outcome.rules.append(
                RuleOutcome(
                    rule: rule.id, tested: evaluation.tested, discoveries: evaluation.discoveries,
                    signals: evaluation.signals.count, cut: evaluation.cut, currentSales: scan.site.current,
                    baselineSales: scan.site.baseline, engineMilliseconds: Int(evaluated.milliseconds)))
            logger.info(
                "rule evaluated",
                metadata: [
                    "rule": "\(rule.id)", "tested": "\(evaluation.tested)", "signals": "\(evaluation.signals.count)",
                    "discoveries": "\(evaluation.discoveries)", "cut": "\(evaluation.cut)",
                    "prior": "Beta(\(evaluation.prior.alpha), \(evaluation.prior.beta))", "engine": "\(evaluated)",
                ])
        }
        outcome.alerts = alertIDs.count
        try await db.query(
            """
            INSERT INTO alert_run (evaluated_at, alerts) VALUES (to_timestamp(\(at)), \(alertIDs.count))
            ON CONFLICT (evaluated_at) DO UPDATE SET alerts = excluded.alerts, finished_at = now()
            """)
        try await match(alertIDs, at: at, outcome: &outcome, db)
        var reasons = try await sendUnsent(.immediate, at: at, outcome: &outcome, db)
        if outcome.digest {
            reasons += try await sendUnsent(.daily, at: at, outcome: &outcome, db)
        }
        guard reasons.isEmpty else { throw AlertDeliveryError(outcome: outcome, reasons: reasons) }
        return outcome
    }

    // MARK: Recording

    private func record(
        _ signal: TrendSignal, _ rule: TrendRule, rank: Int, details: AlertDetails, at: Int64, _ db: PostgresConnection
    ) async throws -> Int64 {
        let json = String(decoding: try JSONEncoder().encode(details), as: UTF8.self)
        let row = try await db.query(
            """
            INSERT INTO alert (rule, entity_type, entity_id, kind, evaluated_at, window_hours, baseline_hours,
                minimum_ratio, current_sales, previous_sales, baseline_sales, site_current_sales, site_baseline_sales,
                ratio, estimate, lower_bound, p_value, q_value, previous_q_value, dispersion, per_day_now,
                per_day_before, acceleration, releases, countries, artists, rank, details)
            VALUES (
                \(rule.id), \(rule.entity.rawValue), \(signal.entity), \(signal.kind.rawValue), to_timestamp(\(at)),
                \(rule.windowHours), \(rule.baselineHours), \(rule.minimumRatio), \(signal.current), \(signal.previous),
                \(signal.baseline), \(signal.siteCurrent), \(signal.siteBaseline), \(signal.ratio), \(signal.estimate),
                \(signal.lowerBound), \(signal.pValue), \(signal.qValue), \(signal.previousQValue), \(signal.dispersion),
                \(signal.perDayNow), \(signal.perDayBefore), \(signal.acceleration), \(signal.releases),
                \(signal.countries), \(signal.artists), \(rank), \(json)::jsonb)
            ON CONFLICT (rule, entity_id, evaluated_at) DO UPDATE SET kind = excluded.kind,
                current_sales = excluded.current_sales, previous_sales = excluded.previous_sales,
                baseline_sales = excluded.baseline_sales, site_current_sales = excluded.site_current_sales,
                site_baseline_sales = excluded.site_baseline_sales, ratio = excluded.ratio,
                estimate = excluded.estimate, lower_bound = excluded.lower_bound, p_value = excluded.p_value,
                q_value = excluded.q_value, previous_q_value = excluded.previous_q_value,
                dispersion = excluded.dispersion, per_day_now = excluded.per_day_now,
                per_day_before = excluded.per_day_before, acceleration = excluded.acceleration,
                releases = excluded.releases, countries = excluded.countries, artists = excluded.artists,
                rank = excluded.rank, details = excluded.details
            RETURNING id
            """)
        return try row.scalar()
    }

    // MARK: Matching

    /// Active subscribers' subscriptions.
    public static func subscriptions(_ db: PostgresConnection) async throws -> [AlertSubscription] {
        try await db.query(
            """
            SELECT a.id, s.id AS subscriber_id, s.email, s.token, a.scope, a.tag_id, a.artist_id, a.kinds,
                a.channel, a.frequency
            FROM alert_subscription a JOIN subscriber s ON s.id = a.subscriber_id
            WHERE s.status = 'active' ORDER BY a.id
            """
        ).map { row in
            let scope: AlertSubscription.Scope
            switch try row.decode("scope", as: String.self) {
            case "genre": scope = .genre(try row.decode("tag_id"))
            case "artist": scope = .artist(try row.decode("artist_id"))
            default: scope = .everything
            }
            return AlertSubscription(
                id: try row.decode("id"), subscriberID: try row.decode("subscriber_id"), email: try row.decode("email"),
                token: try row.decode("token"), scope: scope,
                kinds: Set(try row.decode("kinds", as: [SignalKind].self)),
                channel: try row.decode("channel"), frequency: try row.decode("frequency"))
        }
    }

    /// Deliveries for the alerts' matching subscriptions: one per (alert, subscriber, channel), immediate when
    /// any of the subscriber's matching subscriptions on that channel is; none when the subscriber had the same
    /// rule's alert for the entity within 24 hours of this one.
    private func match(_ ids: [Int64], at: Int64, outcome: inout AlertOutcome, _ db: PostgresConnection) async throws {
        let alerts = try await AlertRecords.byID(ids, db)
        let subscriptions = try await Self.subscriptions(db)
        try await db.transaction { db in
            for id in ids {
                guard let alert = alerts[id] else { continue }
                var wanted: [String: (AlertSubscription, AlertSubscription.Frequency)] = [:]
                for subscription in subscriptions where subscription.matches(alert) {
                    let key = "\(subscription.subscriberID):\(subscription.channel.rawValue)"
                    let frequency: AlertSubscription.Frequency =
                        wanted[key]?.1 == .immediate || subscription.frequency == .immediate ? .immediate : .daily
                    wanted[key] = (subscription, frequency)
                }
                for key in wanted.keys.sorted() {
                    let (subscription, frequency) = wanted[key]!
                    let inserted = try await db.query(
                        """
                        INSERT INTO alert_delivery (alert_id, subscriber_id, channel, frequency, rule, entity_id,
                            evaluated_at, status)
                        SELECT \(id), \(subscription.subscriberID), \(subscription.channel.rawValue), \(frequency.rawValue),
                            \(alert.signal.rule), \(alert.signal.entity), to_timestamp(\(at)),
                            \(frequency == .daily ? "queued" : "pending")
                        WHERE NOT EXISTS (
                            SELECT 1 FROM alert_delivery d
                            WHERE d.subscriber_id = \(subscription.subscriberID) AND d.rule = \(alert.signal.rule)
                                AND d.entity_id = \(alert.signal.entity) AND d.channel = \(subscription.channel.rawValue)
                                AND d.evaluated_at > to_timestamp(\(at)) - interval '24 hours'
                                AND d.evaluated_at < to_timestamp(\(at)) + interval '24 hours')
                        ON CONFLICT DO NOTHING
                        """
                    ).affected
                    if inserted == 0 {
                        outcome.alreadyTold += 1
                    } else if frequency == .daily {
                        outcome.queuedForDigest += 1
                    } else {
                        outcome.deliveries += 1
                    }
                }
            }
        }
    }

    // MARK: Sending

    /// A subscriber's unsent deliveries on one channel.
    private struct Batch {
        var subscriberID: Int64
        var channel: AlertSubscription.Channel
        var email: String
        var token: String
        var alertIDs: [Int64]
    }

    private func unsent(frequency: AlertSubscription.Frequency, at: Int64, _ db: PostgresConnection) async throws
        -> [Batch]
    {
        let rows = try await db.query(
            """
            SELECT d.subscriber_id, d.channel, s.email, s.token, d.alert_id
            FROM alert_delivery d JOIN subscriber s ON s.id = d.subscriber_id
            WHERE d.frequency = \(frequency.rawValue) AND d.status IN ('queued', 'pending', 'sending', 'failed')
                AND d.attempts < \(maximumAttempts)
                AND d.evaluated_at > to_timestamp(\(at)) - make_interval(hours => \(frequency == .daily ? 48 : 24))
                AND d.evaluated_at <= to_timestamp(\(at)) AND s.status = 'active'
            ORDER BY d.subscriber_id, d.channel, d.alert_id
            """
        )
        var batches: [Batch] = []
        for row in rows {
            let subscriber: Int64 = try row.decode("subscriber_id")
            let channel: AlertSubscription.Channel = try row.decode("channel")
            let alert: Int64 = try row.decode("alert_id")
            if let last = batches.last, last.subscriberID == subscriber, last.channel == channel {
                batches[batches.count - 1].alertIDs.append(alert)
            } else {
                batches.append(
                    Batch(
                        subscriberID: subscriber, channel: channel, email: try row.decode("email"),
                        token: try row.decode("token"), alertIDs: [alert]))
            }
        }
        return batches
    }

    /// Marks deliveries: claimed before sending (`sending`, one more attempt), then `sent` or `failed`.
    private func mark(
        _ batch: Batch, _ alertIDs: [Int64], status: String, messageID: String? = nil, error: String? = nil,
        _ db: PostgresConnection
    ) async throws {
        try await db.query(
            """
            UPDATE alert_delivery SET status = \(status), message_id = coalesce(\(messageID), message_id),
                error = \(error), attempts = attempts + (CASE WHEN \(status) = 'sending' THEN 1 ELSE 0 END),
                sent_at = CASE WHEN \(status) = 'sent' THEN now() ELSE sent_at END
            WHERE subscriber_id = \(batch.subscriberID) AND channel = \(batch.channel.rawValue)
                AND alert_id = ANY(\(alertIDs)::bigint[])
            """)
    }

    /// Sends a batch's alerts: one email for all of them (an entry per artist or genre, with its last 30 days up
    /// to `at`), or one notification each.
    /// - Returns: Why some failed (empty when all went).
    private func send(
        _ batch: Batch, alerts: [Int64: Alert], digest: Bool, at: Int64, _ db: PostgresConnection
    ) async throws -> [String] {
        // Strongest first, an entity's alerts of several rules together.
        let ordered = Breakout.grouping(batch.alertIDs.compactMap { alerts[$0] }).flatMap(\.alerts)
        var units: [[Alert]] = batch.channel == .email ? [ordered] : ordered.map { [$0] }
        units.removeAll { $0.isEmpty }
        var reasons: [String] = []
        for unit in units {
            let ids = unit.map(\.id)
            try await mark(batch, ids, status: "sending", db)
            do {
                let id: String
                switch batch.channel {
                case .email:
                    let breakouts = try await BreakoutQuery().addingDaily(Breakout.grouping(unit), through: at, db)
                    id = try await mailer.send(
                        message.email(breakouts, digest: digest, to: batch.email, token: batch.token))
                case .sns:
                    id = try await notifier.publish(message.notification(unit[0], subscriberID: batch.subscriberID))
                }
                try await mark(batch, ids, status: "sent", messageID: id, db)
            } catch let error as PostgresError {
                throw error
            } catch {
                try await mark(batch, ids, status: "failed", error: String(describing: error), db)
                logger.error(
                    "alert delivery failed",
                    metadata: [
                        "subscriber": "\(batch.subscriberID)", "channel": "\(batch.channel.rawValue)",
                        "error": "\(error)",
                    ])
                reasons.append("subscriber \(batch.subscriberID) by \(batch.channel.rawValue): \(error)")
            }
        }
        return reasons
    }

    /// Sends every unsent delivery of a frequency (the immediate ones, or the digests), reading their alerts once,
    /// and counts what went: an email per subscriber, a notification per alert.
    /// - Returns: Why some failed (empty when all went).
    private func sendUnsent(
        _ frequency: AlertSubscription.Frequency, at: Int64, outcome: inout AlertOutcome, _ db: PostgresConnection
    ) async throws -> [String] {
        let batches = try await unsent(frequency: frequency, at: at, db)
        let alerts = try await AlertRecords.byID(Array(Set(batches.flatMap(\.alertIDs))).sorted(), db)
        var reasons: [String] = []
        for batch in batches {
            let failed = try await send(batch, alerts: alerts, digest: frequency == .daily, at: at, db)
            reasons += failed
            if !failed.isEmpty { outcome.failed.append("\(batch.subscriberID)") }
            switch (frequency, batch.channel) {
            case (.daily, _): outcome.digestEmails += failed.isEmpty ? 1 : 0
            case (.immediate, .email): outcome.emails += failed.isEmpty ? 1 : 0
            case (.immediate, .sns): outcome.notifications += batch.alertIDs.count - failed.count
            }
        }
        return reasons
    }
}
