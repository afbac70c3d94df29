import Foundation
import PDF
import Postgres
import ReadModel
import Report
import TestSupport
import Testing
import Tracker

@Suite("The daily report: figures from the warehouse, checked by the test's own SQL, and the PDF's text")
struct DailyReportTests {
    @Test("headline figures, their changes, rankings, genres, countries, hours and coverage match plain SQL")
    func figures() async throws {
        let seed = try await ReportSeed.filled("report")
        let day = ReportSeed.day
        let report = try await DailyReportQuery().read(day, now: day.end + 6 * 3600, from: seed.db)
        let within = "sold_at >= to_timestamp($1) AND sold_at < to_timestamp($2)"

        #expect(report.summary.sales == 240 && report.previousDay.sales == 200 && report.weekEarlier.sales == 150)
        #expect(
            report.summary.revenueUSD.text
                == (try await seed.value("SELECT sum(amount_paid_usd) FROM sale WHERE \(within)")))
        #expect(
            report.summary.medianPaidUSD?.text
                == (try await seed.value(
                    "SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY amount_paid_usd)::numeric, 2) FROM sale WHERE \(within)"
                )))
        let share = try await seed.value(
            """
            SELECT count(*) FILTER (WHERE amount_paid_usd > price_asked_usd)::float8
                / count(*) FILTER (WHERE price_asked_usd IS NOT NULL) FROM sale WHERE \(within)
            """)
        #expect(abs((report.summary.paidMoreShare ?? -1) - Double(share)!) < 1e-12)
        #expect(report.summary.artists == 6 && report.summary.releases == 6 && report.summary.countries == 6)

        let topArtist = try await seed.value(
            """
            SELECT a.name FROM sale s JOIN artist a ON a.id = s.artist_id WHERE \(within)
            GROUP BY a.name ORDER BY sum(amount_paid_usd) DESC, count(*) DESC LIMIT 1
            """)
        #expect(report.artistsByRevenue.first?.name == topArtist)
        let artistSales = try await seed.db.query(
            """
            SELECT a.name, count(*) FROM sale s JOIN artist a ON a.id = s.artist_id WHERE \(within)
            GROUP BY a.name
            """, [String(day.start), String(day.end)]
        ).rows
        #expect(
            Dictionary(uniqueKeysWithValues: report.artistsBySales.map { ($0.name, String($0.sales)) })
                == Dictionary(uniqueKeysWithValues: artistSales.map { ($0[0]!, $0[1]!) }))
        #expect(report.artistsBySales.map(\.sales) == report.artistsBySales.map(\.sales).sorted(by: >))

        let hours = try await seed.db.query(
            "SELECT extract(hour FROM sold_at AT TIME ZONE 'UTC')::int, count(*) FROM sale WHERE \(within) GROUP BY 1",
            [String(day.start), String(day.end)]
        ).rows
        var expectedHours = [Int](repeating: 0, count: 24)
        for row in hours { expectedHours[Int(row[0]!)!] = Int(row[1]!)! }
        #expect(report.hours == expectedHours && report.hours[2] == 0 && report.hours[3] == 0)
        #expect(report.hoursWeekEarlier.reduce(0, +) == 150)

        let genre = try await seed.value(
            """
            SELECT t.name FROM sale s JOIN release_tag rt USING (release_id) JOIN tag t ON t.id = rt.tag_id
            WHERE \(within) GROUP BY t.name ORDER BY count(*) DESC, sum(amount_paid_usd) DESC LIMIT 1
            """)
        #expect(report.genres.first?.name == genre && report.genres.first?.rank == 1)
        #expect(report.taggedSales == 240)
        #expect(report.formats.map(\.type) == ["album", "track", "physical", "bundle"])
        #expect(report.formats.reduce(0) { $0 + $1.sales } == 240)
        // Each country's genre bought most above the average, worked out from the sales: its share of the
        // country's genre sales against its share of everyone's, among genres of at least 3 items there.
        let above = try await seed.db.query(
            """
            WITH g AS (
                SELECT s.buyer_country_code AS country, t.name, count(*) AS sales
                FROM sale s JOIN release_tag rt USING (release_id) JOIN tag t ON t.id = rt.tag_id
                WHERE \(within) AND s.buyer_country_code IS NOT NULL GROUP BY 1, 2
            ), ranked AS (
                SELECT country, name, sales,
                    (sales::float8 / sum(sales) OVER (PARTITION BY country))
                        / (sum(sales) OVER (PARTITION BY name)::float8 / sum(sales) OVER ()) AS index
                FROM g
            )
            SELECT DISTINCT ON (country) country, name, sales, index FROM ranked WHERE sales >= 3
            ORDER BY country, index DESC, sales DESC, name
            """, [String(day.start), String(day.end)]
        ).rows
        #expect(!above.isEmpty)
        for row in above {
            let country = try #require(report.countries.first { $0.code == row[0] })
            #expect(country.leadingGenre == row[1] && String(country.leadingGenreSales) == row[2])
            #expect(abs((country.leadingGenreIndex ?? 0) - Double(row[3]!)!) < 1e-9)
        }
        #expect(report.countries.filter { $0.leadingGenre != nil }.count == above.count)
        #expect(report.countries.reduce(0) { $0 + $1.sales } == 240)

        #expect(report.coverage.daySeconds == 86_400 && report.coverage.coveredSeconds == 79_200)
        #expect(report.coverage.gaps.map(\.start) == [day.start + 7200] && report.coverage.windows == 2)
    }

    @Test("the PDF carries the figures as the test's SQL formats them, names in any script, page numbers")
    func pdfText() async throws {
        let seed = try await ReportSeed.filled("reportpdf")
        let day = ReportSeed.day
        let report = try await DailyReportQuery().read(day, now: day.end + 6 * 3600, from: seed.db)
        let pdf = try DailyReportPDF(fonts: fonts).render(report)
        #expect(pdf.bytes.starts(with: Array("%PDF-".utf8)) && pdf.pages >= 2)
        let text = try extractText(pdf.bytes)
        let within = "sold_at >= to_timestamp($1) AND sold_at < to_timestamp($2)"
        let expected = [
            try await seed.value(
                "SELECT '$' || to_char(sum(amount_paid_usd), 'FM999,999,990.00') FROM sale WHERE \(within)"),
            try await seed.value(
                """
                SELECT '$' || to_char(percentile_cont(0.5) WITHIN GROUP (ORDER BY amount_paid_usd), 'FM999,990.00')
                FROM sale WHERE \(within)
                """),
            try await seed.value(
                """
                SELECT to_char(100.0 * count(*) FILTER (WHERE amount_paid_usd > price_asked_usd)
                    / count(*) FILTER (WHERE price_asked_usd IS NOT NULL), 'FM990.0') || '%' FROM sale WHERE \(within)
                """),
            // Items sold: 240 against 200 the day before and 150 a week earlier.
            "240", "+20.0%", "+60.0%",
            day.long,
            "Sigur Rós", "Björk", "坂本龍一", "Кино", "<b>Tricky</b> & \"Friends\"", "Ágætis byrjun", "Группа крови",
            "環境音楽", "Iceland",
            // Coverage: 22 of 24 hours, 02:00–04:00 missing.
            "91.7%", "2 h 00 min missing", "02:00–04:00",
            "Page 1 of \(pdf.pages)", "Page \(pdf.pages) of \(pdf.pages)",
        ]
        for figure in expected {
            #expect(text.contains(figure), "the PDF's text lacks \(figure)")
        }
        #expect(day.long == "Friday 20 November 2026")
    }

    @Test("a day without sales is a valid one-page report that says so, and how little of the feed it has")
    func emptyDay() async throws {
        let seed = try await ReportSeed.filled("reportempty")
        let day = ReportSeed.day.adding(days: 30)
        let report = try await DailyReportQuery().read(day, now: day.end + 60, from: seed.db)
        #expect(report.isEmpty && report.artistsByRevenue.isEmpty && report.coverage.windows == 0)
        let pdf = try DailyReportPDF(fonts: fonts).render(report)
        #expect(pdf.pages == 1)
        let text = try extractText(pdf.bytes)
        #expect(text.contains("No sales") && text.contains("No sale was recorded for \(day.long)"))
        #expect(text.contains("No window of the sales feed has been loaded for this day"))
        #expect(text.contains("Page 1 of 1"))
    }

    @Test("the day under way is covered only up to now")
    func today() async throws {
        let seed = try await ReportSeed.filled("reporttoday")
        let day = ReportSeed.day
        let report = try await DailyReportQuery().read(day, now: day.start + 6 * 3600, from: seed.db)
        #expect(report.coverage.daySeconds == 6 * 3600 && report.coverage.missingSeconds == 7200)
    }
}
