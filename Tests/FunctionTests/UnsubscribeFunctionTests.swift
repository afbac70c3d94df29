import Foundation
import Postgres
import TestSupport
import Testing

@Suite("UnsubscribeFunction as a process: the link of every email, behind a function URL")
struct UnsubscribeFunctionTests {
    /// A function URL's request (payload format 2.0) as Lambda sends it.
    static func request(_ method: String, query: String, body: String? = nil, base64: Bool = false) -> Data {
        var event: [String: Any] = [
            "version": "2.0", "routeKey": "$default", "rawPath": "/", "rawQueryString": query,
            "headers": ["content-type": "application/x-www-form-urlencoded"],
            "requestContext": ["http": ["method": method, "path": "/"], "requestId": "r"], "isBase64Encoded": base64,
        ]
        if let body { event["body"] = base64 ? Data(body.utf8).base64EncodedString() : body }
        return try! JSONSerialization.data(withJSONObject: event)
    }

    static func respond(_ home: LoadHome, _ request: Data) async throws -> (status: Int, body: String) {
        let result = try await FunctionProcess.run("UnsubscribeFunction", environment: home.environment, input: request)
        #expect(result.status == 0, "\(result.stderr)")
        let response = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect((response?["headers"] as? [String: String])?["content-type"] == "text/html; charset=utf-8")
        return (response?["statusCode"] as? Int ?? 0, response?["body"] as? String ?? "")
    }

    @Test("a GET asks, a POST (the button, or a mail client's one-click) unsubscribes, once; unknown links are named")
    func unsubscribes() async throws {
        let home = try await LoadHome("fnunsub")
        // The first request migrates the warehouse; no subscriber has this token.
        let unknown = try await Self.respond(home, Self.request("GET", query: "token=nope"))
        #expect(unknown.status == 404 && unknown.body.contains("Unknown link"))
        let missing = try await Self.respond(home, Self.request("GET", query: ""))
        #expect(missing.status == 400)

        let db = try await PostgresConnection.connect(url: home.databaseURL)
        let token = try await db.query(
            "INSERT INTO subscriber (email, status) VALUES ('a&b<x>@example.org', 'active') RETURNING token"
        ).scalarText!
        let other = try await db.query(
            "INSERT INTO subscriber (email, status) VALUES ('other@example.org', 'active') RETURNING token"
        ).scalarText!

        let asked = try await Self.respond(home, Self.request("GET", query: "token=\(token)"))
        #expect(asked.status == 200 && asked.body.contains("<form method=\"post\" action=\"?token=\(token)\">"))
        #expect(asked.body.contains("a&amp;b&lt;x&gt;@example.org") && !asked.body.contains("<x>"))
        #expect(try await db.query("SELECT status FROM subscriber WHERE token = $1", [token]).scalarText == "active")

        let done = try await Self.respond(
            home, Self.request("POST", query: "token=\(token)", body: "List-Unsubscribe=One-Click", base64: true))
        #expect(done.status == 200 && done.body.contains("will get no more reports or alerts"))
        let row = try await db.query(
            "SELECT status, unsubscribed_at IS NOT NULL FROM subscriber WHERE token = $1", [token]
        ).rows
        #expect(row == [["unsubscribed", "t"]])
        let again = try await Self.respond(home, Self.request("POST", query: "token=\(token)"))
        #expect(again.status == 200 && again.body.contains("was already unsubscribed"))
        let after = try await Self.respond(home, Self.request("GET", query: "token=\(token)"))
        #expect(after.body.contains("is already unsubscribed") && !after.body.contains("<form"))
        // Nobody else was touched.
        #expect(try await db.query("SELECT status FROM subscriber WHERE token = $1", [other]).scalarText == "active")
    }
}
