import Foundation
import Gzip
import Testing
import Tracker
import Warehouse

@Suite("Load: release pages give releases their genres and place (real PostgreSQL)")
struct ReleasePageLoadTests {
    func put(_ h: Harness, _ record: ReleasePageRecord, key: String) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try await h.putRaw(key, String(decoding: try encoder.encode(record), as: UTF8.self))
    }

    func page(genres: [String], place: String?) -> ReleasePage {
        ReleasePage(
            url: "https://artist.bandcamp.com/album/a1", kind: "album", title: "Ágætis byrjun", artist: "Artist",
            recordLabel: "Label", artistPage: "https://artist.bandcamp.com", albumURL: nil, releaseDate: "2025-11-24",
            genres: genres.map { ReleasePage.Tag(name: $0) }, place: place.map { ReleasePage.Tag(name: $0) },
            locationLine: place.map { "\($0), Iceland" }, tagSource: "tags")
    }

    /// The page with one more genre whose key is written in capitals (as a record of another Extract could):
    /// the same tag as its lower-case key.
    func withCapitalKey(_ page: ReleasePage) -> ReleasePage {
        var page = page
        page.genres.append(ReleasePage.Tag(key: "AMBIENT", name: "Ambient"))
        return page
    }

    @Test("genres in order under one key each, the place apart, the page's facts on the release; sales join it")
    func page() async throws {
        let h = try await Harness("pages")
        let key = "raw/releases/artist.bandcamp.com/album/a1.json.gz"
        try await put(
            h,
            ReleasePageRecord(
                url: "https://artist.bandcamp.com/album/a1", status: .ok, fetchedAt: 1_749_600_000,
                page: withCapitalKey(page(genres: ["Post-Rock", "ambient", " Post Rock "], place: "Reykjavík"))),
            key: key)
        #expect(try await h.loader().load(key: key).status == .loaded)
        // The sale loaded afterwards finds the release the page made.
        let window = try await h.putWindow(start: 100, end: 700, events: [Harness.event(Harness.item(1))])
        #expect(try await h.loader().load(key: window).inserted == 1)
        let tags = try await h.db.query(
            "SELECT t.key, t.name, rt.position FROM release_tag rt JOIN tag t ON t.id = rt.tag_id ORDER BY rt.position"
        ).rows
        #expect(tags == [["post-rock", "Post-Rock", "0"], ["ambient", "ambient", "1"]])
        #expect(try await h.scalar("SELECT count(*) FROM tag WHERE lower(key) = 'ambient'") == "1")
        let release = try await h.db.query(
            """
            SELECT r.page_status, r.page_title, r.title, r.release_date::text, r.record_label, r.location, p.key,
                   (SELECT count(*) FROM sale s WHERE s.release_id = r.id)
            FROM release r LEFT JOIN tag p ON p.id = r.place_tag_id
            """
        ).rows
        #expect(
            release == [
                [
                    "read", "Ágætis byrjun", "Ágætis byrjun", "2025-11-24", "Label", "Reykjavík, Iceland", "reykjavík",
                    "1",
                ]
            ])
        #expect(
            try await h.scalar(
                "SELECT count(*) FROM release_tag rt JOIN tag t ON t.id = rt.tag_id WHERE t.key = 'reykjavík'") == "0")
        // A page read again later replaces the genres; a gone page marks the release.
        try await put(
            h,
            ReleasePageRecord(
                url: "https://artist.bandcamp.com/album/a1", status: .ok, fetchedAt: 1_749_700_000,
                page: page(genres: ["drone"], place: nil)), key: key)
        #expect(try await h.loader().load(key: key).status == .loaded)
        #expect(
            try await h.db.query("SELECT t.key FROM release_tag rt JOIN tag t ON t.id = rt.tag_id").rows == [["drone"]])
        let gone = "raw/releases/other.bandcamp.com/track/t9.json.gz"
        try await put(
            h, ReleasePageRecord(url: nil, status: .gone, fetchedAt: 1_749_700_000, page: nil, httpStatus: 404),
            key: gone)
        #expect(try await h.loader().load(key: gone).status == .loaded)
        #expect(
            try await h.db.query(
                "SELECT page_status, page_http_status FROM release WHERE url = 'https://other.bandcamp.com/track/t9'"
            ).rows
                == [["gone", "404"]])
    }
}
