import Crypto
import PercentEncoding

#if canImport(Glibc)
    import Glibc
#endif

/// A request as the signer sees it: method, path and query as they go on the wire, header fields, body.
public struct SignableRequest: Sendable, Equatable {
    /// The method, e.g. `GET`.
    public var method: String
    /// The path as sent (percent-encoded where it needs to be), starting with `/`.
    public var path: String
    /// The query string as sent, without `?` (may be empty).
    public var query: String
    /// Header fields; `Host` must be among them.
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: [UInt8]

    /// A request.
    public init(
        method: String, path: String, query: String = "", headers: [(name: String, value: String)],
        body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, compared without regard to case.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    public static func == (lhs: SignableRequest, rhs: SignableRequest) -> Bool {
        lhs.method == rhs.method && lhs.path == rhs.path && lhs.query == rhs.query && lhs.body == rhs.body
            && lhs.headers.elementsEqual(rhs.headers) { $0.name == $1.name && $0.value == $1.value }
    }
}

/// AWS Signature Version 4: header signing and presigned URLs (query signing).
///
/// Two sets of rules: every service's (paths normalised, then URI-encoded again) and S3's (the path as sent,
/// not normalised, not encoded again, and a signed `x-amz-content-sha256`).
public struct SigV4Signer: Sendable {
    /// How the payload enters the signature.
    public enum Payload: Sendable, Equatable {
        /// The SHA-256 of the body.
        case hashOfBody
        /// `UNSIGNED-PAYLOAD` (S3 only).
        case unsigned
    }

    /// Rules that differ between services.
    public struct Options: Sendable, Equatable {
        /// Remove `.` and `..` segments and empty segments from the path (every service but S3).
        public var normalizePath: Bool
        /// URI-encode the path once more (every service but S3, whose paths are encoded once).
        public var doubleEncodePath: Bool
        /// Add a signed `x-amz-content-sha256` header (S3 requires it).
        public var addContentSHA256Header: Bool
        /// What the payload hash is.
        public var payload: Payload
        /// Leave the session token out of the signature and add it afterwards (some services want that).
        public var omitSessionTokenFromSignature: Bool

        /// Options.
        public init(
            normalizePath: Bool = true, doubleEncodePath: Bool = true, addContentSHA256Header: Bool = false,
            payload: Payload = .hashOfBody, omitSessionTokenFromSignature: Bool = false
        ) {
            self.normalizePath = normalizePath
            self.doubleEncodePath = doubleEncodePath
            self.addContentSHA256Header = addContentSHA256Header
            self.payload = payload
            self.omitSessionTokenFromSignature = omitSessionTokenFromSignature
        }

        /// Every service's rules.
        public static let standard = Options()
        /// S3's rules.
        public static let s3 = Options(normalizePath: false, doubleEncodePath: false, addContentSHA256Header: true)
    }

    /// What signing produced, for tests and for debugging a `SignatureDoesNotMatch` (no secret in it).
    public struct Result: Sendable, Equatable {
        public var canonicalRequest: String
        public var stringToSign: String
        public var signature: String
    }

    /// The credentials.
    public let credentials: AWSCredentials
    /// The region, e.g. `eu-west-2`.
    public let region: String
    /// The signing name of the service, e.g. `s3`, `ses`, `sns`, `secretsmanager`.
    public let service: String

    /// A signer.
    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// Signs a request in place with an `Authorization` header (adding `X-Amz-Date`, the session token and,
    /// with S3's rules, `x-amz-content-sha256`).
    /// - Parameters:
    ///   - request: The request; `Host` must be among its headers.
    ///   - date: The signing time.
    ///   - options: The service's rules.
    @discardableResult
    public func signHeaders(_ request: inout SignableRequest, date: AWSDate, options: Options = .standard) -> Result {
        let payloadHash = hash(of: request, options.payload)
        request.headers.append((name: "X-Amz-Date", value: date.timestamp))
        if options.addContentSHA256Header && request.header("x-amz-content-sha256") == nil {
            request.headers.append((name: "x-amz-content-sha256", value: payloadHash))
        }
        if let token = credentials.sessionToken, !options.omitSessionTokenFromSignature {
            request.headers.append((name: "X-Amz-Security-Token", value: token))
        }
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(request.headers)
        let canonicalRequest = [
            request.method, canonicalPath(request.path, options), Self.canonicalQuery(Self.queryPairs(request.query)),
            canonicalHeaders, signedHeaders, payloadHash,
        ].joined(separator: "\n")
        let result = finish(canonicalRequest, date: date)
        request.headers.append(
            (
                name: "Authorization",
                value: "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope(date)), "
                    + "SignedHeaders=\(signedHeaders), Signature=\(result.signature)"
            ))
        if let token = credentials.sessionToken, options.omitSessionTokenFromSignature {
            request.headers.append((name: "X-Amz-Security-Token", value: token))
        }
        return result
    }

    /// Signs a request in its query string (a presigned URL), valid for `expires` seconds.
    /// - Parameters:
    ///   - request: The request; its query gains the `X-Amz-*` parameters and the signature.
    ///   - date: The signing time.
    ///   - expires: How long the URL is valid, in seconds (at most 604,800).
    ///   - options: The service's rules; S3 presigns with `UNSIGNED-PAYLOAD`.
    @discardableResult
    public func presign(_ request: inout SignableRequest, date: AWSDate, expires: Int, options: Options = .standard)
        -> Result
    {
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(request.headers)
        var pairs = Self.queryPairs(request.query)
        var added = [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope(date))"),
            ("X-Amz-Date", date.timestamp),
            ("X-Amz-Expires", String(expires)),
            ("X-Amz-SignedHeaders", signedHeaders),
        ]
        if let token = credentials.sessionToken, !options.omitSessionTokenFromSignature {
            added.append(("X-Amz-Security-Token", token))
        }
        pairs += added
        let canonicalRequest = [
            request.method, canonicalPath(request.path, options), Self.canonicalQuery(pairs), canonicalHeaders,
            signedHeaders, hash(of: request, options.payload),
        ].joined(separator: "\n")
        let result = finish(canonicalRequest, date: date)
        var extra = added
        if let token = credentials.sessionToken, options.omitSessionTokenFromSignature {
            extra.append(("X-Amz-Security-Token", token))
        }
        extra.append(("X-Amz-Signature", result.signature))
        let encoded = extra.map { "\(Self.uriEncode($0.0))=\(Self.uriEncode($0.1))" }.joined(separator: "&")
        request.query = request.query.isEmpty ? encoded : request.query + "&" + encoded
        return result
    }

