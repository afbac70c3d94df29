import PercentEncoding

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A request through a Lambda function URL (payload format 2.0): the parts our pages read.
public struct FunctionURLRequest: Codable, Sendable {
    public struct Context: Codable, Sendable {
        public struct HTTP: Codable, Sendable {
            public var method: String
            public var path: String?
            public var sourceIp: String?
        }
        public var http: HTTP
        /// The URL's host (`<id>.lambda-url.<region>.on.aws`, or `127.0.0.1:8080` when served locally).
        public var domainName: String?
        /// When the request arrived, milliseconds since 1970.
        public var timeEpoch: Int64?
    }

    public var rawPath: String?
    public var rawQueryString: String?
    public var cookies: [String]?
    public var headers: [String: String]?
    public var requestContext: Context
    public var body: String?
    public var isBase64Encoded: Bool?

    /// A request, as tests and the local server make them.
    public init(
        method: String, path: String = "/", query: String = "", headers: [String: String] = [:],
        cookies: [String] = [], body: String? = nil, sourceIP: String = "127.0.0.1", host: String = "127.0.0.1:8080"
    ) {
        rawPath = path
        rawQueryString = query
        self.cookies = cookies
        self.headers = headers
        requestContext = Context(
            http: Context.HTTP(method: method, path: path, sourceIp: sourceIP), domainName: host, timeEpoch: nil)
        self.body = body
        isBase64Encoded = false
    }

    /// The method, upper case.
    public var method: String { requestContext.http.method.uppercased() }

    /// The path, decoded (`/` when absent).
    public var path: String {
        let raw = rawPath ?? requestContext.http.path ?? "/"
        return raw.isEmpty ? "/" : PercentEncoding.decode(raw, plusIsSpace: false)
    }

    /// The query's parameters, in order, repeated ones kept.
    public var queryItems: [(name: String, value: String)] { Form.parse(rawQueryString ?? "") }

    /// A query parameter (its first value).
    public func query(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }

    /// A header (names are lower case in function URL events).
    public func header(_ name: String) -> String? {
        headers?[name.lowercased()]
    }

    /// The body as text.
    public var text: String {
        guard let body else { return "" }
        guard isBase64Encoded == true, let data = Data(base64Encoded: body) else { return body }
        return String(decoding: data, as: UTF8.self)
    }

    /// The fields of a form posted as `application/x-www-form-urlencoded`.
    public var form: [(name: String, value: String)] { Form.parse(text) }

    /// A cookie's value.
    public func cookie(_ name: String) -> String? {
        for cookie in cookies ?? [] {
            let parts = cookie.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2, trimmedSpaces(parts[0]) == name { return String(parts[1]) }
        }
        return nil
    }

    /// The URL the page was reached by, without path: `https://<host>` on AWS, `http://127.0.0.1:…` locally.
    public var origin: String {
        let scheme = header("x-forwarded-proto") == "http" ? "http" : "https"
        return "\(scheme)://\(requestContext.domainName ?? header("host") ?? "localhost")"
    }

    /// Whether the request came over plain HTTP (only when served locally).
    public var isPlainHTTP: Bool { header("x-forwarded-proto") == "http" }

    /// The address the request came from.
    public var sourceIP: String { requestContext.http.sourceIp ?? "unknown" }
}

/// Text without spaces at either end.
private func trimmedSpaces(_ text: Substring) -> Substring {
    let start = text.firstIndex { $0 != " " } ?? text.endIndex
    let end = text.lastIndex { $0 != " " }.map { text.index(after: $0) } ?? start
    return text[start..<max(start, end)]
}
