import Foundation
import LocalHTTPServer
import Synchronization

/// A local Bandcamp on 127.0.0.1 that serves the sales feed from a scripted timeline of sales, with the
/// faults the real one has: 429 with Retry-After, 5xx, slow and truncated answers, non-JSON pages, and
/// windows that overlap.
public final class BandcampStandIn: Sendable {
    /// A sale on the timeline.
    public struct Sale: Sendable, Hashable {
        /// The time, as the feed writes it (full precision).
        public var utcDate: String
        public var url: String
        public var itemType: String

        public init(utcDate: String, url: String, itemType: String = "a") {
            self.utcDate = utcDate
            self.url = url
            self.itemType = itemType
        }

        var seconds: Double { Double(utcDate) ?? 0 }
    }

    /// What the next request gets instead of its window.
    public enum Fault: Sendable {
        case status(Int, retryAfter: String? = nil)
        case truncated
        case notJSON
        case slow(Duration)
    }

    /// A page's answers, in order; the last repeats.
    public struct PageScript: Sendable {
        public var answers: [(status: Int, body: [UInt8])]
        public init(_ answers: [(status: Int, body: [UInt8])]) { self.answers = answers }
    }

    private struct State {
        var pages: [String: PageScript] = [:]
        var pageRequests: [String: Int] = [:]
        var inFlight: [String: Int] = [:]
        var maxInFlightPerHost = 0
        var inFlightTotal = 0
        var maxInFlightTotal = 0
        var sales: [Sale] = []
        var serverTime: Int64 = 0
        var faults: [Fault] = []
        var requests = 0
        var served: [Int64: [UInt8]] = [:]
    }

    /// The state behind a lock, shared with the server's responder.
    private final class Shared: Sendable {
        let state = Mutex(State())
    }

    /// The server.
    public let server: LocalHTTPServer
    private let shared: Shared
    private let delay: Int64
    private let windowLength: Int64
    private let overlap: Int64

    /// Starts a stand-in.
    /// - Parameters:
    ///   - delay: `data_delay_sec`.
    ///   - windowLength: Each window's length in seconds.
    ///   - overlap: How far before the asked start each window begins (the feed's overlapping windows).
    public init(delay: Int64 = 120, windowLength: Int64 = 600, overlap: Int64 = 0) async throws {
        let shared = Shared()
        self.shared = shared
        self.delay = delay
        self.windowLength = windowLength
        self.overlap = overlap
        server = try await LocalHTTPServer.start { request in
            await BandcampStandIn.answer(request, shared: shared, delay: delay, length: windowLength, overlap: overlap)
        }
    }

    /// The base URL, for `BANDCAMP_BASE_URL`.
    public var baseURL: String { server.baseURL }

    /// Scripts a release page (`host/path`, as requested through host mapping).
    public func setPage(_ hostAndPath: String, _ script: PageScript) {
        shared.state.withLock { $0.pages[hostAndPath] = script }
    }

    /// How often each page (`host/path`) was asked for.
    public var pageRequests: [String: Int] { shared.state.withLock { $0.pageRequests } }

    /// The most page requests in flight at once: to one host, and in all.
    public var maxInFlight: (perHost: Int, total: Int) {
        shared.state.withLock { ($0.maxInFlightPerHost, $0.maxInFlightTotal) }
    }

    /// Adds sales to the timeline.
    public func add(_ sales: [Sale]) { shared.state.withLock { $0.sales += sales } }

    /// Sets the server's clock.
    public func setServerTime(_ seconds: Int64) { shared.state.withLock { $0.serverTime = seconds } }

    /// Queues faults for the next requests, in order.
    public func inject(_ faults: [Fault]) { shared.state.withLock { $0.faults += faults } }

    /// Requests answered so far.
    public var requests: Int { shared.state.withLock { $0.requests } }

    /// The body served for a window's start (the last one, when served more than once).
    public func servedBody(start: Int64) -> [UInt8]? { shared.state.withLock { $0.served[start] } }

    /// Every sale whose window is complete at the current server time.
    public func completeSales(upTo end: Int64) -> Set<Sale> {
        shared.state.withLock { Set($0.sales.filter { $0.seconds < Double(end) }) }
    }

    public func shutdown() async { await server.shutdown() }

