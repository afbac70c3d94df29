import Adapters
import Foundation
import Logging
import PDF
import Postgres
import ReadModel
import Report
import TestSupport
import Testing
import Tracker
import Warehouse

@Suite("Components' analysis of any range: figures as Python computes them from the same CSV, and its PDF")
struct SalesAnalysisTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../WarehouseTests/Fixtures/components-sample.csv").standardized
    static let day = CalendarDay(iso: "2020-09-09")!

    /// A warehouse holding the real sample, backfilled.
    func warehouse(_ purpose: String) async throws -> (PostgresConnection, FolderObjectStore) {
        let db = try await PostgresConnection.connect(url: try await TestDatabase.fresh(purpose))
        _ = try await WarehouseSchema.migrator.migrate(db)
        let store = FolderObjectStore(root: NSTemporaryDirectory() + "analysis-\(UUID().uuidString)")
        _ = try await store.put(
            "backfill/components/sample.csv", body: Array(try Data(contentsOf: Self.sample)), contentType: "text/csv",
            contentEncoding: nil)
        let outcome = try await Loader(store: store, database: db, logger: Logger(label: "test"))
            .backfill(key: "backfill/components/sample.csv")
        #expect(outcome.status == .done && outcome.inserted == 101)
        return (db, store)
    }

    @Test("digital share, overpayment, ratio, countries and currencies of the real sample")
    func figures() async throws {
        let (db, _) = try await warehouse("analysis")
        let analysis = try await SalesAnalysis.read(db, from: Self.day, to: Self.day)
        let python = try runPython(
            """
            import csv, statistics, sys
            from collections import Counter
            from decimal import Decimal as D, ROUND_HALF_UP
            rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
            def price(r):
                p = D(r['item_price'])
                return p.quantize(D('0.01'), ROUND_HALF_UP) if -p.as_tuple().exponent > 4 else p
            priced = [r for r in rows if price(r) > 0]
            more = sum(D(r['amount_paid']) > price(r) for r in priced)
            exact = sum(D(r['amount_paid']) == price(r) for r in priced)
            ratios = [round(D(r['amount_paid']) / price(r), 6) for r in priced]
            currencies = sorted(Counter(r['currency'] for r in rows).items(), key=lambda kv: (-kv[1], kv[0]))
            countries = sorted(Counter(r['country_code'].upper() for r in rows).items(), key=lambda kv: (-kv[1], kv[0]))
            def more_share(key, value):
                p = [r for r in priced if key(r) == value]
                return '%.6f' % (sum(D(r['amount_paid']) > price(r) for r in p) / len(p)) if p else 'none'
            print(len(rows), sum(r['item_type'] in ('a', 't') for r in rows), len(priced), more, exact,
                  '%.6f' % statistics.median(ratios), currencies[0][0], currencies[0][1], len(currencies),
                  countries[0][0], countries[0][1], len(countries),
                  more_share(lambda r: r['country_code'].upper(), countries[0][0]),
                  more_share(lambda r: r['currency'], currencies[0][0]))
            """, Self.sample.path)
        let digital = analysis.itemTypes.filter { ["album", "track"].contains($0.key) }.reduce(0) { $0 + $1.sales }
        let mine = [
            "\(analysis.sales)", "\(digital)", "\(analysis.overpayment.priced)", "\(analysis.overpayment.paidMore)",
            "\(analysis.overpayment.paidExactly)", String(format: "%.6f", analysis.medianRatio ?? -1),
            analysis.currencies[0].key, "\(analysis.currencies[0].sales)", "\(analysis.currencies.count)",
            analysis.countries[0].key, "\(analysis.countries[0].sales)", "\(analysis.countryCount)",
            analysis.countries[0].paidMoreShare.map { String(format: "%.6f", $0) } ?? "none",
            analysis.currencies[0].paidMoreShare.map { String(format: "%.6f", $0) } ?? "none",
        ].joined(separator: " ")
        #expect(mine == python)
        #expect(abs(analysis.digitalShare - Double(digital) / 101) < 1e-12)
        // One day of sales: the day's figures, every sale in it.
        #expect(analysis.daily.map(\.sales) == [101] && analysis.daily.first?.day == Self.day)
        #expect(abs((analysis.daily.first?.revenueUSD ?? 0) - analysis.revenueUSD.value) < 0.005)
        // The physical formats, labelled by hand from the sample's 18 descriptions.
        let formats = Dictionary(uniqueKeysWithValues: analysis.physicalFormats.map { ($0.key, $0.sales) })
        #expect(formats == ["vinyl": 8, "cd": 3, "merch": 5, "other": 2])
        #expect(abs(analysis.physicalFormats.reduce(0) { $0 + $1.salesShare } - 1) < 1e-9)
        // Bands hold every priced sale; shares of each part sum to one.
        #expect(analysis.ratioBands.reduce(0) { $0 + $1.sales } == analysis.overpayment.priced)
        #expect(abs(analysis.currencies.reduce(0) { $0 + $1.salesShare } - 1) < 1e-9)
        #expect(abs(analysis.currencies.reduce(0) { $0 + $1.revenueShare } - 1) < 1e-3)
        // A range without sales is empty, not an error.
        let empty = try await SalesAnalysis.read(db, from: Self.day.adding(days: 5), to: Self.day.adding(days: 6))
        #expect(empty.sales == 0 && empty.itemTypes.isEmpty && empty.overpayment.paidMoreShare == nil)
        // The same figures from the summaries the warehouse keeps.
        #expect(try await SalesAnalysis.readSummaries(db, from: Self.day, to: Self.day) == analysis)
        #expect(
            try await SalesAnalysis.readSummaries(db, from: Self.day.adding(days: 5), to: Self.day.adding(days: 6))
                == empty)
    }

    @Test("the one-off report: a PDF in the store with the range's figures, as pdftotext reads it")
    func report() async throws {
        let (db, store) = try await warehouse("analysispdf")
        let publisher = ReportPublisher(
            store: store, mailer: OutboxMailer(folder: NSTemporaryDirectory() + "outbox-\(UUID().uuidString)"),
            fonts: fonts, email: ReportEmail(from: "tracker@example.com", unsubscribeBase: nil),
            logger: Logger(label: "test"))
        let outcome = try await publisher.publishAnalysis(from: Self.day, to: Self.day, now: 1_700_000_000, db: db)
        #expect(outcome.objectKey == "reports/analysis/2020-09-09_2020-09-09.pdf" && outcome.sales == 101)
        let pdf = try await store.get(outcome.objectKey)
        let text = try extractText(pdf.body)
        #expect(text.contains("BANDCAMP SALES · ANALYSIS") && text.contains("Physical formats"))
        #expect(text.contains("Paid-to-price ratio") && text.contains("Seller currencies"))
        #expect(text.contains(Format.percent(Double(83) / 101)) && text.contains("Vinyl"))
        #expect(text.contains("United Kingdom") || text.contains("United States"))
        // Paid more is there for countries and currencies too; each band of the ratio says its count.
        let analysis = try await SalesAnalysis.read(db, from: Self.day, to: Self.day)
        let country = try #require(analysis.countries.first?.paidMoreShare)
        let countries = try #require(
            text.range(of: "Top buyer countries").flatMap { start in
                text.range(of: "Seller currencies", range: start.upperBound..<text.endIndex).map {
                    text[start.upperBound..<$0.lowerBound]
                }
            })
        #expect(countries.contains("Paid more") && countries.contains(Format.percent(country)))
        // A dash only for a country none of whose items had a price.
        #expect(
            countries.components(separatedBy: "—").count - 1
                == analysis.countries.filter { $0.paidMoreShare == nil }.count)
        #expect(analysis.countries.filter { $0.paidMoreShare == nil }.count < analysis.countries.count / 2)
        for band in analysis.ratioBands {
            let share = Double(band.sales) / Double(analysis.overpayment.priced)
            #expect(text.contains("\(Format.count(band.sales)) · \(Format.percent(share))"), "\(band.label)")
        }
    }
}
