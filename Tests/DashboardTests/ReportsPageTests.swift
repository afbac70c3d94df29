import AWS
import Adapters
import Foundation
import HTTPClient
import LambdaEvents
import TestSupport
import Testing
import Tracker

@testable import Dashboard

@Suite("The Reports page lists the stored PDFs and downloads them")
struct ReportsPageTests {
    static let pdf = Array("%PDF-1.7\n% a report\n%%EOF\n".utf8)

    /// Stores two daily reports, an analysis and a file that is no report's.
    func fill(_ store: any ObjectStore) async throws {
        for key in [
            "reports/daily/2026-12-03.pdf", "reports/daily/2026-12-04.pdf",
            "reports/analysis/2026-11-01_2026-11-30.pdf",
        ] {
            _ = try await store.put(key, body: Self.pdf, contentType: "application/pdf", contentEncoding: nil)
        }
        _ = try await store.put("reports/daily/notes.txt", body: [1], contentType: "text/plain", contentEncoding: nil)
    }

    /// A dashboard bench whose reports are a folder filled by `fill`.
    func filledFolder(_ purpose: String) async throws -> (bench: DashboardBench, store: FolderObjectStore) {
        let bench = try await DashboardBench.make(purpose)
        let store = FolderObjectStore(root: bench.outbox + "-objects")
        try await fill(store)
        return (bench, store)
    }

    @Test("newest first, each linked to its download; the file that is no report is counted, not listed")
    func listed() async throws {
        let (bench, store) = try await filledFolder("reports_list")
        let page = try await bench.get(bench.app(reports: store), "/reports")
        #expect(page.statusCode == 200)
        let body = page.body
        let links = [
            "/reports/daily/2026-12-04.pdf", "/reports/daily/2026-12-03.pdf",
            "/reports/analysis/2026-11-01_2026-11-30.pdf",
        ]
        let positions = try links.map { try #require(body.range(of: "href=\"\($0)\"")?.lowerBound, "\($0)") }
        #expect(positions[0] < positions[1])
        #expect(
            body.contains("Friday 4 December 2026")
                && body.contains("Sunday 1 November 2026 to Monday 30 November 2026"))
        #expect(body.contains("1 other files under reports/") && !body.contains("notes.txt"))
        #expect(!body.contains("<form class=\"filters\""))
        #expect(body.contains("href=\"/reports\"") || body.contains("href=\"/reports?"))
        try await DiscoverTests.readBack(
            bench, bench.app(reports: store), [("/reports", "", "daily"), ("/reports", "", "analyses")])
    }

    @Test("with nothing stored the page says when a report comes")
    func empty() async throws {
        let bench = try await DashboardBench.make("reports_empty")
        let body = try await bench.get(bench.app(), "/reports").body
        #expect(body.contains("No daily report yet") && body.contains("No analysis yet"))
    }

    @Test("from a folder the PDF itself; a report not stored, or an address that is no report's, is a 404")
    func folderDownload() async throws {
        let (bench, store) = try await filledFolder("reports_folder")
        let app = bench.app(reports: store)
        let response = try await bench.get(app, "/reports/daily/2026-12-04.pdf")
        #expect(response.statusCode == 200 && response.isBase64Encoded)
        #expect(response.headers["content-type"] == "application/pdf")
        #expect(response.headers["content-disposition"] == "inline; filename=\"2026-12-04.pdf\"")
        #expect(Data(base64Encoded: response.body).map(Array.init) == Self.pdf)
        for missing in [
            "/reports/daily/2026-12-05.pdf", "/reports/daily/notes.txt", "/reports/daily/../../outbox.pdf",
            "/reports/raw/x.pdf",
        ] {
            let answer = try await bench.get(app, missing)
            #expect(answer.statusCode == 404 && answer.body.contains("No such report"), "\(missing)")
        }
        let post = try await app.respond(FunctionURLRequest(method: "POST", path: "/reports/daily/2026-12-04.pdf"))
        #expect(post.statusCode == 405)
    }

