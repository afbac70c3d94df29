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

/// HTTP responses: the function's, as a function URL turns it into one, and the server's own.
enum HTTPResponseWriter {
    private struct FunctionResponse: Decodable {
        var statusCode: Int?
        var headers: [String: String]?
        var cookies: [String]?
        var body: String?
        var isBase64Encoded: Bool?
    }

    /// A function URL's reading of a response: an object with `statusCode` is a full response; anything else
    /// is the body of a 200 `application/json` response.
    static func fromFunctionResponse(_ bytes: [UInt8]) -> [UInt8] {
        guard let response = try? JSONDecoder().decode(FunctionResponse.self, from: Data(bytes)),
            let status = response.statusCode
        else {
            return message(200, headers: [("content-type", "application/json")], body: bytes)
        }
        var body = Array((response.body ?? "").utf8)
        if response.isBase64Encoded == true {
            guard let decoded = Data(base64Encoded: response.body ?? "") else {
                return plain(502, "Internal Server Error\n")
            }
            body = Array(decoded)
        }
        var headers = (response.headers ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        headers += (response.cookies ?? []).map { ("set-cookie", $0) }
        return message(status, headers: headers, body: body)
    }

    /// A response's head alone (its Content-Length kept), the answer to a HEAD.
    static func withoutBody(_ response: [UInt8]) -> [UInt8] {
        guard let end = HTTPRequestReader.find([13, 10, 13, 10], in: response) else { return response }
        return Array(response[..<(end + 4)])
    }

    static func plain(_ status: Int, _ text: String) -> [UInt8] {
        message(status, headers: [("content-type", "text/plain; charset=utf-8")], body: Array(text.utf8))
    }

    static func message(_ status: Int, headers: [(String, String)], body: [UInt8]) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(reason(status))\r\n"
        for (name, value) in headers
        where !["content-length", "connection", "transfer-encoding"].contains(name.lowercased()) {
            // A header value never carries a line break into the response.
            // ("\r\n" is one Character in Swift: filter scalars, not characters.)
            var clean = String.UnicodeScalarView()
            clean.append(contentsOf: value.unicodeScalars.filter { $0 != "\r" && $0 != "\n" })
            head += "\(name): \(String(clean))\r\n"
        }
        head += "content-length: \(body.count)\r\nconnection: close\r\n\r\n"
        return Array(head.utf8) + body
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}
