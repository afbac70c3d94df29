import Adapters
import Foundation
import LambdaEvents
import Logging
import Postgres
import ReadModel
import TestSupport
import Testing
import Tracker
import Warehouse

@testable import Dashboard

@Suite("The charts page: leaders, debut weekdays, first weeks, and artists on the charts and on Bandcamp")
struct ChartsPageTests {
    typealias Row = SpotifyChartCSV.Row

    /// Four weekly global charts and eight daily US charts whose answers are worked out by hand below, imported
    /// through ChartImporter from files in the export's format, on top of the dashboard's seed.
    static func bench(_ purpose: String) async throws -> DashboardBench {
        let bench = try await DashboardBench.make(purpose)
        let store = FolderObjectStore(root: NSTemporaryDirectory() + "charts-\(UUID().uuidString)")
        let weeks: [(String, [Row])] = [
            (
                "2024-01-04",
                [
                    Row("Alpha", "Ann", streams: 1000, peak: 1, previous: nil, periods: 1),
                    Row("Beta", "Bob, Ann", streams: 800, peak: 1, previous: 1, periods: 5),
                    Row("Gamma", "Cat", streams: 500, peak: 3, previous: nil, periods: 1),
                ]
            ),
            (
                "2024-01-11",
                [
                    Row("Alpha", "Ann", streams: 900, peak: 1, previous: 1, periods: 2),
                    Row("Gamma", "Cat", streams: 600, peak: 2, previous: 3, periods: 2),
                    Row("Beta", "Bob, Ann", streams: 400, peak: 1, previous: 2, periods: 6),
                ]
            ),
            (
                "2024-01-18",
                [
                    Row("Alpha", "Ann", streams: 450, peak: 1, previous: 1, periods: 3),
                    Row("Delta", "Dan", streams: 420, peak: 2, previous: nil, periods: 1),
                    Row("Beta", "Bob, Ann", streams: 300, peak: 1, previous: 3, periods: 7),
                ]
            ),
            (
                "2024-01-25",
                [
                    Row("Delta", "Dan", streams: 800, peak: 1, previous: 2, periods: 2),
                    Row("Alpha", "Ann", streams: 300, peak: 1, previous: 1, periods: 4),
                    Row("Echo", "Old Guard", streams: 100, peak: 3, previous: nil, periods: 1),
                ]
            ),
        ]
        for (date, rows) in weeks {
            _ = try await store.put(
                "charts/regional-global-weekly-\(date).csv", body: Array(SpotifyChartCSV.file(daily: false, rows).utf8),
                contentType: "text/csv", contentEncoding: nil)
        }
        // Daily US charts, Monday 16 to Monday 23 January 2023: debuts on Monday (Yoke) and Friday (Xray, Zulu).
        for offset in 0..<8 {
            let day = CalendarDay(iso: "2023-01-16")!.adding(days: Int64(offset))
            var rows = [Row("Old", "Olga", streams: 50, peak: 1, previous: 1, periods: 100 + offset)]
            if offset >= 4 {
                rows.insert(
                    Row("Xray", "Xia", streams: 5000, peak: 1, previous: offset == 4 ? nil : 1, periods: offset - 3),
                    at: 0)
            }
            if offset >= 4 {
                rows.append(
                    Row("Zulu", "Zed", streams: 300, peak: 3, previous: offset == 4 ? nil : 3, periods: offset - 3))
            }
            if offset == 0 { rows.append(Row("Yoke", "Yan", streams: 100, peak: 2, previous: nil, periods: 1)) }
            _ = try await store.put(
                "charts/regional-us-daily-\(day.iso).csv", body: Array(SpotifyChartCSV.file(daily: true, rows).utf8),
                contentType: "text/csv", contentEncoding: nil)
        }
        let outcomes = try await ChartImporter(store: store, database: bench.db, logger: Logger(label: "test")).sweep()
        #expect(outcomes.count == 12 && outcomes.allSatisfy { $0.status == .imported })
        return bench
    }

