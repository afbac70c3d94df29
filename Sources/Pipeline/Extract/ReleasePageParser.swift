import Markup
import PercentEncoding
import Tracker

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Reads a release page (album, track or package) with libxml2: its tags in current and old markup (and the
/// `application/ld+json` keywords when a page has no tag links), which tag is the place, the release date
/// (`data-tralbum`'s `current.release_date`, else the "released …" text), a track's album, the artist or
/// label page, and the ld+json basics.
public enum ReleasePageParser {
    /// The page's facts.
    /// - Parameters:
    ///   - bytes: The page.
    ///   - url: The page's URL, `https://host/path`.
    /// - Throws: `MarkupError` when there is no page.
    public static func parse(_ bytes: [UInt8], url: String) throws -> ReleasePage {
        let page = try HTMLDocument(bytes)
        let linked = linkedData(page)
        let tralbum = page.select("//*[@data-tralbum]").first?.attributes["data-tralbum"]
            .flatMap { try? JSONDecoder().decode(Tralbum.self, from: Data($0.utf8)) }
        let host = url.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init)

        var tags = page.select("//a[\(hasClass("tag"))]").compactMap { link -> ReleasePage.Tag? in
            let name = link.text.collapsingWhitespace()
            guard !name.isEmpty else { return nil }
            return ReleasePage.Tag(
                key: slug(fromHref: link.attributes["href"]) ?? ReleasePage.Tag.slug(name), name: name)
        }
        var source = "tags"
        if tags.isEmpty, let keywords = linked?.keywords, !keywords.isEmpty {
            tags = keywords.map { ReleasePage.Tag(name: $0.collapsingWhitespace()) }.filter { !$0.key.isEmpty }
            source = "ld+json"
        }
        if tags.isEmpty { source = "none" }
        var seen: Set<String> = []
        tags = tags.filter { seen.insert($0.key).inserted }

        let locationLine = page.firstText("//span[\(hasClass("location"))]").map { $0.collapsingWhitespace() }.flatMap {
            $0.isEmpty ? nil : $0
        }
        let place = placeTag(tags, locationLine: locationLine, fromLinks: source == "tags")
        // Every tag that names a part of the location ("berlin" and "germany" of "Berlin, Germany"; "montreal" of
        // "Montréal, Québec") is a place, never a genre.
        let placeKeys = Set((locationLine ?? "").split(separator: ",").map { PlaceName.key(String($0)) })
        let otherPlaces = tags.filter { $0 != place && placeKeys.contains(PlaceName.key($0.name)) }

        let kind = tralbum?.itemType ?? linked?.kind ?? kindFromPath(url)
        var albumURL: String?
        if kind == "track" {
            albumURL =
                (tralbum?.albumURL).flatMap { absolute($0, host: host) }
                ?? linked?.albumID.flatMap(ReleaseURL.normalize)
        }
        // The artist's release date first; ld+json's datePublished is when the page went up, a last resort.
        // Old pages write <meta name="Description">: XPath compares names as written, so both cases are asked.
        let description = page.select("//meta[@name='description' or @name='Description']").first?.attributes["content"]
        let releaseDate =
            (tralbum?.current?.releaseDate).flatMap(BandcampDate.isoDay)
            ?? description.flatMap(releasedDay)
            ?? releasedDay(page.firstText("//*[\(hasClass("tralbumData"))][contains(., 'released')]") ?? "")
            ?? linked?.datePublished.flatMap(BandcampDate.isoDay)
        return ReleasePage(
            url: url, kind: kind, title: linked?.name ?? tralbum?.current?.title,
            artist: linked?.artistName ?? tralbum?.artist, recordLabel: linked?.recordLabel,
            artistPage: (linked?.artistID).flatMap(ReleaseURL.normalize).map {
                String($0.dropLast($0.hasSuffix("/") ? 1 : 0))
            }
                ?? host.map { "https://\($0)" },
            albumURL: albumURL, releaseDate: releaseDate,
            genres: tags.filter { $0 != place && !otherPlaces.contains($0) }, place: place,
            otherPlaces: otherPlaces.isEmpty ? nil : otherPlaces, locationLine: locationLine, tagSource: source)
    }

    /// The place: the tag that names the artist's town (or region) in the location line; failing that, a
    /// last tag written with a capital among tag links all in lower case (Bandcamp's own place tag).
    static func placeTag(_ tags: [ReleasePage.Tag], locationLine: String?, fromLinks: Bool) -> ReleasePage.Tag? {
        if let line = locationLine {
            let parts = line.split(separator: ",").map { ReleasePage.Tag.slug(String($0)) }
            if let match = tags.last(where: { parts.contains($0.key) }) { return match }
        }
        guard fromLinks, let last = tags.last, last.name.first?.isUppercase == true,
            tags.dropLast().allSatisfy({ $0.name.first?.isUppercase != true })
        else { return nil }
        return last
    }

    /// Bandcamp's slug from a tag link: `…/discover/<slug>?…` or `…/tag/<slug>?…`, percent-decoded.
    static func slug(fromHref href: String?) -> String? {
        guard let href else { return nil }
        let path = href.prefix { $0 != "?" && $0 != "#" }
        for marker in ["/discover/", "/tag/"] {
            if let range = path.firstRange(of: marker) {
                let slug = PercentEncoding.decode(String(path[range.upperBound...])).lowercased()
                return slug.isEmpty || slug.contains("/") ? nil : slug
            }
        }
        return nil
    }

    static func kindFromPath(_ url: String) -> String? {
        if url.contains("/album/") { return "album" }
        if url.contains("/track/") { return "track" }
        if url.contains("/merch/") { return "package" }
        return nil
    }

    static func absolute(_ link: String, host: String?) -> String? {
        if link.hasPrefix("/"), !link.hasPrefix("//"), let host { return "https://\(host)\(link)" }
        return ReleaseURL.normalize(link)
    }

    /// The day in "… released 24 November 2025 …".
    static func releasedDay(_ text: String) -> String? {
        guard let range = text.lowercased().firstRange(of: "released ") else { return nil }
        let lowered = text.lowercased()
        return BandcampDate.isoDay(String(lowered[range.upperBound...].prefix(40)))
    }

    /// The page's `application/ld+json`, when it reads.
    static func linkedData(_ page: HTMLDocument) -> LinkedData? {
        for script in page.select("//script[@type='application/ld+json']") {
            if let data = try? JSONDecoder().decode(LinkedData.self, from: Data(script.text.utf8)) { return data }
        }
        return nil
    }
}

