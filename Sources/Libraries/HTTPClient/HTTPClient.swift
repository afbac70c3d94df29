import CCurl
import Dispatch
import Synchronization

/// An HTTP/1.1 client on libcurl.
///
/// Each exchange runs `curl_easy_perform` on a serial queue of its own. Serial queues run on libdispatch's
/// overcommitting threads, which grow as they block; a concurrent queue would share the few, core-bound
/// threads that Swift's cooperative pool also uses on Linux, and blocked transfers would starve the very
/// tasks (a local server's, say) that are to answer them. So a long poll or a slow peer blocks no task. Easy handles are pooled: libcurl keeps each
/// handle's connections open, so a handle taken again reuses the connection to the same host.
public final class HTTPClient: Sendable {
    /// How the client behaves for every request.
    public struct Configuration: Sendable {
        /// The `User-Agent` sent with every request.
        public var userAgent: String
        /// The limit on setting up a connection.
        public var connectTimeout: Duration
        /// Host mappings in libcurl's `CURLOPT_CONNECT_TO` form, `HOST:PORT:CONNECT-HOST:CONNECT-PORT`,
        /// so that requests to another host reach a local stand-in without touching DNS.
        public var connectTo: [String]
        /// Whether to follow redirects (at most 5).
        public var followRedirects: Bool
        /// How many idle handles (and so open connections) to keep.
        public var maximumIdleHandles: Int
        /// The PEM file of certificate authorities that TLS peers are verified against; `nil` keeps libcurl's
        /// built-in default. The default finds the system's bundle, which is not where Debian's libcurl looks
        /// on every Linux (see `CertificateAuthorities`).
        public var certificateAuthorities: String?

        /// A configuration.
        public init(
            userAgent: String = "bandcamp-tracker",
            connectTimeout: Duration = .seconds(10),
            connectTo: [String] = [],
            followRedirects: Bool = false,
            maximumIdleHandles: Int = 8,
            certificateAuthorities: String? = CertificateAuthorities.systemBundle
        ) {
            self.userAgent = userAgent
            self.connectTimeout = connectTimeout
            self.connectTo = connectTo
            self.followRedirects = followRedirects
            self.maximumIdleHandles = maximumIdleHandles
            self.certificateAuthorities = certificateAuthorities
        }
    }

    /// The configuration every request uses.
    public let configuration: Configuration
    private let idleHandles = Mutex<[EasyHandle]>([])

    /// A client.
    public init(configuration: Configuration = Configuration()) {
        _ = curlGlobalInitialisation
        self.configuration = configuration
    }

    deinit {
        for handle in idleHandles.withLock({ $0 }) {
            curl_easy_cleanup(handle.raw)
        }
    }