    @Test("the analysis page links the PDF of its very range when stored, else asks the report function for one")
    func analysisLink() async throws {
        let (bench, store) = try await filledFolder("reports_analysis")
        let app = bench.app(reports: store)
        let stored = try await bench.get(app, "/analysis", "from=2026-11-01&to=2026-11-30").body
        #expect(stored.contains("<a href=\"/reports/analysis/2026-11-01_2026-11-30.pdf\">This analysis as a PDF</a>"))
        #expect(!stored.contains("Make a PDF"))
        // Another range: a button that asks for it.
        let range = "from=2026-11-02&to=2026-11-30"
        let other = try await bench.get(app, "/analysis", range).body
        #expect(!other.contains("This analysis as a PDF") && other.contains("Make a PDF of this analysis"))
        #expect(
            other.contains(
                "<form class=\"pdf\" method=\"post\" action=\"/analysis?from=2026-11-02&amp;to=2026-11-30\">"))
        let request = "requests/analysis/2026-11-02_2026-11-30.json"
        // A post from elsewhere (no form token) asks for nothing.
        let forged = try await app.respond(FunctionURLRequest(method: "POST", path: "/analysis", query: range))
        let forgedRequest = try await store.head(request)
        #expect(forged.statusCode == 403 && forgedRequest == nil)
        let asked = try await bench.post(app, "/analysis", range, form: [])
        #expect(asked.statusCode == 303 && asked.headers["location"] == "/analysis?\(range)")
        #expect(try await store.head(request) != nil)
        // Asked for: the page says so, and how it is made on this machine (a folder delivers no event).
        let waiting = try await bench.get(app, "/analysis", range).body
        #expect(waiting.contains("was asked for") && waiting.contains("scripts/analysis-report 2026-11-02 2026-11-30"))
        #expect(!waiting.contains("Make a PDF"))
        // Asking again changes nothing; a narrowed page asks for the whole range and says so.
        #expect(try await bench.post(app, "/analysis", range, form: []).statusCode == 303)
        #expect(try await store.list(prefix: "requests/", startAfter: nil, limit: 10).count == 1)
        let narrowed = try await bench.get(app, "/analysis", "from=2026-10-01&to=2026-10-31&country=JP").body
        #expect(narrowed.contains("every sale from 2026-10-01 to 2026-10-31: the PDF is not narrowed by genre"))
    }

    @Test("behind the sign-in like every page")
    func signedIn() async throws {
        let (bench, store) = try await filledFolder("reports_signin")
        let response = try await bench.get(bench.app(signIn: true, reports: store), "/reports/daily/2026-12-04.pdf")
        #expect(response.statusCode == 303 && response.headers["location"]?.hasPrefix("/sign-in?") == true)
    }

    @Test("from S3 a redirect to a presigned link, which gives the PDF (moto_server on 127.0.0.1)")
    func s3Download() async throws {
        let bench = try await DashboardBench.make("reports_s3")
        let moto = try await MotoServer.shared()
        let client = moto.client()
        let bucket = "reports-\(UInt32.random(in: 0...UInt32.max))"
        try await client.createBucket(bucket)
        let store = S3ObjectStore(bucket: bucket, prefix: "", client: client)
        try await fill(store)
        let app = bench.app(reports: store)
        let page = try await bench.get(app, "/reports")
        #expect(page.body.contains("href=\"/reports/daily/2026-12-04.pdf\""))
        let response = try await bench.get(app, "/reports/daily/2026-12-04.pdf")
        #expect(response.statusCode == 303)
        let location = try #require(response.headers["location"])
        #expect(location.contains("X-Amz-Expires=300") && location.contains("X-Amz-Signature="))
        #expect(try await HTTPClient().execute(HTTPRequest(url: location, timeout: .seconds(120))).body == Self.pdf)
        #expect(try await bench.get(app, "/reports/daily/2026-12-05.pdf").statusCode == 404)
    }
}
