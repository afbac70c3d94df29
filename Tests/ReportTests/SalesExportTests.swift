import Adapters
import Foundation
import Postgres
import Report
import Testing
import Tracker

@Suite("The daily sales export, read back by DuckDB: an engine independent of the warehouse")
struct SalesExportTests {
    let root = NSTemporaryDirectory() + "sales-export-\(UInt32.random(in: 0...UInt32.max))"

    /// DuckDB (scripts/install-deps puts it in .local/tools/duckdb) on the exports under `root`: the answer of
    /// `query` over the view `sales` of every day's export (with its Hive partition `date`), as JSON rows.
    func duckdb(_ query: String) throws -> [[String: Any]] {
        let project = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
            .standardized.path
        let home = ProcessInfo.processInfo.environment["BANDCAMP_TRACKER_HOME"] ?? project
        let script = """
            import duckdb, json, sys
            con = duckdb.connect()
            path = (sys.argv[1] + '/exports/sales/*/*.json.gz').replace("'", "''")
            con.execute(\"\"\"CREATE VIEW sales AS SELECT * FROM read_json('\"\"\" + path + \"\"\"', format='newline_delimited',
                hive_partitioning=true, columns={'sale_key': 'VARCHAR', 'sold_at': 'TIMESTAMP',
                'item_type': 'VARCHAR', 'amount_paid_usd': 'DECIMAL(18,4)', 'buyer_country_code': 'VARCHAR',
                'artist_name': 'VARCHAR', 'genres': 'VARCHAR[]'})\"\"\")
            cursor = con.execute(sys.argv[2])
            names = [d[0] for d in cursor.description]
            print(json.dumps([dict(zip(names, [str(v) for v in row])) for row in cursor.fetchall()]))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "\(home)/.local/tools/duckdb/bin/python")
        process.arguments = ["-c", script, "\(root)/objects", query]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    }

    @Test("every sale of the day once, amounts exact, genres as arrays; written once, never replaced")
    func export() async throws {
        let seed = try await ReportSeed.filled("salesexport")
        let day = ReportSeed.day
        let store = FolderObjectStore(root: "\(root)/objects")
        let outcome = try await SalesExport(store: store).export(day, db: seed.db)
        #expect(!outcome.alreadyExported && outcome.sales == 240)
        #expect(outcome.objectKey == "exports/sales/date=\(day.iso)/sales.json.gz")

        let within = "sold_at >= to_timestamp($1) AND sold_at < to_timestamp($2)"
        let totals = try #require(
            try duckdb(
                """
                SELECT count(*) AS sales, count(DISTINCT sale_key) AS keys, sum(amount_paid_usd) AS usd,
                    min(date)::VARCHAR AS date, count(*) FILTER (WHERE len(genres) > 0) AS tagged
                FROM sales
                """
            ).first)
        #expect(totals["sales"] as? String == "240" && totals["keys"] as? String == "240")
        #expect(totals["date"] as? String == day.iso)
        let usd = try await seed.value("SELECT sum(amount_paid_usd)::numeric(18,4)::text FROM sale WHERE \(within)")
        #expect(totals["usd"] as? String == usd)
        let tagged = try await seed.value(
            "SELECT count(*) FROM sale s WHERE \(within) AND EXISTS (SELECT 1 FROM release_tag rt WHERE rt.release_id = s.release_id)"
        )
        #expect(totals["tagged"] as? String == tagged)
        // By country, as the warehouse counts them.
        let byCountry = try duckdb(
            "SELECT coalesce(buyer_country_code, '') AS code, count(*) AS sales FROM sales GROUP BY 1 ORDER BY 1")
        let expected = try await seed.db.query(
            """
            SELECT coalesce(buyer_country_code, '') AS code, count(*)::text AS sales FROM sale
            WHERE \(within) GROUP BY 1 ORDER BY 1
            """, [String(day.start), String(day.end)]
        ).rows
        #expect(byCountry.map { [$0["code"] as? String, $0["sales"] as? String] } == expected)

        // Immutable: the second export finds the first and replaces nothing.
        let before = try await store.head(outcome.objectKey)
        let again = try await SalesExport(store: store).export(day, db: seed.db)
        #expect(again.alreadyExported && again.sales == 0)
        #expect(try await store.head(outcome.objectKey)?.etag == before?.etag)
    }

    @Test("the export is asked for by its command and a day; the scheduled run also exports the day it reports")
    func request() throws {
        let decoder = JSONDecoder()
        #expect(
            try decoder.decode(
                ReportRequest.self, from: Data(#"{"command": "export-sales", "date": "2026-11-20"}"#.utf8))
                == .exportSales(day: CalendarDay(iso: "2026-11-20")!))
        #expect(
            try decoder.decode(ReportRequest.self, from: Data(#"{"date": "2026-11-20"}"#.utf8))
                == .daily(day: CalendarDay(iso: "2026-11-20")!, resend: false, exportSales: false))
        #expect(throws: (any Error).self) {
            try decoder.decode(ReportRequest.self, from: Data(#"{"command": "export-sales"}"#.utf8))
        }
    }
}
