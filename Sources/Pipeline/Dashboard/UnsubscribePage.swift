import LambdaEvents
import Logging
import Postgres
import ReadModel
import Tracker
import Warehouse

/// The unsubscribe page of the report's and the alerts' links (`…/unsubscribe?token=…`, or the Unsubscribe
/// function's URL): a GET shows a button (so that mail scanners following links unsubscribe nobody); a POST, the
/// button's or a mail client's RFC 8058 one-click, unsubscribes. Unsubscribing twice is fine; an unknown token is
/// a 404 that says so.
public enum UnsubscribePage {
    public static func respond(_ request: FunctionURLRequest, db: PostgresConnection, logger: Logger) async throws
        -> FunctionURLResponse
    {
        guard let token = request.query("token"), !token.isEmpty, token.count <= 64 else {
            return .page(
                400, PageFrame.message("No subscription named", "This link has no token: use the link of an email."))
        }
        switch request.method {
        case "POST":
            switch try await Subscribers.unsubscribe(token: token, db: db) {
            case .unsubscribed(let email):
                logger.info("unsubscribed")
                return .page(
                    200,
                    PageFrame.message(
                        "Unsubscribed", "\(email) will get no more reports or alerts from bandcamp-tracker."))
            case .already(let email):
                return .page(200, PageFrame.message("Unsubscribed", "\(email) was already unsubscribed."))
            case .unknown:
                return unknown
            }
        case "GET", "HEAD":
            guard let subscriber = try await Subscribers.find(token: token, db: db) else { return unknown }
            guard subscriber.active else {
                return .page(200, PageFrame.message("Unsubscribed", "\(subscriber.email) is already unsubscribed."))
            }
            return .page(
                200,
                PageFrame.button(
                    "Unsubscribe?", "Stop the daily report and every alert to \(subscriber.email)?",
                    action: "?" + Form.encode([("token", token)]), label: "Unsubscribe"))
        default:
            return DashboardApp.methodNotAllowed
        }
    }

    static let unknown = FunctionURLResponse.page(
        404, PageFrame.message("Unknown link", "No subscription has this link; it may have been mistyped."))
}