/// The parts of a page's ld+json we read.
struct LinkedData: Decodable {
    struct Party: Decodable {
        var name: String?
        var id: String?
        enum CodingKeys: String, CodingKey {
            case name
            case id = "@id"
        }
    }

    var types: [String]
    var name: String?
    var keywords: [String]?
    var datePublished: String?
    var byArtist: Party?
    var publisher: Party?
    var label: Party?
    var inAlbum: Party?

    enum CodingKeys: String, CodingKey {
        case type = "@type"
        case name, keywords, datePublished, byArtist, publisher, recordLabel, inAlbum
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        types =
            (try? container.decode([String].self, forKey: .type))
            ?? (try? container.decode(String.self, forKey: .type)).map { [$0] } ?? []
        name = try? container.decode(String.self, forKey: .name)
        keywords =
            (try? container.decode([String].self, forKey: .keywords))
            ?? (try? container.decode(String.self, forKey: .keywords)).map {
                $0.split(separator: ",").map { String($0) }
            }
        datePublished = try? container.decode(String.self, forKey: .datePublished)
        byArtist = try? container.decode(Party.self, forKey: .byArtist)
        publisher = try? container.decode(Party.self, forKey: .publisher)
        label = try? container.decode(Party.self, forKey: .recordLabel)
        inAlbum = try? container.decode(Party.self, forKey: .inAlbum)
    }

    var kind: String? {
        if types.contains("MusicAlbum") { return "album" }
        if types.contains("MusicRecording") { return "track" }
        if types.contains("Product") { return "package" }
        return nil
    }

    var artistName: String? { byArtist?.name ?? publisher?.name }
    var artistID: String? { byArtist?.id ?? publisher?.id }
    var recordLabel: String? { label?.name }
    var albumID: String? { inAlbum?.id }
}

/// The parts of `data-tralbum` we read.
struct Tralbum: Decodable {
    struct Current: Decodable {
        var title: String?
        var releaseDate: String?
        enum CodingKeys: String, CodingKey {
            case title
            case releaseDate = "release_date"
        }
    }

    var itemType: String?
    var albumURL: String?
    var artist: String?
    var current: Current?

    enum CodingKeys: String, CodingKey {
        case itemType = "item_type"
        case albumURL = "album_url"
        case artist, current
    }
}
