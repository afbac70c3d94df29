import Adapters
import Foundation
import Logging
import Postgres
import TestSupport
import Testing
import Tracker
import Warehouse

/// The real chart exports (attribution in Fixtures/spotify-charts/SOURCES.md).
enum ChartFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/spotify-charts")

    /// Every export, as `(subfolder/name, bytes)`.
    static func all() throws -> [(path: String, bytes: [UInt8])] {
        var files: [(String, [UInt8])] = []
        for folder in ["charts-daily", "charts-weekly", "spotifycharts-legacy", "kaggle"] {
            let url = Self.folder.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() {
                files.append(("\(folder)/\(name)", Array(try Data(contentsOf: url.appendingPathComponent(name)))))
            }
        }
        return files
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent(path)))
    }
}

@Suite("Spotify chart exports: the three shapes read, imported once per chart and date (real PostgreSQL)")
struct ChartImportTests {
    @Test("every real export is read: its chart from the name, 200 entries, the streams Python's csv module sums")
    func realFiles() throws {
        for (path, bytes) in try ChartFixtures.all() {
            let name = String(path.split(separator: "/").last!)
            if name == "regional-jp-weekly-latest.csv" {
                let error = #expect(throws: ChartFileError.self) { try ChartFile.parse(bytes, name: name) }
                #expect(error?.description.contains("is not the chart's date") == true)
                continue
            }
            let file = try ChartFile.parse(bytes, name: name)
            #expect(file.charts.count == 1, "\(path)")
            let chart = file.charts[0]
            let python = try runPython(
                """
                import csv, io, sys
                text = open(sys.argv[1], encoding='utf-8-sig', newline='').read()
                lines = text.splitlines(True)
                if lines[0].startswith(',,,'): lines = lines[1:]
                rows = list(csv.DictReader(io.StringIO(''.join(lines))))
                key = next(k for k in ('streams', 'Streams') if k in rows[0])
                print(len(rows), sum(int(float(r[key])) for r in rows))
                """, ChartFixtures.folder.appendingPathComponent(path).path)
            let streams = chart.entries.reduce(Int64(0)) { $0 + ($1.streams ?? 0) }
            #expect("\(chart.entries.count) \(streams)" == python, "\(path)")
            #expect(chart.entries.map(\.rank) == Array(1...chart.entries.count), "\(path)")
            #expect(chart.entries.allSatisfy { $0.trackID.count == 22 && !$0.trackName.isEmpty && !$0.artists.isEmpty })
        }
        let us = try ChartFile.parse(
            ChartFixtures.bytes("charts-daily/regional-us-daily-2023-01-21.csv"),
            name: "regional-us-daily-2023-01-21.csv")
        #expect(us.shape == .spotifyCharts)
        #expect(
            us.charts[0].key
                == Chart.Key(region: "us", period: "daily", kind: "top200", date: CalendarDay(iso: "2023-01-21")!))
        #expect(
            us.charts[0].entries[0]
                == Chart.Entry(
                    rank: 1, trackID: "0yLdNVWF3Srea0uzk55zFn", trackName: "Flowers", artists: ["Miley Cyrus"],
                    streams: 3_356_361, peakRank: 1, previousRank: 1, periodsOnChart: 9, source: "Columbia"))
        let legacyWeek = try ChartFile.parse(
            ChartFixtures.bytes("spotifycharts-legacy/regional-global-weekly-2018-12-21--2018-12-28.csv"),
            name: "regional-global-weekly-2018-12-21--2018-12-28.csv")
        #expect(legacyWeek.shape == .legacy && legacyWeek.charts[0].key.date.iso == "2018-12-27")
        #expect(legacyWeek.charts[0].entries[0].trackName == "All I Want for Christmas Is You")
        let kaggle = try ChartFile.parse(ChartFixtures.bytes("kaggle/charts_sample.csv"), name: "charts_sample.csv")
        #expect(
            kaggle.shape == .kaggle && kaggle.charts[0].key.region == "ar"
                && kaggle.charts[0].key.date.iso == "2017-01-01")
        #expect(kaggle.charts[0].entries[0].streams == 253_019 && kaggle.charts[0].entries[0].artists == ["Shakira"])
    }

    @Test("artists joined with commas are split, names that hold a comma kept; bad rows and names are named")
    func artistsAndErrors() throws {
        let text = SpotifyChartCSV.file(
            daily: false,
            [
                .init("Song One", "Tyler, The Creator, Kali Uchis", streams: 10, peak: 1, previous: nil, periods: 1),
                .init("Song Two", "A, B, C", streams: 5, peak: 2, previous: 2, periods: 3),
            ])
        let chart = try ChartFile.parse(Array(text.utf8), name: "regional-global-weekly-2024-01-04.csv").charts[0]
        #expect(chart.entries[0].artists == ["Tyler, The Creator", "Kali Uchis"])
        #expect(chart.entries[0].previousRank == nil && chart.entries[1].previousRank == 2)
        #expect(chart.entries[1].artists == ["A", "B", "C"])
        for (name, problem) in [
            ("chart.csv", "the name must say the chart"), ("regional-xyz-daily-2024-01-01.csv", "neither global nor"),
            ("regional-global-weekly-2024-13-45.csv", "is not the chart's date"),
        ] {
            let error = #expect(throws: ChartFileError.self) { try ChartFile.parse(Array(text.utf8), name: name) }
            #expect(error?.description.contains(problem) == true, "\(name)")
        }
        let badURI = text.replacingOccurrences(of: "spotify:track:", with: "spotify:album:")
        let error = #expect(throws: ChartFileError.self) {
            try ChartFile.parse(Array(badURI.utf8), name: "regional-global-weekly-2024-01-04.csv")
        }
        #expect(
            error?.description.contains("row 2") == true && error?.description.contains("not a Spotify track") == true)
        let other = #expect(throws: ChartFileError.self) {
            try ChartFile.parse(Array("a,b\n1,2\n".utf8), name: "regional-global-weekly-2024-01-04.csv")
        }
        #expect(other?.description.contains("not a Spotify chart export") == true)
    }

    @Test("the sweep imports every export once; a file again is a no-op; a new version of a chart replaces it")
    func importing() async throws {
        let harness = try await Harness("charts")
        for (path, bytes) in try ChartFixtures.all() {
            _ = try await harness.store.put(
                "charts/\(path)", body: bytes, contentType: "text/csv", contentEncoding: nil)
        }
        let importer = ChartImporter(store: harness.store, database: harness.db, logger: Logger(label: "test"))
        let outcomes = try await importer.sweep()
        #expect(outcomes.count == 11)
        #expect(outcomes.filter { $0.status == .imported }.count == 10)
        let failed = try #require(outcomes.first { $0.status == .failed })
        #expect(failed.key.hasSuffix("regional-jp-weekly-latest.csv"))
        let counts = try await harness.db.query(
            "SELECT count(*), sum(entries), (SELECT count(*) FROM chart_entry) FROM chart"
        ).rows
        #expect(counts == [["10", "1900", "1900"]])
        let ledger = try await harness.db.query(
            "SELECT status, count(*) FROM load_ledger WHERE kind = 'charts' GROUP BY 1 ORDER BY 1"
        ).rows
        #expect(ledger == [["failed", "1"], ["loaded", "10"]])
        #expect(try await importer.sweep().isEmpty)
        // The same chart under another key, with one song's streams corrected: replaced, not added.
        let path = "charts-weekly/regional-global-weekly-2024-12-19.csv"
        var text = String(decoding: try ChartFixtures.bytes(path), as: UTF8.self)
        let firstStreams = try #require(
            try await harness.db.query(
                """
                SELECT e.streams FROM chart c JOIN chart_entry e ON e.chart_id = c.id
                WHERE c.region = 'global' AND c.chart_date = '2024-12-19' AND e.rank = 1
                """
            ).scalarText)
        text = text.replacingOccurrences(of: "\"\(firstStreams)\"", with: "\"123\"")
        _ = try await harness.store.put(
            "charts/corrected/regional-global-weekly-2024-12-19.csv", body: Array(text.utf8), contentType: "text/csv",
            contentEncoding: nil)
        let again = try await importer.importFile(key: "charts/corrected/regional-global-weekly-2024-12-19.csv")
        #expect(again.status == .imported && again.replaced == 1 && again.entries == 200)
        let after = try await harness.db.query(
            """
            SELECT count(*), (SELECT count(*) FROM chart_entry), (SELECT e.streams FROM chart c JOIN chart_entry e
                ON e.chart_id = c.id WHERE c.chart_date = '2024-12-19' AND e.rank = 1)
            FROM chart
            """
        ).rows
        #expect(after == [["10", "1900", "123"]])
        // Tracks and artists are each stored once, whatever the charts they are on.
        let tracks = try await harness.db.query(
            "SELECT count(*) = count(DISTINCT spotify_id), (SELECT count(*) = count(DISTINCT key) FROM chart_artist) FROM chart_track"
        ).rows
        #expect(tracks == [["t", "t"]])
    }
}
