import Foundation
import Testing

@testable import RuntimeShim

@Suite("--serve: HTTP requests as function URL events, and responses back")
struct LocalHTTPServingTests {
    func request(_ method: String, _ target: String, headers: [(String, String)] = [], body: String = "")
        -> HTTPRequestHead
    {
        HTTPRequestHead(
            method: method, target: target, version: "HTTP/1.1", headers: headers, body: Array(body.utf8),
            sourceIP: "127.0.0.1", serverHost: "127.0.0.1:8080")
    }

    func event(_ request: HTTPRequestHead) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(FunctionURLEvent.encode(request, requestID: "r1")))
            as! [String: Any]
    }

    @Test("the event has payload format 2.0's fields: raw path and query, cookies apart, headers joined")
    func event() throws {
        let made = try event(
            request(
                "POST", "/a%20b/?x=1&x=2&y=%C3%A9",
                headers: [
                    ("Host", "127.0.0.1:8080"), ("Cookie", "a=1; b=2"), ("Cookie", "c=3"), ("Accept", "text/html"),
                    ("Accept", "*/*"), ("Content-Type", "application/x-www-form-urlencoded"),
                ], body: "k=v&w=%3C"))
        #expect(made["version"] as? String == "2.0" && made["routeKey"] as? String == "$default")
        #expect(made["rawPath"] as? String == "/a%20b/" && made["rawQueryString"] as? String == "x=1&x=2&y=%C3%A9")
        #expect(made["cookies"] as? [String] == ["a=1", "b=2", "c=3"])
        let headers = made["headers"] as? [String: String] ?? [:]
        #expect(
            headers["accept"] == "text/html,*/*" && headers["cookie"] == nil && headers["x-forwarded-proto"] == "http")
        #expect(made["queryStringParameters"] as? [String: String] == ["x": "1,2", "y": "é"])
        #expect(made["body"] as? String == "k=v&w=%3C" && made["isBase64Encoded"] as? Bool == false)
        let context = made["requestContext"] as? [String: Any] ?? [:]
        let http = context["http"] as? [String: Any] ?? [:]
        #expect(http["method"] as? String == "POST" && http["path"] as? String == "/a b/")
        #expect(http["sourceIp"] as? String == "127.0.0.1" && context["domainName"] as? String == "127.0.0.1:8080")
        #expect(context["requestId"] as? String == "r1")
    }

    @Test("a binary body is base64, as a function URL sends it")
    func binaryBody() throws {
        var head = request("PUT", "/", headers: [("Content-Type", "application/octet-stream")])
        head.body = [0, 255, 1]
        let made = try event(head)
        #expect(made["isBase64Encoded"] as? Bool == true && made["body"] as? String == "AP8B")
    }

    @Test("a response with statusCode is taken apart; anything else is a 200 JSON body")
    func responses() {
        let full = String(
            decoding: HTTPResponseWriter.fromFunctionResponse(
                Array(
                    #"{"statusCode":303,"headers":{"location":"/x\r\nInjected: 1"},"cookies":["a=1; HttpOnly","b=2"],"body":"aGk=","isBase64Encoded":true}"#
                        .utf8)), as: UTF8.self)
        #expect(full.hasPrefix("HTTP/1.1 303 See Other\r\n"))
        #expect(full.contains("location: /xInjected: 1\r\n") && !full.contains("\r\nInjected"))
        #expect(full.contains("set-cookie: a=1; HttpOnly\r\nset-cookie: b=2\r\n"))
        #expect(full.contains("content-length: 2\r\n") && full.hasSuffix("\r\n\r\nhi"))
        let bare = String(decoding: HTTPResponseWriter.fromFunctionResponse(Array(#"{"ok":true}"#.utf8)), as: UTF8.self)
        #expect(bare.hasPrefix("HTTP/1.1 200 OK\r\n") && bare.contains("content-type: application/json"))
        #expect(bare.hasSuffix(#"{"ok":true}"#))
    }

    @Test("the address must be an IPv4 host and a port")
    func addresses() throws {
        #expect(throws: (any Error).self) { try LocalHTTPServing.listen(on: "localhost") }
        #expect(throws: (any Error).self) { try LocalHTTPServing.listen(on: "example.org:80") }
        let (socket, bound) = try LocalHTTPServing.listen(on: "127.0.0.1:0")
        defer { close(socket) }
        #expect(bound.hasPrefix("127.0.0.1:") && bound != "127.0.0.1:0")
    }
}
