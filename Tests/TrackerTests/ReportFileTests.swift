import Testing
import Tracker

@Suite("The report function's PDFs, named by their keys")
struct ReportFileTests {
    @Test("a daily report and an analysis go to their keys and back")
    func roundTrip() throws {
        let day = try #require(CalendarDay(iso: "2026-12-04"))
        let from = try #require(CalendarDay(iso: "2026-11-01"))
        #expect(ReportFile.daily(day).key == "reports/daily/2026-12-04.pdf")
        #expect(ReportFile.analysis(from: from, to: day).key == "reports/analysis/2026-11-01_2026-12-04.pdf")
        for file in [ReportFile.daily(day), .analysis(from: from, to: day), .analysis(from: day, to: day)] {
            #expect(ReportFile(key: file.key) == file)
        }
        #expect(ReportFile.daily(day).title == "Friday 4 December 2026")
    }

    @Test("any other key is no report: other names, folders, impossible dates, reversed ranges, paths that climb")
    func others() {
        for key in [
            "reports/daily/", "reports/daily/2026-12-04", "reports/daily/2026-12-04.PDF",
            "reports/daily/2026-02-30.pdf",
            "reports/daily/2026-12-04T06:00:00Z.pdf", "reports/daily/../../raw/x.pdf", "reports/daily/x/2026-12-04.pdf",
            "reports/analysis/2026-12-04.pdf", "reports/analysis/2026-12-04_2026-11-01.pdf",
            "reports/analysis/2026-11-01_2026-12-04_x.pdf", "reports/analysis/_2026-12-04.pdf",
            "raw/reports/daily/2026-12-04.pdf", "exports/sales/date=2026-12-04/sales.json.gz",
        ] {
            #expect(ReportFile(key: key) == nil, "\(key)")
        }
    }

    @Test("newest first: by the last day covered, then the first")
    func order() throws {
        let days = try ["2026-11-01", "2026-11-30", "2026-12-01"].map { try #require(CalendarDay(iso: $0)) }
        let files: [ReportFile] = [
            .daily(days[0]), .analysis(from: days[0], to: days[1]), .daily(days[2]), .daily(days[1]),
        ]
        #expect(
            files.sorted() == [
                .daily(days[2]), .daily(days[1]), .analysis(from: days[0], to: days[1]), .daily(days[0]),
            ])
    }
}
