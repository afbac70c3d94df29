import Extract
import Foundation
import Testing
import Tracker

/// Real Bandcamp pages (see Fixtures/bandcamp-pages/SOURCES.md), with the URLs they were served at.
enum Pages {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/bandcamp-pages")

    static let urls = [
        "2025-track-i-fell-in-love-with-the-stars-2.html":
            "https://michaelplater.bandcamp.com/track/i-fell-in-love-with-the-stars-2",
        "2025-album-cratediggers.html": "https://thesongcrafters.bandcamp.com/album/cratediggers",
        "2025-label-affektrecordings.html": "https://affektrecordings.bandcamp.com/",
        "2025-artist-mstrvlk.html": "https://mstrvlk.bandcamp.com/",
        "masterT-album.html": "https://coeurdepirate.bandcamp.com/album/blonde",
        "masterT-track.html": "https://coeurdepirate.bandcamp.com/track/adieu",
        "single_track.html": "https://mikkogavin.bandcamp.com/track/sine-03",
        "album.html": "https://example.bandcamp.com/album/album",
        "compilation.html": "https://example.bandcamp.com/album/compilation",
        "ep.html": "https://example.bandcamp.com/album/ep",
        "single.html": "https://example.bandcamp.com/album/single",
        "track_alt.html": "https://example.bandcamp.com/track/track-alt",
    ]

    static func parse(_ name: String) throws -> ReleasePage {
        let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
        return try ReleasePageParser.parse(bytes, url: urls[name]!)
    }

    /// The ld+json keywords of a page, read independently of the parser.
    static func keywords(_ name: String) throws -> [String]? {
        let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        guard let start = text.range(of: #"<script type="application/ld+json""#),
            let open = text[start.upperBound...].range(of: ">"),
            let close = text[open.upperBound...].range(of: "</script>")
        else { return nil }
        let json = try JSONSerialization.jsonObject(with: Data(text[open.upperBound..<close.lowerBound].utf8))
        let value = (json as? [String: Any])?["keywords"]
        return (value as? [String])
            ?? (value as? String)?.split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
    }
}

@Suite("Release pages read with libxml2")
struct ReleasePageParserTests {
    @Test("a 2025 track page: 15 genres, Brisbane as the place, date, title, artist and artist page")
    func track2025() throws {
        let page = try Pages.parse("2025-track-i-fell-in-love-with-the-stars-2.html")
        #expect(page.kind == "track")
        #expect(page.tagSource == "tags")
        #expect(page.genres.count == 15)
        #expect(page.genres.first == ReleasePage.Tag(key: "alternative", name: "alternative"))
        #expect(page.genres.contains(ReleasePage.Tag(key: "dark-folk-neo-folk", name: "dark-folk neo-folk")))
        #expect(page.place == ReleasePage.Tag(key: "brisbane", name: "Brisbane"))
        #expect(page.locationLine == "Brisbane, Australia")
        #expect(page.releaseDate == "2025-11-24")
        #expect(page.title == "I Fell In Love With the Stars")
        #expect(page.artist == "Michael Plater")
        #expect(page.artistPage == "https://michaelplater.bandcamp.com")
    }

    @Test("a 2025 album page: genres with a slash, a two-word place")
    func album2025() throws {
        let page = try Pages.parse("2025-album-cratediggers.html")
        #expect(page.kind == "album")
        #expect(page.genres.map(\.key) == ["90s-golden-age-hip-hop", "hip-hop-rap"])
        #expect(page.genres.map(\.name) == ["90s golden age hip-hop", "hip-hop/rap"])
        #expect(page.place?.name == "Long Branch")
        #expect(page.releaseDate == "2025-06-25")
        #expect(page.albumURL == nil)
    }

    @Test("the old markup (2016): /tag/ links, an accented place and the same town unaccented, neither a genre")
    func oldMarkup() throws {
        let page = try Pages.parse("masterT-album.html")
        #expect(page.kind == "album")
        #expect(page.place == ReleasePage.Tag(key: "montréal", name: "Montréal"))
        #expect(page.otherPlaces == [ReleasePage.Tag(key: "montreal", name: "montreal")])
        #expect(
            page.genres.map(\.key) == [
                "pop", "amour", "coeur-de-pirate", "french", "french-pop", "grosse-boîte", "piano-pop",
            ])
        #expect(page.releaseDate == "2011-11-07")
        let track = try Pages.parse("masterT-track.html")
        #expect(track.kind == "track" && track.place?.name == "Montréal")
        #expect(track.genres.count + (track.otherPlaces?.count ?? 0) == 4)
    }

