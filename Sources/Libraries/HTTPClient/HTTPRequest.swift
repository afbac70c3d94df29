/// One HTTP request, as the client sends it.
public struct HTTPRequest: Sendable {
    /// The method, e.g. `GET`.
    public var method: String
    /// The absolute URL, already percent-encoded where it needs to be.
    public var url: String
    /// Request header fields.
    public var headers: HTTPHeaders
    /// The body, if any.
    public var body: [UInt8]?
    /// The limit on the whole exchange; `nil` means none (the Runtime API's long poll needs none).
    public var timeout: Duration?

    /// A request.
    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - url: The absolute URL.
    ///   - headers: Header fields to send.
    ///   - body: The body to send, if any.
    ///   - timeout: The limit on the whole exchange, or `nil` for none.
    public init(
        method: String = "GET",
        url: String,
        headers: HTTPHeaders = [:],
        body: [UInt8]? = nil,
        timeout: Duration? = .seconds(30)
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// One HTTP response: status, header fields and the whole body.
public struct HTTPResponse: Sendable {
    /// The status code, e.g. 200.
    public var status: Int
    /// Header fields of the final response (not of any interim `100 Continue`).
    public var headers: HTTPHeaders
    /// The body.
    public var body: [UInt8]

    /// A response.
    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Whether the status is in the 2xx range.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// How long `Retry-After` asks a client to wait, when it is given in seconds (the form the services we
    /// call use), capped at `limit`.
    public func retryAfter(atMost limit: Duration) -> Duration? {
        guard let value = headers["Retry-After"], let seconds = Int(value.trimming(httpWhitespace)), seconds >= 0
        else { return nil }
        return min(.seconds(seconds), limit)
    }
}