    /// Sends a request and waits for the whole response without blocking a task's thread.
    ///
    /// Cancelling the waiting task aborts the transfer.
    /// - Throws: `HTTPClientError` when no response could be had; an HTTP error status is a response.
    public func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        let transfer = Transfer()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                DispatchQueue(label: "bandcamp-tracker.http").async {
                    continuation.resume(with: Result { try self.perform(request, transfer: transfer) })
                }
            }
        } onCancel: {
            transfer.cancel()
        }
    }

    /// Sends a request and blocks the calling thread until the whole response is in.
    /// - Throws: `HTTPClientError` when no response could be had.
    public func executeBlocking(_ request: HTTPRequest) throws -> HTTPResponse {
        try perform(request, transfer: Transfer())
    }

    private func takeHandle(method: String, origin: String) throws -> EasyHandle {
        if let handle = idleHandles.withLock({ $0.popLast() }) {
            curl_easy_reset(handle.raw)
            return handle
        }
        guard let raw = curl_easy_init() else {
            throw HTTPClientError(code: .setup, method: method, origin: origin, detail: "curl_easy_init failed")
        }
        return EasyHandle(raw: raw)
    }

    private func returnHandle(_ handle: EasyHandle) {
        let kept = idleHandles.withLock { handles in
            guard handles.count < configuration.maximumIdleHandles else { return false }
            handles.append(handle)
            return true
        }
        if !kept { curl_easy_cleanup(handle.raw) }
    }

    private func perform(_ request: HTTPRequest, transfer: Transfer) throws -> HTTPResponse {
        let origin = HTTPClientError.origin(of: request.url)
        let handle = try takeHandle(method: request.method, origin: origin)
        var handleIsSound = true
        defer {
            if handleIsSound { returnHandle(handle) } else { curl_easy_cleanup(handle.raw) }
        }
        let curl = handle.raw

        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        var connectToList: UnsafeMutablePointer<curl_slist>? = nil
        defer {
            curl_slist_free_all(headerList)
            curl_slist_free_all(connectToList)
        }
        for field in request.headers {
            // libcurl sends a header with an empty value only when written as "Name;".
            let line = field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)"
            headerList = curl_slist_append(headerList, line)
        }
        // No "Expect: 100-continue" round trip before bodies.
        headerList = curl_slist_append(headerList, "Expect:")
        // libcurl labels any body it posts as a form unless told otherwise; a body we send without a type
        // must go without one (a peer would otherwise read XML or JSON as form fields).
        if request.body != nil && request.headers["Content-Type"] == nil {
            headerList = curl_slist_append(headerList, "Content-Type:")
        }
        for mapping in configuration.connectTo {
            connectToList = curl_slist_append(connectToList, mapping)
        }

        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        defer { errorBuffer.deallocate() }

        let transferPointer = Unmanaged.passUnretained(transfer).toOpaque()
        let code: CURLcode = withExtendedLifetime(transfer) {
            request.url.withCString { url in
                _ = bt_curl_setopt_string(curl, CURLOPT_URL, url)
                _ = bt_curl_setopt_long(curl, CURLOPT_NOSIGNAL, 1)
                _ = bt_curl_setopt_pointer(curl, CURLOPT_ERRORBUFFER, errorBuffer)
                _ = bt_curl_setopt_string(curl, CURLOPT_USERAGENT, configuration.userAgent)
                _ = bt_curl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.milliseconds)
                _ = bt_curl_setopt_long(curl, CURLOPT_TIMEOUT_MS, request.timeout?.milliseconds ?? 0)
                _ = bt_curl_setopt_long(curl, CURLOPT_FOLLOWLOCATION, configuration.followRedirects ? 1 : 0)
                _ = bt_curl_setopt_long(curl, CURLOPT_MAXREDIRS, 5)
                _ = bt_curl_setopt_long(curl, CURLOPT_TCP_KEEPALIVE, 1)
                if let bundle = configuration.certificateAuthorities {
                    _ = bt_curl_setopt_string(curl, CURLOPT_CAINFO, bundle)
                }
                _ = bt_curl_setopt_string(curl, CURLOPT_ACCEPT_ENCODING, nil)
                _ = bt_curl_setopt_pointer(curl, CURLOPT_HTTPHEADER, headerList)
                if connectToList != nil {
                    _ = bt_curl_setopt_pointer(curl, CURLOPT_CONNECT_TO, connectToList)
                }
                _ = bt_curl_setopt_data_callback(curl, CURLOPT_WRITEFUNCTION, collectBody)
                _ = bt_curl_setopt_pointer(curl, CURLOPT_WRITEDATA, transferPointer)
                _ = bt_curl_setopt_data_callback(curl, CURLOPT_HEADERFUNCTION, collectHeader)
                _ = bt_curl_setopt_pointer(curl, CURLOPT_HEADERDATA, transferPointer)
                _ = bt_curl_setopt_long(curl, CURLOPT_NOPROGRESS, 0)
                _ = bt_curl_setopt_progress_callback(curl, abortWhenCancelled)
                _ = bt_curl_setopt_pointer(curl, CURLOPT_XFERINFODATA, transferPointer)

                let method = request.method.uppercased()
                let body = request.body ?? []
                return body.withUnsafeBufferPointer { bodyBytes in
                    switch (method, request.body) {
                    case ("GET", nil):
                        _ = bt_curl_setopt_long(curl, CURLOPT_HTTPGET, 1)
                    case ("HEAD", _):
                        _ = bt_curl_setopt_long(curl, CURLOPT_NOBODY, 1)
                    case (_, nil) where method != "POST":
                        _ = bt_curl_setopt_string(curl, CURLOPT_CUSTOMREQUEST, method)
                    default:
                        // libcurl reads the body from our buffer while it sends; it is not copied.
                        _ = bt_curl_setopt_long(curl, CURLOPT_POST, 1)
                        _ = bt_curl_setopt_offset(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bodyBytes.count))
                        let start = bodyBytes.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) }
                        _ = bt_curl_setopt_pointer(curl, CURLOPT_POSTFIELDS, start ?? emptyBody)
                        if method != "POST" {
                            _ = bt_curl_setopt_string(curl, CURLOPT_CUSTOMREQUEST, method)
                        }
                    }
                    return curl_easy_perform(curl)
                }
            }
        }

        guard code == CURLE_OK else {
            handleIsSound = false
            let detail =
                String(cString: errorBuffer).isEmpty
                ? String(cString: curl_easy_strerror(code)) : String(cString: errorBuffer)
            throw HTTPClientError(
                code: transfer.isCancelled ? .cancelled : Self.errorCode(for: code),
                method: request.method, origin: origin, detail: detail)
        }
        var status = 0
        _ = bt_curl_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: transfer.headers, body: transfer.body)
    }

    private static func errorCode(for code: CURLcode) -> HTTPClientError.Code {
        switch code {
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: .invalidURL
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .couldNotResolveHost
        case CURLE_COULDNT_CONNECT: .couldNotConnect
        case CURLE_OPERATION_TIMEDOUT: .timedOut
        case CURLE_ABORTED_BY_CALLBACK: .cancelled
        default: .transport
        }
    }
}

