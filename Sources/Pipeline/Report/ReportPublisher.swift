import Adapters
import Logging
import PDF
import Postgres
import ReadModel
import Tracker

/// What publishing a day's report did.
public struct ReportOutcome: Codable, Sendable, Equatable {
    /// The day, `YYYY-MM-DD`.
    public var date: String
    /// Where the PDF is.
    public var objectKey: String
    public var sales: Int
    public var revenueUSD: String
    public var coverage: Double
    public var pages: Int
    public var bytes: Int
    /// Subscribers mailed now; already mailed before (skipped); whose mail failed.
    public var mailed: Int
    public var alreadyMailed: Int
    public var failed: [String]
}

/// What building a one-off analysis did.
public struct AnalysisOutcome: Codable, Sendable, Equatable {
    public var from: String
    public var to: String
    /// Where the PDF is, and a link that reads it for a week.
    public var objectKey: String
    public var url: String
    public var sales: Int
    public var revenueUSD: String
    public var digitalShare: Double
    public var paidMoreShare: Double?
    public var pages: Int
    public var bytes: Int
}

/// A delivery that failed; the others went out. Thrown after all were tried, so that the invocation is retried
/// and the rerun mails only those.
public struct ReportDeliveryError: Error, CustomStringConvertible, Sendable {
    public var outcome: ReportOutcome
    public var reasons: [String]

    public var description: String {
        "the report of \(outcome.date) was stored at \(outcome.objectKey), but \(reasons.count) of its emails failed "
            + "(a rerun sends only those): \(reasons.prefix(3).joined(separator: "; "))"
    }
}

/// Builds a day's report and delivers it: the PDF to `reports/daily/YYYY-MM-DD.pdf` (replacing an earlier
/// one), a row in `daily_report`, and one email to each active subscriber of the daily report who has not had
/// that day's yet (or to all, when asked to resend). Runs for the same day are serialised by an advisory lock.
public struct ReportPublisher: Sendable {
    let store: any ObjectStore
    let mailer: any Mailer
    let fonts: PDFFontFiles
    let email: ReportEmail
    let logger: Logger

    public init(store: any ObjectStore, mailer: any Mailer, fonts: PDFFontFiles, email: ReportEmail, logger: Logger) {
        self.store = store
        self.mailer = mailer
        self.fonts = fonts
        self.email = email
        self.logger = logger
    }

    /// The key of a day's PDF.
    public static func objectKey(_ day: CalendarDay) -> String { ReportFile.daily(day).key }

    /// The key of a range's analysis.
    public static func analysisKey(from: CalendarDay, to: CalendarDay) -> String {
        ReportFile.analysis(from: from, to: to).key
    }

    /// Builds the analysis of the UTC days `from` to `to` (Components' analysis, for any range) as a PDF, and
    /// stores it at `reports/analysis/FROM_TO.pdf` (replacing an earlier one). Mails nobody: it is asked for.
    public func publishAnalysis(from: CalendarDay, to: CalendarDay, now: Int64, db: PostgresConnection) async throws
        -> AnalysisOutcome
    {
        let analysis = try await SalesAnalysis.readSummaries(db, from: from, to: to)
        let pdf = try SalesAnalysisPDF(fonts: fonts).render(analysis, builtAt: now)
        let key = Self.analysisKey(from: from, to: to)
        _ = try await store.put(key, body: pdf.bytes, contentType: "application/pdf", contentEncoding: nil)
        logger.info(
            "analysis built",
            metadata: ["key": "\(key)", "sales": "\(analysis.sales)", "pages": "\(pdf.pages)"])
        return AnalysisOutcome(
            from: from.iso, to: to.iso, objectKey: key, url: store.presignedURL(for: key, expiresIn: 7 * 86_400),
            sales: analysis.sales, revenueUSD: analysis.revenueUSD.text, digitalShare: analysis.digitalShare,
            paidMoreShare: analysis.overpayment.paidMoreShare, pages: pdf.pages, bytes: pdf.bytes.count)
    }

    /// Publishes the report of `day` as of `now` (seconds since 1970).
    /// - Throws: `ReportDeliveryError` when some emails failed (after the others were sent); what the database,
    ///   the store or the PDF throws.
    public func publish(_ day: CalendarDay, now: Int64, resend: Bool, db: PostgresConnection) async throws
        -> ReportOutcome
    {
        let lock = "report:\(day.iso)"
        let unlock: SQLQuery = "SELECT pg_advisory_unlock(hashtextextended(\(lock), 0))"
        _ = try await db.query("SELECT pg_advisory_lock(hashtextextended(\(lock), 0))")
        do {
            let outcome = try await publishLocked(day, now: now, resend: resend, db: db)
            _ = try await db.query(unlock)
            return outcome
        } catch {
            _ = try? await db.query(unlock)
            throw error
        }
    }

