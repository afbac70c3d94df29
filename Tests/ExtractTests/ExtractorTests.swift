import Adapters
import Extract
import Foundation
import Gzip
import HTTPClient
import TestSupport
import Testing
import Tracker

/// A timeline of sales and an extractor over a fresh folder store.
struct Harness {
    let bandcamp: BandcampStandIn
    let store: FolderObjectStore
    let start: Int64 = 1_749_580_000

    init(overlap: Int64 = 0) async throws {
        bandcamp = try await BandcampStandIn(overlap: overlap)
        store = FolderObjectStore(root: NSTemporaryDirectory() + "extract-\(UInt32.random(in: 0...UInt32.max))")
    }

    /// Sales every `spacing` seconds over `hours`, from `from`, with full-precision times and a few
    /// repeated (two items of one second, as the feed has).
    func sales(from: Int64, hours: Int, spacing: Int64 = 97) -> [BandcampStandIn.Sale] {
        let end: Int64 = from + Int64(hours) * 3600
        let seconds: [Int64] = Array(stride(from: from, to: end, by: Int(spacing)))
        return seconds.flatMap { second -> [BandcampStandIn.Sale] in
            let sale = BandcampStandIn.Sale(
                utcDate: "\(second).\(String(second % 9_999_991).suffix(7))",
                url: "//a\(second % 13).bandcamp.com/album/x\(second)",
                itemType: ["a", "t", "p", "b"][Int(second % 4)])
            return second % 5 == 0 ? [sale, BandcampStandIn.Sale(utcDate: sale.utcDate, url: sale.url + "-2")] : [sale]
        }
    }

    func extractor(
        now: Int64, retry: RetryPolicy = RetryPolicy(maximumAttempts: 6, baseDelay: .milliseconds(5)),
        requestTimeout: Duration = .seconds(5), lookback: Duration = .seconds(7200)
    ) -> Extractor {
        var options = Extractor.Options()
        options.initialLookback = lookback
        options.safetyMargin = .milliseconds(300)
        return Extractor(
            feed: SalesfeedClient(
                baseURL: bandcamp.baseURL, http: HTTPClient(), retryPolicy: retry, requestTimeout: requestTimeout),
            store: store, options: options, now: { now })
    }

    /// Every stored window, its items, and whether each equals what was served.
    func stored() async throws -> (windows: [SalesfeedWindow], items: [String], exact: Bool) {
        var windows: [SalesfeedWindow] = []
        var exact = true
        for info in try await store.listAll(prefix: "raw/salesfeed/") {
            let body = try Gzip.decompress(try await store.get(info.key).body)
            let window = try SalesfeedWindow.parse(body)
            windows.append(window)
            // Served for the start asked for (windows that overlap begin before it).
            exact = exact && bandcamp.servedBody(start: window.endDate - 600) == body
        }
        windows.sort { $0.startDate < $1.startDate }
        let items = windows.flatMap(\.items).map { "\($0.utcDate!.description) \($0.url!)" }
        return (windows, items, exact)
    }

    /// The sales before `end` and from `from` on, written as the parser gives them back (a decimal's
    /// canonical form: `…9578440` is `…957844`).
    func expected(from: Int64, upTo end: Int64) -> [String] {
        bandcamp.completeSales(upTo: end).filter { (Double($0.utcDate) ?? 0) >= Double(from) }
            .map { "\(Decimal(string: $0.utcDate)!.description) \($0.url)" }.sorted()
    }

    /// How many whole windows fit between a first start and the complete time.
    static func windows(from start: Int64, completeUntil: Int64) -> Int {
        Int((completeUntil - start) / 600)
    }
}

@Suite("Extract: the feed followed without gaps or duplicates")
struct ExtractorTests {
    @Test("a first run stores every complete window once, exactly as served, and stops caught up")
    func firstRun() async throws {
        let h = try await Harness()
        h.bandcamp.add(h.sales(from: h.start - 7200, hours: 3))
        let now = h.start + 3600
        h.bandcamp.setServerTime(now)
        let summary = try await h.extractor(now: now).run(deadline: .now + .seconds(60))
        #expect(summary.caughtUp && summary.stoppedBecause == .caughtUp)
        let (windows, items, exact) = try await h.stored()
        #expect(exact)
        #expect(windows.count == summary.windows)
        #expect(summary.windows == Harness.windows(from: now - 7200, completeUntil: now - 120))
        // Contiguous: each window starts where the one before ended; none reaches past complete time.
        #expect(zip(windows, windows.dropFirst()).allSatisfy { $0.endDate == $1.startDate })
        #expect(windows.allSatisfy { $0.endDate <= now - 120 })
        #expect(summary.cursor == windows.last?.endDate)
        #expect(items.sorted() == h.expected(from: now - 7200, upTo: summary.cursor))
        #expect(summary.items == items.count)
        #expect(try await FeedCursor.load(from: h.store)?.nextStart == summary.cursor)
        await h.bandcamp.shutdown()
    }