/// libcurl wants one global set-up before any handle, done once and never undone.
private let curlGlobalInitialisation: Void = {
    _ = curl_global_init(Int(CURL_GLOBAL_ALL))
}()

/// One byte that a zero-length body can point at.
nonisolated(unsafe) private let emptyBody = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)

/// A libcurl easy handle; used by one thread at a time, which the pool guarantees.
private struct EasyHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
}

/// What one exchange collects; written only by the thread that performs it.
private final class Transfer: @unchecked Sendable {
    var body: [UInt8] = []
    var headers = HTTPHeaders()
    private let cancelled = Atomic<Bool>(false)

    var isCancelled: Bool { cancelled.load(ordering: .relaxed) }
    func cancel() { cancelled.store(true, ordering: .relaxed) }
}

private let collectBody: bt_curl_data_callback = { buffer, size, count, userdata in
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata!).takeUnretainedValue()
    let length = size * count
    if let buffer, length > 0 {
        transfer.body.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: length))
    }
    return length
}

private let collectHeader: bt_curl_data_callback = { buffer, size, count, userdata in
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata!).takeUnretainedValue()
    let length = size * count
    guard let buffer, length > 0 else { return length }
    let line = String(decoding: UnsafeRawBufferPointer(start: buffer, count: length), as: UTF8.self)
    if line.hasPrefix("HTTP/") {
        // A new status line: an interim response or a redirect came before; keep only the last.
        transfer.headers = HTTPHeaders()
    } else if let colon = line.firstIndex(of: ":") {
        let name = line[..<colon].trimming(httpWhitespace)
        let value = line[line.index(after: colon)...].trimming(httpWhitespace)
        transfer.headers.add(name: name, value: value)
    }
    return length
}

private let abortWhenCancelled: bt_curl_progress_callback = { userdata, _, _, _, _ in
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata!).takeUnretainedValue()
    return transfer.isCancelled ? 1 : 0
}

extension Duration {
    /// Whole milliseconds, rounded up so that a short limit never becomes "none" (0).
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        let millis = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int(max(millis, 1))
    }
}

/// Spaces, tabs and line ends; "\r\n" is one Character in Swift, so it is listed too.
let httpWhitespace: Set<Character> = [" ", "\t", "\r", "\n", "\r\n"]

extension StringProtocol {
    /// The string without the given characters at either end.
    func trimming(_ characters: Set<Character>) -> String {
        guard let first = firstIndex(where: { !characters.contains($0) }) else { return "" }
        let last = lastIndex(where: { !characters.contains($0) })!
        return String(self[first...last])
    }
}