    private func publishLocked(_ day: CalendarDay, now: Int64, resend: Bool, db: PostgresConnection) async throws
        -> ReportOutcome
    {
        let started = ContinuousClock.now
        let report = try await DailyReportQuery().read(day, now: now, from: db)
        let queried = ContinuousClock.now
        let pdf = try DailyReportPDF(fonts: fonts).render(report)
        logger.info(
            "report built",
            metadata: [
                "date": "\(day.iso)", "sales": "\(report.summary.sales)", "pages": "\(pdf.pages)",
                "bytes": "\(pdf.bytes.count)", "query": "\(queried - started)",
                "pdf": "\(ContinuousClock.now - queried)",
            ])
        let key = Self.objectKey(day)
        _ = try await store.put(key, body: pdf.bytes, contentType: "application/pdf", contentEncoding: nil)
        try await db.query(
            """
            INSERT INTO daily_report (report_date, object_key, built_at, sales, revenue_usd, coverage, pages, bytes)
            VALUES (
                \(day.iso)::date, \(key), to_timestamp(\(now)), \(report.summary.sales),
                \(report.summary.revenueUSD.text), \(report.coverage.fraction), \(pdf.pages), \(pdf.bytes.count))
            ON CONFLICT (report_date) DO UPDATE SET object_key = excluded.object_key, built_at = excluded.built_at,
                sales = excluded.sales, revenue_usd = excluded.revenue_usd, coverage = excluded.coverage,
                pages = excluded.pages, bytes = excluded.bytes, builds = daily_report.builds + 1
            """)
        var outcome = ReportOutcome(
            date: day.iso, objectKey: key, sales: report.summary.sales, revenueUSD: report.summary.revenueUSD.text,
            coverage: report.coverage.fraction, pages: pdf.pages, bytes: pdf.bytes.count, mailed: 0,
            alreadyMailed: 0, failed: [])
        var reasons: [String] = []
        let subscribers = try await db.query(
            """
            SELECT s.id, s.email, s.token, coalesce(d.status = 'sent', false) AS sent
            FROM subscriber s LEFT JOIN report_delivery d ON d.subscriber_id = s.id AND d.report_date = \(day.iso)::date
            WHERE s.status = 'active' AND s.daily_report
            ORDER BY s.id
            """
        )
        for row in subscribers {
            let id: Int64 = try row.decode("id")
            let address: String = try row.decode("email")
            let token: String = try row.decode("token")
            if try row.decode("sent") && !resend {
                outcome.alreadyMailed += 1
                continue
            }
            // Claimed before sending: a crash after this leaves 'sending', which a rerun sends again.
            try await db.query(
                """
                INSERT INTO report_delivery (report_date, subscriber_id, status)
                VALUES (\(day.iso)::date, \(id), 'sending')
                ON CONFLICT (report_date, subscriber_id) DO UPDATE SET status = 'sending', error = NULL,
                    attempts = report_delivery.attempts + 1, updated_at = now()
                """)
            do {
                let messageID = try await mailer.send(
                    email.message(report, pdf: pdf.bytes, pages: pdf.pages, to: address, token: token))
                try await db.query(
                    """
                    UPDATE report_delivery SET status = 'sent', message_id = \(messageID), updated_at = now()
                    WHERE report_date = \(day.iso)::date AND subscriber_id = \(id)
                    """)
                outcome.mailed += 1
            } catch let error as PostgresError {
                throw error
            } catch {
                let reason = "subscriber \(id): \(error)"
                try await db.query(
                    """
                    UPDATE report_delivery SET status = 'failed', error = \(String(describing: error)), updated_at = now()
                    WHERE report_date = \(day.iso)::date AND subscriber_id = \(id)
                    """)
                logger.error("report email failed", metadata: ["subscriber": "\(id)", "error": "\(error)"])
                outcome.failed.append(String(id))
                reasons.append(reason)
            }
        }
        guard reasons.isEmpty else { throw ReportDeliveryError(outcome: outcome, reasons: reasons) }
        return outcome
    }
}