    @Test("a run with nothing new stores nothing and leaves the cursor; after an outage it catches up")
    func repeatAndOutage() async throws {
        let h = try await Harness()
        h.bandcamp.add(h.sales(from: h.start - 3600, hours: 6))
        h.bandcamp.setServerTime(h.start)
        let first = try await h.extractor(now: h.start, lookback: .seconds(3600)).run(deadline: .now + .seconds(60))
        let again = try await h.extractor(now: h.start).run(deadline: .now + .seconds(60))
        #expect(again.windows == 0 && again.cursor == first.cursor && again.caughtUp)
        // Three hours later.
        h.bandcamp.setServerTime(h.start + 3 * 3600)
        let later = try await h.extractor(now: h.start + 3 * 3600).run(deadline: .now + .seconds(60))
        #expect(later.windows == Harness.windows(from: first.cursor, completeUntil: h.start + 3 * 3600 - 120))
        let (windows, items, exact) = try await h.stored()
        #expect(exact)
        #expect(zip(windows, windows.dropFirst()).allSatisfy { $0.endDate == $1.startDate })
        #expect(Set(items).count == items.count)
        #expect(items.sorted() == h.expected(from: h.start - 3600, upTo: later.cursor))
        await h.bandcamp.shutdown()
    }

    @Test("429 with Retry-After, 500s, a truncated body, a page of HTML and a slow answer lose nothing")
    func faults() async throws {
        let h = try await Harness()
        h.bandcamp.add(h.sales(from: h.start - 3600, hours: 2))
        h.bandcamp.setServerTime(h.start)
        h.bandcamp.inject([
            .status(429, retryAfter: "1"), .status(500), .truncated, .notJSON, .slow(.seconds(4)), .status(503),
        ])
        let clock = ContinuousClock()
        let began = clock.now
        let summary = try await h.extractor(
            now: h.start, retry: RetryPolicy(maximumAttempts: 8, baseDelay: .milliseconds(5)),
            // Long enough that no healthy answer times out on a busy machine (the test counts every request).
            requestTimeout: .milliseconds(2000), lookback: .seconds(3600)
        ).run(deadline: .now + .seconds(60))
        #expect(clock.now - began >= .seconds(1))
        #expect(summary.caughtUp)
        #expect(h.bandcamp.requests == summary.windows + 1 + 6)
        let (windows, items, exact) = try await h.stored()
        #expect(exact)
        #expect(windows.count == Harness.windows(from: h.start - 3600, completeUntil: h.start - 120))
        #expect(items.sorted() == h.expected(from: h.start - 3600, upTo: summary.cursor))
        await h.bandcamp.shutdown()
    }

    @Test("a feed that keeps failing ends the run with its reason; nothing is stored, the cursor stays")
    func persistentFailure() async throws {
        let h = try await Harness()
        h.bandcamp.setServerTime(h.start)
        h.bandcamp.inject(Array(repeating: .status(502), count: 10))
        let summary = try await h.extractor(
            now: h.start, retry: RetryPolicy(maximumAttempts: 3, baseDelay: .milliseconds(5))
        )
        .run(deadline: .now + .seconds(60))
        #expect(summary.windows == 0 && !summary.caughtUp)
        #expect(
            summary.stoppedBecause.description.contains("HTTP 502")
                && summary.stoppedBecause.description.contains("3 attempts"))
        #expect(try await h.store.list(prefix: "", startAfter: nil, limit: 10).isEmpty)
        await h.bandcamp.shutdown()
    }

    @Test("near the deadline a run stops, and the next one carries on without a gap")
    func deadline() async throws {
        let h = try await Harness()
        h.bandcamp.add(h.sales(from: h.start - 7200, hours: 3))
        h.bandcamp.setServerTime(h.start + 3600)
        h.bandcamp.inject([.slow(.milliseconds(400)), .slow(.milliseconds(400)), .slow(.milliseconds(400))])
        let short = try await h.extractor(now: h.start + 3600).run(deadline: .now + .milliseconds(1100))
        let total = Harness.windows(from: h.start - 3600, completeUntil: h.start + 3600 - 120)
        #expect(!short.caughtUp && short.windows < total)
        let rest = try await h.extractor(now: h.start + 3600).run(deadline: .now + .seconds(60))
        #expect(rest.caughtUp && short.windows + rest.windows == total)
        let (windows, items, _) = try await h.stored()
        #expect(zip(windows, windows.dropFirst()).allSatisfy { $0.endDate == $1.startDate })
        #expect(Set(items).count == items.count)
        await h.bandcamp.shutdown()
    }

    @Test("overlapping windows are stored as served; every sale is in raw storage, some twice, none lost")
    func overlapping() async throws {
        let h = try await Harness(overlap: 60)
        h.bandcamp.add(h.sales(from: h.start - 3600, hours: 2))
        h.bandcamp.setServerTime(h.start)
        let summary = try await h.extractor(now: h.start, lookback: .seconds(3600)).run(deadline: .now + .seconds(60))
        let (windows, items, _) = try await h.stored()
        #expect(summary.caughtUp && windows.count == summary.windows)
        #expect(Set(items) == Set(h.expected(from: h.start - 3600 - 60, upTo: summary.cursor)))
        #expect(items.count > Set(items).count)
        await h.bandcamp.shutdown()
    }

    @Test("raw keys are dated by the window's start, in UTC")
    func keys() {
        #expect(
            RawKeys.salesfeedWindow(start: 1_749_583_860, end: 1_749_584_460)
                == "raw/salesfeed/2025/06/10/19/1749583860-1749584460.json.gz")
    }
}
