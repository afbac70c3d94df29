import Adapters
import Logging
import Postgres
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
        let lock = ["alerts"]
        _ = try await db.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", lock)
        do {
            let outcome = try await runLocked(at: at - at % 3600, digest: digest, db: db)
            _ = try await db.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", lock)
            return outcome
        } catch {
            _ = try? await db.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", lock)
            throw error
        }
    }

    private func runLocked(at: Int64, digest: Bool?, db: PostgresConnection) async throws -> AlertOutcome {
        let started = ContinuousClock.now
        let scans = try await query.counts(rules, at: at, from: db)
        var outcome = AlertOutcome(
            evaluatedAt: at, rules: [], scanMilliseconds: Self.milliseconds(ContinuousClock.now - started), alerts: 0,
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
                    baselineSales: scan.site.baseline, engineMilliseconds: Self.milliseconds(evaluated)))
            logger.info(
                "rule evaluated",
                metadata: [
                    "rule": "\(rule.id)", "tested": "\(evaluation.tested)", "signals": "\(evaluation.signals.count)",
                    "discoveries": "\(evaluation.discoveries)", "cut": "\(evaluation.cut)",
                    "prior": "Beta(\(evaluation.prior.alpha), \(evaluation.prior.beta))", "engine": "\(evaluated)",
                ])
        }
        outcome.alerts = alertIDs.count
        try await match(alertIDs, at: at, outcome: &outcome, db)
        var reasons = try await sendUnsent(.immediate, at: at, outcome: &outcome, db)
        if outcome.digest {
            reasons += try await sendUnsent(.daily, at: at, outcome: &outcome, db)
        }
        guard reasons.isEmpty else { throw AlertDeliveryError(outcome: outcome, reasons: reasons) }
        return outcome
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
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
            VALUES ($1, $2, $3, $4, to_timestamp($5), $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                $19, $20, $21, $22, $23, $24, $25, $26, $27, $28::jsonb)
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
            """,
            [
                rule.id, rule.entity.rawValue, String(signal.entity), signal.kind.rawValue, String(at),
                String(rule.windowHours), String(rule.baselineHours), String(rule.minimumRatio),
                String(signal.current), String(signal.previous), String(signal.baseline), String(signal.siteCurrent),
                String(signal.siteBaseline), signal.ratio.map { String($0) }, String(signal.estimate),
                String(signal.lowerBound), String(signal.pValue), String(signal.qValue),
                String(signal.previousQValue), String(signal.dispersion), String(signal.perDayNow),
                String(signal.perDayBefore), String(signal.acceleration), String(signal.releases),
                String(signal.countries), String(signal.artists), String(rank), json,
            ])
        guard let id = row.scalar.flatMap({ Int64($0) }) else {
            throw PostgresError.unexpected("the alert of \(rule.id) for \(signal.entity) got no id")
        }
        return id
    }

    /// Alerts as recorded, by id.
    public static func alerts(_ ids: [Int64], _ db: PostgresConnection) async throws -> [Int64: Alert] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await db.query(
            """
            SELECT id, rule, entity_type, entity_id, kind, extract(epoch FROM evaluated_at)::bigint, window_hours,
                baseline_hours, minimum_ratio, current_sales, previous_sales, baseline_sales, site_current_sales,
                site_baseline_sales, ratio, estimate, lower_bound, p_value, q_value, previous_q_value, dispersion,
                per_day_now, per_day_before, acceleration, releases, countries, artists, rank, details::text
            FROM alert WHERE id = ANY($1::bigint[])
            """, [PostgresArray.literal(ids)]
        ).rows
        var alerts: [Int64: Alert] = [:]
        for row in rows {
            func number(_ index: Int) -> Double { Double(row[index] ?? "") ?? 0 }
            func whole(_ index: Int) -> Int { Int(row[index] ?? "") ?? 0 }
            guard let id = Int64(row[0] ?? ""), let entityType = EntityKind(rawValue: row[2] ?? ""),
                let entity = Int64(row[3] ?? ""), let kind = SignalKind(rawValue: row[4] ?? ""),
                let evaluatedAt = Int64(row[5] ?? ""), let json = row[28]
            else { throw PostgresError.unexpected("alert row \(row.first.flatMap { $0 } ?? "?") is incomplete") }
            let signal = TrendSignal(
                rule: row[1] ?? "", entity: entity, kind: kind, current: whole(9), previous: whole(10),
                baseline: whole(11), siteCurrent: whole(12), siteBaseline: whole(13),
                ratio: row[14].flatMap(Double.init),
                estimate: number(15), lowerBound: number(16), pValue: number(17), qValue: number(18),
                previousQValue: number(19), dispersion: number(20), perDayNow: number(21), perDayBefore: number(22),
                acceleration: number(23), releases: whole(24), countries: whole(25), artists: whole(26))
            alerts[id] = Alert(
                id: id, entityType: entityType, evaluatedAt: evaluatedAt, windowHours: whole(6),
                baselineHours: whole(7), minimumRatio: number(8), rank: whole(27), signal: signal,
                details: try JSONDecoder().decode(AlertDetails.self, from: Data(json.utf8)))
        }
        return alerts
    }

    // MARK: Matching

    /// Active subscribers' subscriptions.
    public static func subscriptions(_ db: PostgresConnection) async throws -> [AlertSubscription] {
        try await db.query(
            """
            SELECT a.id, s.id, s.email, s.token, a.scope, a.tag_id, a.artist_id, array_to_string(a.kinds, ','),
                a.channel, a.frequency
            FROM alert_subscription a JOIN subscriber s ON s.id = a.subscriber_id
            WHERE s.status = 'active' ORDER BY a.id
            """
        ).rows.compactMap { row in
            guard let id = Int64(row[0] ?? ""), let subscriber = Int64(row[1] ?? ""), let email = row[2],
                let token = row[3], let channel = AlertSubscription.Channel(rawValue: row[8] ?? ""),
                let frequency = AlertSubscription.Frequency(rawValue: row[9] ?? "")
            else { return nil }
            let scope: AlertSubscription.Scope
            switch row[4] {
            case "genre": scope = .genre(Int64(row[5] ?? "") ?? 0)
            case "artist": scope = .artist(Int64(row[6] ?? "") ?? 0)
            default: scope = .everything
            }
            let kinds = Set((row[7] ?? "").split(separator: ",").compactMap { SignalKind(rawValue: String($0)) })
            return AlertSubscription(
                id: id, subscriberID: subscriber, email: email, token: token, scope: scope, kinds: kinds,
                channel: channel, frequency: frequency)
        }
    }

    /// Deliveries for the alerts' matching subscriptions: one per (alert, subscriber, channel), immediate when
    /// any of the subscriber's matching subscriptions on that channel is; none when the subscriber had the same
    /// rule's alert for the entity within 24 hours of this one.
    private func match(_ ids: [Int64], at: Int64, outcome: inout AlertOutcome, _ db: PostgresConnection) async throws {
        let alerts = try await Self.alerts(ids, db)
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
                        SELECT $1, $2, $3, $4, $5, $6, to_timestamp($7), $8
                        WHERE NOT EXISTS (
                            SELECT 1 FROM alert_delivery d
                            WHERE d.subscriber_id = $2 AND d.rule = $5 AND d.entity_id = $6 AND d.channel = $3
                                AND d.evaluated_at > to_timestamp($7) - interval '24 hours'
                                AND d.evaluated_at < to_timestamp($7) + interval '24 hours')
                        ON CONFLICT DO NOTHING
                        """,
                        [
                            String(id), String(subscription.subscriberID), subscription.channel.rawValue,
                            frequency.rawValue, alert.signal.rule, String(alert.signal.entity), String(at),
                            frequency == .daily ? "queued" : "pending",
                        ]
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
            WHERE d.frequency = $1 AND d.status IN ('queued', 'pending', 'sending', 'failed') AND d.attempts < $3
                AND d.evaluated_at > to_timestamp($2) - interval '\(frequency == .daily ? 48 : 24) hours'
                AND d.evaluated_at <= to_timestamp($2) AND s.status = 'active'
            ORDER BY d.subscriber_id, d.channel, d.alert_id
            """, [frequency.rawValue, String(at), String(maximumAttempts)]
        ).rows
        var batches: [Batch] = []
        for row in rows {
            guard let subscriber = Int64(row[0] ?? ""), let channel = AlertSubscription.Channel(rawValue: row[1] ?? ""),
                let alert = Int64(row[4] ?? "")
            else { continue }
            if let last = batches.last, last.subscriberID == subscriber, last.channel == channel {
                batches[batches.count - 1].alertIDs.append(alert)
            } else {
                batches.append(
                    Batch(
                        subscriberID: subscriber, channel: channel, email: row[2] ?? "", token: row[3] ?? "",
                        alertIDs: [alert]))
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
            UPDATE alert_delivery SET status = $4, message_id = coalesce($5, message_id), error = $6,
                attempts = attempts + (CASE WHEN $4 = 'sending' THEN 1 ELSE 0 END),
                sent_at = CASE WHEN $4 = 'sent' THEN now() ELSE sent_at END
            WHERE subscriber_id = $1 AND channel = $2 AND alert_id = ANY($3::bigint[])
            """,
            [
                String(batch.subscriberID), batch.channel.rawValue,
                PostgresArray.literal(alertIDs), status, messageID, error,
            ])
    }

    /// Sends a batch's alerts: one email for all of them, or one notification each.
    /// - Returns: Why some failed (empty when all went).
    private func send(_ batch: Batch, alerts: [Int64: Alert], digest: Bool, _ db: PostgresConnection) async throws
        -> [String]
    {
        // Strongest first, an entity's alerts of several rules together.
        let strongest = batch.alertIDs.compactMap { alerts[$0] }.sorted {
            ($0.signal.lowerBound, -$0.id) > ($1.signal.lowerBound, -$1.id)
        }
        let entities = strongest.map { "\($0.entityType):\($0.signal.entity)" }
        let ordered = strongest.indices.sorted {
            (entities.firstIndex(of: entities[$0])!, $0) < (entities.firstIndex(of: entities[$1])!, $1)
        }.map { strongest[$0] }
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
                    id = try await mailer.send(message.email(unit, digest: digest, to: batch.email, token: batch.token))
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
        let alerts = try await Self.alerts(Array(Set(batches.flatMap(\.alertIDs))).sorted(), db)
        var reasons: [String] = []
        for batch in batches {
            let failed = try await send(batch, alerts: alerts, digest: frequency == .daily, db)
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