    private func finish(_ canonicalRequest: String, date: AWSDate) -> Result {
        let stringToSign = [
            "AWS4-HMAC-SHA256", date.timestamp, scope(date), Self.hex(SHA256.hash(data: Array(canonicalRequest.utf8))),
        ].joined(separator: "\n")
        let signature = Self.hex(
            HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: signingKey(date)))
        return Result(canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature)
    }

    private func scope(_ date: AWSDate) -> String {
        "\(date.day)/\(region)/\(service)/aws4_request"
    }

    private func signingKey(_ date: AWSDate) -> SymmetricKey {
        func hmac(_ key: SymmetricKey, _ text: String) -> SymmetricKey {
            SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: key)))
        }
        let secret = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        return hmac(hmac(hmac(hmac(secret, date.day), region), service), "aws4_request")
    }

    private func hash(of request: SignableRequest, _ payload: Payload) -> String {
        switch payload {
        case .unsigned: "UNSIGNED-PAYLOAD"
        case .hashOfBody: Self.sha256Hex(request.body)
        }
    }

    func canonicalPath(_ path: String, _ options: Options) -> String {
        var result = path.isEmpty ? "/" : path
        if options.normalizePath { result = Self.normalize(result) }
        if options.doubleEncodePath { result = Self.uriEncode(result, keepSlash: true) }
        return result
    }

    /// Removes `.`, `..` and empty segments, keeping a leading and a trailing slash.
    static func normalize(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        let trailing = path.hasSuffix("/") && !segments.isEmpty
        return "/" + segments.joined(separator: "/") + (trailing ? "/" : "")
    }

    /// Header fields as the canonical request lists them, and the signed header names.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> (String, String) {
        var values: [String: [String]] = [:]
        for field in headers {
            let name = field.name.lowercased()
            guard !unsignedHeaders.contains(name) else { continue }
            values[name, default: []].append(trimAll(field.value))
        }
        let names = values.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let lines = names.map { "\($0):\(values[$0]!.joined(separator: ","))\n" }.joined()
        return (lines, names.joined(separator: ";"))
    }

    /// Headers that proxies and clients change on the way, so that signing them would break the signature.
    static let unsignedHeaders: Set<String> = [
        "authorization", "user-agent", "x-amzn-trace-id", "expect", "connection", "transfer-encoding",
    ]

    /// Leading and trailing spaces removed, runs of spaces made one.
    static func trimAll(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// The query's parameters, percent-decoded (`+` is kept as itself).
    static func queryPairs(_ query: String) -> [(String, String)] {
        query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (percentDecode(String(parts[0])), parts.count > 1 ? percentDecode(String(parts[1])) : "")
        }
    }

    /// Parameters encoded with AWS's rules, sorted by name then value.
    static func canonicalQuery(_ pairs: [(String, String)]) -> String {
        pairs.map { (uriEncode($0.0), uriEncode($0.1)) }
            .sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// AWS's URI encoding: unreserved characters kept, everything else `%XX` in upper case, `/` kept on request.
    public static func uriEncode(_ text: String, keepSlash: Bool = false) -> String {
        PercentEncoding.encode(text, keepingSlash: keepSlash)
    }

    /// Percent-escapes decoded (`+` kept as itself); malformed escapes are kept as they are.
    static func percentDecode(_ text: String) -> String {
        PercentEncoding.decode(text)
    }

    /// The lower-case hex SHA-256 of some bytes.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        var result = ""
        for byte in digest {
            result.append(lowerHexDigits[Int(byte >> 4)])
            result.append(lowerHexDigits[Int(byte & 0x0F)])
        }
        return result
    }

    private static let lowerHexDigits: [Character] = Array("0123456789abcdef")
}

/// A signing time: `YYYYMMDDTHHMMSSZ` and its day.
public struct AWSDate: Sendable, Equatable {
    /// `20150830T123600Z`.
    public let timestamp: String
    /// `20150830`.
    public var day: String { String(timestamp.prefix(8)) }

    /// The time given in seconds since 1970 (UTC).
    public init(secondsSince1970: Int) {
        var seconds = time_t(secondsSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        timestamp =
            "\(pad(parts.tm_year + 1900, 4))\(pad(parts.tm_mon + 1, 2))\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2))\(pad(parts.tm_min, 2))\(pad(parts.tm_sec, 2))Z"
    }

    /// A time written `YYYYMMDDTHHMMSSZ` (as the test vectors give it) or `YYYY-MM-DDTHH:MM:SSZ`.
    public init?(parsing text: String) {
        let digits = text.filter(\.isNumber)
        guard digits.count == 14, text.hasSuffix("Z") else { return nil }
        let d = Array(digits)
        timestamp = String(d[0..<8]) + "T" + String(d[8..<14]) + "Z"
    }

    /// Now.
    public static func now() -> AWSDate {
        AWSDate(secondsSince1970: Int(time(nil)))
    }
}
