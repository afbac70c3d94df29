/// A failure to complete an HTTP exchange (not an HTTP error status, which is a response).
///
/// Descriptions name the method, the host and what went wrong, never header values or bodies,
/// so that credentials cannot reach a log through an error.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; callers switch on it to decide whether to retry.
    public enum Code: Sendable, Equatable {
        /// The URL could not be used.
        case invalidURL
        /// The host name did not resolve.
        case couldNotResolveHost
        /// No connection could be made.
        case couldNotConnect
        /// The request took longer than its timeout.
        case timedOut
        /// The task that waited for the response was cancelled.
        case cancelled
        /// The connection broke, or the peer sent something that is not HTTP.
        case transport
        /// libcurl could not be set up.
        case setup
    }

    /// What kind of failure this is.
    public var code: Code
    /// The request's method.
    public var method: String
    /// The request's scheme, host and port, without path, query or credentials.
    public var origin: String
    /// libcurl's own words for the failure.
    public var detail: String

    /// A failure.
    public init(code: Code, method: String, origin: String, detail: String) {
        self.code = code
        self.method = method
        self.origin = origin
        self.detail = detail
    }

    /// Whether trying again may succeed (a timeout, a refused connection, a broken one).
    public var isTransient: Bool {
        switch code {
        case .timedOut, .couldNotConnect, .transport, .couldNotResolveHost: true
        case .invalidURL, .cancelled, .setup: false
        }
    }

    public var description: String {
        "HTTP \(method) \(origin) failed (\(code)): \(detail)"
    }
}

extension HTTPClientError {
    /// The scheme and authority of a URL, without user information: safe to log.
    static func origin(of url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return "(invalid URL)" }
        let afterScheme = url[schemeEnd.upperBound...]
        let authority = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        return String(url[..<schemeEnd.upperBound]) + host
    }
}