    @Test("a 2020 track page: its album, ld+json keywords as one string, Oslo")
    func track2020() throws {
        let page = try Pages.parse("single_track.html")
        #expect(page.kind == "track")
        #expect(page.albumURL == "https://mikkogavin.bandcamp.com/album/sine03")
        #expect(page.place?.name == "Oslo")
        #expect(page.genres.map(\.name) == ["experimental", "ambient", "free trance", "psychedelic", "trance"])
        #expect(page.releaseDate == "2020-06-16")
    }

    @Test("a page with no tag links falls back to its ld+json keywords")
    func keywordsOnly() throws {
        let page = try Pages.parse("album.html")
        #expect(page.tagSource == "ld+json")
        #expect(page.genres.map(\.name) == (try Pages.keywords("album.html")) ?? [])
        #expect(page.releaseDate == "2020-07-17")
    }

    @Test("an artist's or label's page has no tags, and says so")
    func noTags() throws {
        for name in ["2025-label-affektrecordings.html", "2025-artist-mstrvlk.html"] {
            let page = try Pages.parse(name)
            #expect(page.tagSource == "none" && page.genres.isEmpty && page.place == nil)
        }
    }

    @Test(
        "on every page with both, the tag links are the ld+json keywords, key for key",
        arguments: Pages.urls.keys.sorted())
    func tagsMatchKeywords(name: String) throws {
        let page = try Pages.parse(name)
        guard page.tagSource == "tags", let keywords = try Pages.keywords(name), !keywords.isEmpty else { return }
        let fromLinks = Set((page.genres + (page.place.map { [$0] } ?? []) + (page.otherPlaces ?? [])).map(\.key))
        #expect(fromLinks == Set(keywords.map(ReleasePage.Tag.slug)))
    }

    @Test("every page parses; junk is refused")
    func everyPage() throws {
        for name in Pages.urls.keys { _ = try Pages.parse(name) }
        #expect(throws: (any Error).self) { try ReleasePageParser.parse([], url: "https://x.bandcamp.com/album/y") }
    }

    @Test(
        "dates as Bandcamp writes them",
        arguments: [
            ("24 Nov 2025 00:00:00 GMT", "2025-11-24"), ("07 November 2011", "2011-11-07"),
            ("November 7, 2011", "2011-11-07"), ("released 16 June 2020", "2020-06-16"),
        ])
    func dates(text: String, day: String) {
        #expect(BandcampDate.isoDay(text) == day)
    }
}

@Suite("The ld+json of 20 real release pages")
struct LinkedDataTests {
    static let files =
        (try? FileManager.default.contentsOfDirectory(
            atPath: Pages.folder.appendingPathComponent("ldjson").path))?.sorted() ?? []

    @Test("name, artist, type, date and keywords (one key each) read from each", arguments: files)
    func read(file: String) throws {
        let data = try Data(contentsOf: Pages.folder.appendingPathComponent("ldjson/\(file)"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let html =
            #"<html><head><script type="application/ld+json">"#
            + String(decoding: data, as: UTF8.self) + "</script></head><body></body></html>"
        let page = try ReleasePageParser.parse(Array(html.utf8), url: "https://example.bandcamp.com/album/x")
        #expect(page.title == json["name"] as? String)
        #expect(page.artist == (json["byArtist"] as? [String: Any])?["name"] as? String)
        #expect(page.kind == ((json["@type"] as? String) == "MusicRecording" ? "track" : "album"))
        #expect(page.releaseDate == BandcampDate.isoDay(json["datePublished"] as? String ?? ""))
        #expect(page.tagSource == "ld+json")
        var keys: [String] = []
        for keyword in json["keywords"] as? [String] ?? [] where !keys.contains(ReleasePage.Tag.slug(keyword)) {
            keys.append(ReleasePage.Tag.slug(keyword))
        }
        #expect(
            (page.genres + (page.place.map { [$0] } ?? []) + (page.otherPlaces ?? [])).map(\.key).sorted()
                == keys.sorted())
    }

    @Test("the fixtures are all there")
    func count() {
        #expect(Self.files.count == 20)
    }
}
