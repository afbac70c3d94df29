import Dispatch
import Logging
import PercentEncoding
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// The function URL event (payload format 2.0) of a request, as Lambda builds it.
package struct FunctionURLEvent: Encodable {
    struct Context: Encodable {
        struct HTTP: Encodable {
            var method: String
            var path: String
            var `protocol`: String
            var sourceIp: String
            var userAgent: String
        }
        var accountId = "anonymous"
        var apiId = "local"
        var domainName: String
        var domainPrefix = "local"
        var http: HTTP
        var requestId: String
        var routeKey = "$default"
        var stage = "$default"
        var time: String
        var timeEpoch: Int64
    }

    var version = "2.0"
    var routeKey = "$default"
    var rawPath: String
    var rawQueryString: String
    var cookies: [String]?
    var headers: [String: String]
    var queryStringParameters: [String: String]?
    var requestContext: Context
    var body: String?
    var isBase64Encoded: Bool

    package static func encode(_ request: HTTPRequestHead, requestID: String) throws -> [UInt8] {
        let parts = request.target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let rawPath = String(parts[0])
        let rawQuery = parts.count > 1 ? String(parts[1]) : ""
        // Repeated headers joined with commas, as a function URL joins them: one pass, whatever their number.
        var headers: [String: String] = [:]
        for (name, value) in request.headers {
            let key = name.lowercased()
            guard key != "cookie" else { continue }
            headers[key] = headers[key].map { $0 + "," + value } ?? value
        }
        // A function URL is reached over HTTPS; here it is plain HTTP, and the handler may need to know.
        headers["x-forwarded-proto"] = "http"
        headers["x-forwarded-for"] = request.sourceIP
        headers["host"] = headers["host"] ?? request.serverHost
        let cookies = request.headers.filter { $0.name.lowercased() == "cookie" }
            .flatMap { $0.value.split(separator: ";") }
            .map { $0.trimmedOfSpaces }.filter { !$0.isEmpty }
        var parameters: [String: String] = [:]
        for (name, value) in PercentEncoding.formPairs(rawQuery) {
            parameters[name] = parameters[name].map { $0 + "," + value } ?? value
        }
        let text = String(validating: request.body, as: UTF8.self)
        let contentType = (headers["content-type"] ?? "").lowercased()
        let textual =
            contentType.isEmpty || contentType.hasPrefix("text/") || contentType.contains("json")
            || contentType.contains("xml") || contentType.contains("x-www-form-urlencoded")
        let base64 = !request.body.isEmpty && (text == nil || !textual)
        let now = WallClock.nowMilliseconds()
        let event = FunctionURLEvent(
            rawPath: rawPath, rawQueryString: rawQuery, cookies: cookies.isEmpty ? nil : cookies, headers: headers,
            queryStringParameters: parameters.isEmpty ? nil : parameters,
            requestContext: Context(
                // The address served, never the request's Host: a link made from it must not be the client's.
                domainName: request.serverHost,
                http: Context.HTTP(
                    method: request.method, path: PercentEncoding.decode(rawPath, plusIsSpace: false),
                    protocol: request.version, sourceIp: request.sourceIP, userAgent: headers["user-agent"] ?? ""),
                requestId: requestID, time: String(now / 1000), timeEpoch: now),
            body: request.body.isEmpty ? nil : base64 ? Data(request.body).base64EncodedString() : text,
            isBase64Encoded: base64)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(event))
    }
}
