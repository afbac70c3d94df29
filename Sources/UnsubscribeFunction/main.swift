import AWS
import Adapters
import PercentEncoding
import RuntimeShim
import Tracker
import Warehouse

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A request through a Lambda function URL (payload format 2.0): the parts this page reads.
struct FunctionURLRequest: Decodable, Sendable {
    struct Context: Decodable, Sendable {
        struct HTTP: Decodable, Sendable {
            var method: String
        }
        var http: HTTP
    }

    var rawQueryString: String?
    var requestContext: Context
    var body: String?
    var isBase64Encoded: Bool?

    /// A query parameter.
    func query(_ name: String) -> String? {
        for pair in (rawQueryString ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if PercentEncoding.decode(String(parts[0]), plusIsSpace: true) == name {
                return parts.count > 1 ? PercentEncoding.decode(String(parts[1]), plusIsSpace: true) : ""
            }
        }
        return nil
    }

    /// The body as text.
    var text: String {
        guard let body else { return "" }
        guard isBase64Encoded == true, let data = Data(base64Encoded: body) else { return body }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A function URL's response: an HTML page.
struct FunctionURLResponse: Encodable, Sendable {
    var statusCode: Int
    var headers: [String: String]
    var body: String
    var isBase64Encoded = false

    init(status: Int, title: String, message: String, form: String? = nil) {
        statusCode = status
        headers = [
            "content-type": "text/html; charset=utf-8", "cache-control": "no-store",
            "x-content-type-options": "nosniff", "referrer-policy": "no-referrer",
        ]
        let e = HTML.escape
        body = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>\(e(title))</title></head>
            <body style="font-family:Helvetica,Arial,sans-serif;color:#1f2933;max-width:520px;margin:60px auto;padding:0 20px">
            <h1 style="font-size:22px">\(e(title))</h1>
            <p>\(e(message))</p>
            \(form ?? "")
            </body></html>

            """
    }
}

/// The unsubscribe page of the report's and the alerts' links (`UNSUBSCRIBE_URL?token=…`): a GET shows a button
/// (so that mail scanners following links unsubscribe nobody); a POST, the button's or a mail client's RFC 8058
/// one-click, unsubscribes. Unsubscribing twice is fine; an unknown token is a 404 that says so.
struct UnsubscribeHandler: LambdaHandler {
    let database: WarehouseDatabase

    func handle(_ request: FunctionURLRequest, context: LambdaContext) async throws -> FunctionURLResponse {
        guard let token = request.query("token"), !token.isEmpty, token.count <= 64 else {
            return FunctionURLResponse(
                status: 400, title: "No subscription named",
                message: "This link has no token: use the link of an email.")
        }
        let method = request.requestContext.http.method.uppercased()
        return try await database.withConnection { db in
            if method == "POST" {
                switch try await Subscribers.unsubscribe(token: token, db: db) {
                case .unsubscribed(let email):
                    context.logger.info("unsubscribed")
                    return FunctionURLResponse(
                        status: 200, title: "Unsubscribed",
                        message: "\(email) will get no more reports or alerts from bandcamp-tracker.")
                case .already(let email):
                    return FunctionURLResponse(
                        status: 200, title: "Unsubscribed", message: "\(email) was already unsubscribed.")
                case .unknown:
                    return Self.unknown
                }
            }
            guard let subscriber = try await Subscribers.find(token: token, db: db) else { return Self.unknown }
            guard subscriber.active else {
                return FunctionURLResponse(
                    status: 200, title: "Unsubscribed", message: "\(subscriber.email) is already unsubscribed.")
            }
            return FunctionURLResponse(
                status: 200, title: "Unsubscribe?",
                message: "Stop the daily report and every alert to \(subscriber.email)?",
                form: """
                    <form method="post" action="?token=\(HTML.escape(PercentEncoding.encode(token)))">\
                    <button type="submit" style="font-size:16px;padding:8px 18px">Unsubscribe</button></form>
                    """)
        }
    }

    static let unknown = FunctionURLResponse(
        status: 404, title: "Unknown link", message: "No subscription has this link; it may have been mistyped.")

    func shutdown() async {
        database.close()
    }
}

await Lambda.main { setup in
    let settings = try Settings.load(
        environment: setup.environment.variables, needs: [.database],
        workingDirectory: setup.environment.workingDirectory)
    let database = WarehouseDatabase(
        settings: settings, adapters: AdapterFactory(environment: setup.environment.variables), logger: setup.logger)
    setup.logger.info("ready", metadata: ["database": "\(settings.databaseURL)"])
    return UnsubscribeHandler(database: database)
}