    /// A release page, by the Host header and the path.
    private static func page(_ request: LocalHTTPRequest, shared: Shared) async -> LocalHTTPReply {
        let host = (request.header("Host") ?? "").split(separator: ":").first.map(String.init) ?? ""
        let key = host + request.path
        let answer = shared.state.withLock { state -> (status: Int, body: [UInt8])? in
            state.pageRequests[key, default: 0] += 1
            state.inFlight[host, default: 0] += 1
            state.inFlightTotal += 1
            state.maxInFlightPerHost = max(state.maxInFlightPerHost, state.inFlight[host]!)
            state.maxInFlightTotal = max(state.maxInFlightTotal, state.inFlightTotal)
            guard var script = state.pages[key] else { return nil }
            let answer = script.answers.first!
            if script.answers.count > 1 { script.answers.removeFirst() }
            state.pages[key] = script
            return answer
        }
        try? await Task.sleep(for: .milliseconds(30))
        shared.state.withLock { state in
            state.inFlight[host, default: 1] -= 1
            state.inFlightTotal -= 1
        }
        guard let answer else { return .text(404, "no such page: \(key)") }
        return .response(
            status: answer.status, headers: [("Content-Type", "text/html; charset=utf-8")], body: answer.body)
    }

    private static func answer(
        _ request: LocalHTTPRequest, shared: Shared, delay: Int64, length: Int64, overlap: Int64
    ) async -> LocalHTTPReply {
        guard request.path == "/api/salesfeed/1/get", let start = request.query("start_date").flatMap({ Int64($0) })
        else { return await page(request, shared: shared) }
        let (fault, body) = shared.state.withLock { state -> (Fault?, [UInt8]) in
            state.requests += 1
            let fault = state.faults.isEmpty ? nil : state.faults.removeFirst()
            let from = start - overlap
            let to = from + length + overlap
            let items = state.sales.filter { $0.seconds >= Double(from) && $0.seconds < Double(to) }
                .sorted { $0.seconds < $1.seconds }
            let events = items.map { sale in
                """
                {"event_type":"sale","utc_date":\(sale.utcDate),"items":[{"utc_date":\(sale.utcDate),\
                "artist_name":"Artist","item_type":"\(sale.itemType)","item_description":"Release","currency":"USD",\
                "amount_paid":7.5,"item_price":7,"amount_paid_usd":7.5,"country":"Iceland","country_code":"is",\
                "url":"\(sale.url)","amount_paid_fmt":"$7.50"}]}
                """
            }
            let json = """
                {"start_date":\(from),"end_date":\(to),"data_delay_sec":\(delay),"events":[\(events.joined(separator: ","))],\
                "server_time":\(state.serverTime)}
                """
            let body = Array(json.utf8)
            if fault == nil { state.served[start] = body }
            return (fault, body)
        }
        switch fault {
        case .status(let code, let retryAfter)?:
            return .response(
                status: code, headers: retryAfter.map { [("Retry-After", $0)] } ?? [], body: Array("busy".utf8))
        case .truncated?:
            return .truncated(status: 200, body: Array(body.prefix(body.count / 2)), declaredLength: body.count)
        case .notJSON?:
            return .text(200, "<html><body>Bandcamp is down for maintenance</body></html>", contentType: "text/html")
        case .slow(let duration)?:
            try? await Task.sleep(for: duration)
            return .response(status: 200, headers: [("Content-Type", "application/json")], body: body)
        case .none:
            return .response(status: 200, headers: [("Content-Type", "application/json")], body: body)
        }
    }
}

extension BandcampStandIn {
    /// A stand-in with a sale every `every` seconds over the last `span` seconds, its clock at now.
    public static func withRecentSales(span: Int64, every: Int64) async throws -> BandcampStandIn {
        let bandcamp = try await BandcampStandIn()
        let now = Int64(Date().timeIntervalSince1970)
        bandcamp.add(
            stride(from: now - span, to: now, by: Int64.Stride(every)).map {
                Sale(utcDate: "\($0).5", url: "//artist.bandcamp.com/album/a\($0)")
            })
        bandcamp.setServerTime(now)
        return bandcamp
    }

    /// The settings that send Extract's feed and page requests here, over plain HTTP.
    public var environment: [String: String] {
        [
            "BANDCAMP_BASE_URL": baseURL, "BANDCAMP_CONNECT_TO": "::127.0.0.1:\(server.port)",
            "BANDCAMP_PAGE_SCHEME": "http",
        ]
    }
}