    @Test("leaders and first weeks of the weekly global charts, as worked out by hand")
    func weekly() async throws {
        let bench = try await Self.bench("chartsweekly")
        let query = DashboardQuery(db: bench.db)
        let scope = ChartScope(
            region: "global", period: "weekly", from: CalendarDay(iso: "2024-01-01")!,
            to: CalendarDay(iso: "2024-01-31")!)
        let songs = try await query.chartLeaders(scope, byArtist: false)
        #expect(songs.map(\.name) == ["Alpha", "Beta", "Delta", "Gamma", "Echo"])
        #expect(songs.map(\.streams) == [2650, 1500, 1220, 1100, 100])
        #expect(songs[0].periodsAtTop == 3 && songs[0].appearances == 4 && songs[1].detail == "Bob, Ann")
        // A song's streams count for each of its artists: Ann has Alpha and Beta.
        let artists = try await query.chartLeaders(scope, byArtist: true)
        #expect(artists.first?.name == "Ann" && artists.first?.streams == 4150 && artists.first?.detail == "2 songs")
        // Debuts in the range: Alpha and Gamma (week 1), Delta (week 3), Echo (week 4).
        let first = try await query.firstPeriods(scope, horizon: 4)
        #expect(first.map(\.covered) == [4, 3, 2, 2])
        #expect(first.map(\.charting) == [4, 3, 1, 1])
        #expect(first.map { $0.medianOfDebut.map { ($0 * 1000).rounded() / 1000 } } == [1, 1.2, 0.45, 0.3])
        let html = try await bench.get(bench.app(), "/charts", "region=global&period=weekly").body
        #expect(html.contains("Leading songs") && html.contains("Alpha") && html.contains("2,650"))
        #expect(html.contains("The first weeks after a debut"))
    }

    @Test("debuts by weekday on daily charts: days on chart 1, or new since the day before")
    func weekdays() async throws {
        let bench = try await Self.bench("chartsdaily")
        let query = DashboardQuery(db: bench.db)
        let scope = ChartScope(
            region: "us", period: "daily", from: CalendarDay(iso: "2023-01-16")!, to: CalendarDay(iso: "2023-01-23")!)
        let days = try await query.debutWeekdays(scope)
        let byDay = Dictionary(uniqueKeysWithValues: days.map { ($0.weekday, $0) })
        #expect(byDay[1]?.debuts == 1 && byDay[1]?.medianStreams == 100 && byDay[1]?.medianRank == 2)
        #expect(byDay[5]?.debuts == 2 && byDay[5]?.medianRank == 2 && byDay[5]?.medianStreams == 2650)
        #expect(byDay[5]?.topFifty == 2)
        #expect(days.map(\.debuts).reduce(0, +) == 3)
        let html = try await bench.get(bench.app(), "/charts", "region=us&period=daily").body
        #expect(html.contains("Which weekday debuts do best") && html.contains("Friday"))
        let unknown = try await bench.get(bench.app(), "/charts", "region=zz&period=hourly").body
        #expect(unknown.contains("there are no charts of the region &#39;zz&#39;"))
        #expect(unknown.contains("the period must be daily or weekly"))
    }

    @Test("an artist on the charts who sells on Bandcamp is listed with its sales and a link to its page")
    func sharedArtists() async throws {
        let bench = try await Self.bench("chartsshared")
        let name = "Old Guard"
        let sales = try await bench.scalar(
            """
            SELECT count(*) FROM sale s JOIN artist a ON a.id = s.artist_id
            WHERE lower(a.name) = lower($1) AND s.sold_at >= '2026-10-22T00:00:00Z' AND s.sold_at < '2026-11-21T00:00:00Z'
            """, [name])
        let html = try await bench.get(bench.app(), "/charts").body
        #expect(html.contains("On the charts and on Bandcamp"))
        #expect(html.contains(">\(HTML(text: name).markup)</a>"), "the artist links to its page")
        #expect(html.contains("<td class=\"num\">\(Format.count(Int(sales)!))</td>"))
        // Every table of the page reads back from its CSV.
        try await DiscoverTests.readBack(
            bench, bench.app(),
            [
                ("/charts", "region=global&period=weekly", "songs"),
                ("/charts", "region=global&period=weekly", "chart-artists"),
                ("/charts", "region=global&period=weekly", "first"), ("/charts", "region=us&period=daily", "weekdays"),
                ("/charts", "", "shared"),
            ])
        let none = try await DashboardBench.make("chartsnone")
        let empty = try await none.get(none.app(), "/charts").body
        #expect(empty.contains("No Spotify chart has been imported yet"))
    }
}
