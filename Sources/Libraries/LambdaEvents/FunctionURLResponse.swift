#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A function URL's response.
public struct FunctionURLResponse: Codable, Sendable, Equatable {
    public var statusCode: Int
    public var headers: [String: String]
    /// `Set-Cookie` values.
    public var cookies: [String]
    public var body: String
    public var isBase64Encoded = false

    /// An HTML page, never cached, with headers that keep it to itself: no framing, no scripts, no referrer.
    public static func html(_ status: Int, markup body: String, cookies: [String] = []) -> FunctionURLResponse {
        FunctionURLResponse(
            statusCode: status, headers: securityHeaders(contentType: "text/html; charset=utf-8"), cookies: cookies,
            body: body)
    }

    /// A redirect after a form (303: the browser follows with a GET).
    public static func redirect(_ location: String, cookies: [String] = []) -> FunctionURLResponse {
        var headers = securityHeaders(contentType: "text/plain; charset=utf-8")
        headers["location"] = location
        return FunctionURLResponse(statusCode: 303, headers: headers, cookies: cookies, body: "See \(location)\n")
    }

    /// A file to download (base64 in the response, as Lambda wants bytes), shown by the browser where it can
    /// (`inline`) and saved under `filename` otherwise, or always saved (`attachment`).
    public static func download(_ bytes: [UInt8], contentType: String, filename: String, attachment: Bool = false)
        -> FunctionURLResponse
    {
        var headers = securityHeaders(contentType: contentType)
        let safeName = String(
            filename.unicodeScalars.filter { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 32 })
        headers["content-disposition"] = "\(attachment ? "attachment" : "inline"); filename=\"\(safeName)\""
        return FunctionURLResponse(
            statusCode: 200, headers: headers, cookies: [], body: Data(bytes).base64EncodedString(),
            isBase64Encoded: true)
    }

    /// The headers of every response: content type, no caching, and a policy allowing only the page's own
    /// inline styles and SVG (no scripts at all, no framing, nothing from elsewhere).
    static func securityHeaders(contentType: String) -> [String: String] {
        [
            "content-type": contentType,
            "cache-control": "no-store",
            "x-content-type-options": "nosniff",
            "referrer-policy": "no-referrer",
            "strict-transport-security": "max-age=31536000",
            "x-frame-options": "DENY",
            "content-security-policy":
                "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
                + "frame-ancestors 'none'; base-uri 'none'",
        ]
    }
}
