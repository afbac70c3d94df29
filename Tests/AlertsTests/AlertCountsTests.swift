import Postgres
import ReadModel
import TestSupport
import Testing
import Trends

@Suite("The alert run's counts from the summaries equal the counts of the sales")
struct AlertCountsTests {
    @Test("every rule's counts, at hours around the seed's, with sales on the windows' edges")
    func sameCounts() async throws {
        let harness = try await AlertHarness.make("alertcounts")
        // Sales on the very second a window starts and ends, which a bucket by hour must place as [start, end).
        let edges = [1, 2, 7, 8, 28, 35].map { TrendSeed.at - Int64($0) * 86_400 } + [TrendSeed.at]
        try await harness.db.insertSales(
            """
            INSERT INTO sale (sale_key, sold_at, utc_date, release_id, artist_id, item_type, currency, amount_paid,
                price_asked, amount_paid_usd, price_asked_usd, overpaid_usd, paid_to_price_ratio, buyer_country_code,
                ledger_id)
            SELECT sha256(convert_to('edge:' || t || ':' || r.id, 'UTF8')), to_timestamp(t), t, r.id, r.artist_id, 'album', 'USD', 5,
                5, 5, 5, 0, 1, 'US', (SELECT min(id) FROM load_ledger)
            FROM unnest($1::bigint[]) t CROSS JOIN (SELECT id, artist_id FROM release ORDER BY id LIMIT 3) r
            """, [PostgresArray.literal(edges.map(String.init))])
        #expect(try await SummaryCheck.mismatches(harness.db) == [])
        var discoveredSomewhere = false
        // On the hour as the schedule runs, at midnight, and at a time of its own (the artists' days and heads).
        for at in [0, -1, -24, 5, -200].map({ TrendSeed.at + Int64($0) * 3600 }) + [
            TrendSeed.at - TrendSeed.at % 86_400, TrendSeed.at + 1234,
        ] {
            let summaries = try await AlertQuery().counts(TrendRule.standard, at: at, from: harness.db)
            let sales = try await AlertQuery(useSummaries: false).counts(TrendRule.standard, at: at, from: harness.db)
            #expect(summaries.count == sales.count)
            for (one, other) in zip(summaries, sales) {
                #expect(one.counts == other.counts, "at \(at)")
                #expect(one.site == other.site, "at \(at)")
            }
            #expect(sales.contains { !$0.counts.isEmpty })
            discoveredSomewhere = discoveredSomewhere || sales.contains { $0.counts.contains { $0.releases > 0 } }
        }
        // The distinct releases, countries and artists are read for the entities the engine discovers: some are.
        #expect(discoveredSomewhere)
    }
}
