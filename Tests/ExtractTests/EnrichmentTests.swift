import Adapters
import Extract
import Foundation
import Gzip
import HTTPClient
import TestSupport
import Testing
import Tracker

@Suite("Enrichment: each new release's page fetched once, politely, never holding back a sale")
struct EnrichmentTests {
    static let page = Array(try! Data(contentsOf: Pages.folder.appendingPathComponent("2025-album-cratediggers.html")))

    func extractor(_ h: Harness, now: Int64) -> Extractor {
        let pages = HTTPClient(configuration: .init(connectTo: ["::127.0.0.1:\(h.bandcamp.server.port)"]))
        var options = ReleaseEnricher.Options()
        options.pageScheme = "http"
        let enricher = ReleaseEnricher(
            http: pages, store: h.store, options: options,
            retryPolicy: RetryPolicy(maximumAttempts: 3, baseDelay: .milliseconds(5)), now: { now })
        var extractOptions = Extractor.Options()
        extractOptions.initialLookback = .seconds(3600)
        return Extractor(
            feed: SalesfeedClient(
                baseURL: h.bandcamp.baseURL, http: HTTPClient(),
                retryPolicy: RetryPolicy(maximumAttempts: 3, baseDelay: .milliseconds(5))),
            enricher: enricher, store: h.store, options: extractOptions, now: { now })
    }

    /// Sales over the hour before `start`, on 12 releases of 4 hosts.
    func sales(_ h: Harness) -> [BandcampStandIn.Sale] {
        (0..<60).map { index in
            BandcampStandIn.Sale(
                utcDate: "\(h.start - 3500 + Int64(index) * 50).25",
                url: "//label\(index % 4).bandcamp.com/album/release-\(index % 12)")
        }
    }

    func record(_ h: Harness, _ url: String) async throws -> ReleaseEnricher.Record? {
        guard try await h.store.head(RawKeys.releasePage(url)) != nil else { return nil }
        let body = try Gzip.decompress(try await h.store.get(RawKeys.releasePage(url)).body)
        return try JSONDecoder().decode(ReleaseEnricher.Record.self, from: Data(body))
    }

    @Test("every new release's page is fetched once, parsed and stored; the next run asks for none again")
    func onceEach() async throws {
        let h = try await Harness()
        h.bandcamp.add(sales(h))
        h.bandcamp.setServerTime(h.start)
        for index in 0..<12 {
            h.bandcamp.setPage("label\(index % 4).bandcamp.com/album/release-\(index)", .init([(200, Self.page)]))
        }
        let summary = try await extractor(h, now: h.start).run(deadline: .now + .seconds(60))
        #expect(summary.releases == ReleaseEnricher.Summary(fetched: 12, known: 0, gone: 0, pending: 0))
        let stored = try #require(try await record(h, "https://label1.bandcamp.com/album/release-5"))
        #expect(stored.status == .ok)
        #expect(stored.page?.genres.map(\.key) == ["90s-golden-age-hip-hop", "hip-hop-rap"])
        #expect(stored.page?.place?.name == "Long Branch")
        #expect(stored.page?.url == "https://label1.bandcamp.com/album/release-5")
        // More sales of the same releases later: nothing fetched again.
        h.bandcamp.add(
            (0..<12).map {
                BandcampStandIn.Sale(
                    utcDate: "\(h.start + Int64($0) * 60).5", url: "//label\($0 % 4).bandcamp.com/album/release-\($0)")
            })
        h.bandcamp.setServerTime(h.start + 1800)
        let again = try await extractor(h, now: h.start + 1800).run(deadline: .now + .seconds(60))
        #expect(again.windows > 0 && again.releases?.fetched == 0 && again.releases?.known == 12)
        #expect(h.bandcamp.pageRequests.values.allSatisfy { $0 == 1 })
        // Politely: never two requests at once to one host, at most four in all.
        #expect(h.bandcamp.maxInFlight.perHost == 1 && h.bandcamp.maxInFlight.total <= 4)
        await h.bandcamp.shutdown()
    }

    @Test("5xx and 429 are retried, a 404 or 403 is stored as gone, a page that keeps failing waits for a later run")
    func failures() async throws {
        let h = try await Harness()
        h.bandcamp.add(sales(h))
        h.bandcamp.setServerTime(h.start)
        for index in 0..<12 {
            h.bandcamp.setPage("label\(index % 4).bandcamp.com/album/release-\(index)", .init([(200, Self.page)]))
        }
        h.bandcamp.setPage("label0.bandcamp.com/album/release-0", .init([(500, []), (429, []), (200, Self.page)]))
        h.bandcamp.setPage("label1.bandcamp.com/album/release-1", .init([(404, [])]))
        h.bandcamp.setPage("label3.bandcamp.com/album/release-3", .init([(403, [])]))
        h.bandcamp.setPage("label2.bandcamp.com/album/release-2", .init([(503, [])]))
        let summary = try await extractor(h, now: h.start).run(deadline: .now + .seconds(60))
        #expect(summary.releases == ReleaseEnricher.Summary(fetched: 9, known: 0, gone: 2, pending: 1))
        #expect(try await record(h, "https://label3.bandcamp.com/album/release-3")?.httpStatus == 403)
        #expect(try await record(h, "https://label0.bandcamp.com/album/release-0")?.status == .ok)
        #expect(try await record(h, "https://label1.bandcamp.com/album/release-1")?.status == .gone)
        #expect(try await record(h, "https://label2.bandcamp.com/album/release-2") == nil)
        // The page comes back: the next run fetches it from the queue, though no new sale names it.
        h.bandcamp.setPage("label2.bandcamp.com/album/release-2", .init([(200, Self.page)]))
        let later = try await extractor(h, now: h.start).run(deadline: .now + .seconds(60))
        #expect(
            later.windows == 0 && later.releases == ReleaseEnricher.Summary(fetched: 1, known: 0, gone: 0, pending: 0))
        #expect(try await record(h, "https://label2.bandcamp.com/album/release-2")?.status == .ok)
        await h.bandcamp.shutdown()
    }

    @Test("with every page failing, every window is still stored and the cursor moves")
    func neverHoldsBackSales() async throws {
        let h = try await Harness()
        h.bandcamp.add(sales(h))
        h.bandcamp.setServerTime(h.start)
        let summary = try await extractor(h, now: h.start).run(deadline: .now + .seconds(60))
        #expect(
            summary.caughtUp && summary.windows == Harness.windows(from: h.start - 3600, completeUntil: h.start - 120))
        #expect(summary.releases?.gone == 12)
        let (_, items, _) = try await h.stored()
        // Every sale before the cursor; the last window, still being published, waits for the next run.
        #expect(items.count == sales(h).filter { (Double($0.utcDate) ?? 0) < Double(summary.cursor) }.count)
        #expect(items.count == 58)
        await h.bandcamp.shutdown()
    }

    @Test("release keys follow the page's host and path")
    func keys() {
        #expect(
            RawKeys.releasePage("https://nanobii.bandcamp.com/track/f-k-extended-mix")
                == "raw/releases/nanobii.bandcamp.com/track/f-k-extended-mix.json.gz")
        #expect(
            RawKeys.releasePage("https://store.sigurros.com/album/tta")
                == "raw/releases/store.sigurros.com/album/tta.json.gz")
    }
}
