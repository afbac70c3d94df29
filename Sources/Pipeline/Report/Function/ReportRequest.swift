import LambdaEvents
import Tracker

/// What Report is asked to do.
public enum ReportRequest: Decodable, Sendable, Equatable {
    /// The daily report of a day; `resend` mails subscribers who already had it again; `exportSales` also
    /// exports the day's sales (the scheduled run does both).
    case daily(day: CalendarDay, resend: Bool, exportSales: Bool = false)
    /// A day's sales exported for the lake (`exports/sales/date=…/`), once.
    case exportSales(day: CalendarDay)
    /// The one-off analysis of a range of UTC days (inclusive).
    case analysis(from: CalendarDay, to: CalendarDay)
    /// The analysis someone asked for from the dashboard (its request object's Object Created event): built, and
    /// the request deleted.
    case requested(AnalysisRequest)

    /// The longest range an analysis takes.
    public static let longestAnalysis = AnalysisRequest.longestRange

    private enum Keys: String, CodingKey {
        case date, resend, command, from, to
    }

    /// EventBridge's "Scheduled Event": the UTC day before the event's time, its report and its sales' export (and
    /// any analysis requested and not yet built). An "Object Created" event of a request under
    /// `requests/analysis/`: that analysis. Or
    /// `{"date": "YYYY-MM-DD"}`, with `"resend": true` to mail those who already had it. Or `{"command":
    /// "analysis", "from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}`. Or `{"command": "export-sales", "date":
    /// "YYYY-MM-DD"}`.
    public init(from decoder: any Decoder) throws {
        let trigger = try EventBridgeTrigger.decode(
            from: decoder, function: "Report", accepts: [.scheduled, .objectCreated])
        if case .objectCreated(let key, _) = trigger {
            guard let request = AnalysisRequest(key: key) else {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: decoder.codingPath,
                        debugDescription:
                            "'\(key.prefix(200))' is no analysis request (\(AnalysisRequest.prefix)FROM_TO.json)"))
            }
            self = .requested(request)
            return
        }
        if case .scheduled(let time) = trigger {
            guard let today = CalendarDay(iso: time) else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: decoder.codingPath, debugDescription: "'\(time)' is not an ISO 8601 time"))
            }
            self = .daily(day: today.adding(days: -1), resend: false, exportSales: true)
            return
        }
        let container = try decoder.container(keyedBy: Keys.self)
        func date(_ key: Keys) throws -> CalendarDay {
            let text = try container.decode(String.self, forKey: key)
            guard let day = CalendarDay(iso: text), text.count == 10 else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container, debugDescription: "'\(text)' is not a date as YYYY-MM-DD")
            }
            return day
        }
        if let command = try container.decodeIfPresent(String.self, forKey: .command) {
            if command == "export-sales" {
                self = .exportSales(day: try date(.date))
                return
            }
            guard command == "analysis" else {
                throw DecodingError.dataCorruptedError(
                    forKey: .command, in: container,
                    debugDescription: "unknown command '\(command)' (analysis, export-sales)")
            }
            let from = try date(.from)
            let to = try date(.to)
            let days = to.daysSinceEpoch - from.daysSinceEpoch + 1
            guard days >= 1, days <= Self.longestAnalysis else {
                throw DecodingError.dataCorruptedError(
                    forKey: .to, in: container,
                    debugDescription: "the range \(from.iso) to \(to.iso) must run forwards and span at most "
                        + "\(Self.longestAnalysis) days")
            }
            self = .analysis(from: from, to: to)
            return
        }
        self = .daily(day: try date(.date), resend: try container.decodeIfPresent(Bool.self, forKey: .resend) ?? false)
    }
}
