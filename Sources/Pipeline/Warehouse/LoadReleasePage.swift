import Adapters
import Gzip
import Logging
import Postgres
import Tracker

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension Loader {

    func loadReleasePage(_ key: String, _ expected: ObjectInfo, started: ContinuousClock.Instant)
        async throws -> LoadOutcome
    {
        var body: [UInt8] = []
        let info = try await store.read(key, ifMatch: expected.etag, chunkSize: options.readSize) { body += $0 }
        let record: ReleasePageRecord
        do {
            record = try JSONDecoder().decode(ReleasePageRecord.self, from: Data(try Gzip.decompress(body)))
        } catch let error as GzipError {
            throw MalformedObject(description: "not a gzip file: \(error)")
        } catch {
            throw MalformedObject(description: "not a release page record: \(error)")
        }
        guard
            let url = (record.url ?? record.page?.url ?? RawKeys.releaseURL(fromKey: key)).flatMap(ReleaseURL.normalize)
        else { throw MalformedObject(description: "no release URL in the record or its key") }
        let ledgerID = try await upsertLedger(key, kind: .release, info)
        let page = record.page
        let artistPage = page?.artistPage.flatMap(ReleaseURL.normalize).map(ReleaseURL.sellerPage(of:))
        let sellerPage = artistPage ?? ReleaseURL.sellerPage(of: url)
        let artistName = SaleDomain.bounded(page?.artist?.collapsingWhitespace().withoutFormatCharacters() ?? "")
        let artistID = try await db.query(
            """
            WITH found AS (
                INSERT INTO artist (page_url, name) VALUES (\(sellerPage), \(artistName))
                ON CONFLICT (page_url, name) DO NOTHING RETURNING id
            )
            SELECT id FROM found UNION ALL SELECT id FROM artist WHERE page_url = \(sellerPage) AND name = \(artistName)
            """
        ).scalar(Int64.self)
        var placeID: Int64?
        if let place = page?.place, !place.key.isEmpty, place.key.utf8.count <= Self.longestTagKey {
            placeID = try await upsertTag(ReleasePage.Tag(key: place.key.lowercased(), name: place.name))
        }
        // The release's row (unless a later page is stored already), and then its genres.
        let write: () async throws -> Int64? = {
            let releaseID = try await db.query(
                """
                INSERT INTO release (url, artist_id, title, page_status, page_http_status, kind, page_title,
                    record_label, album_url, release_date, location, place_tag_id, tag_source, page_read_at)
                VALUES (
                    \(url), \(artistID), \(page?.title), \(record.status == .ok ? "read" : "gone"),
                    \(record.httpStatus), \(page?.kind), \(page?.title), \(page?.recordLabel),
                    \(page?.albumURL.flatMap(ReleaseURL.normalize)), \(page?.releaseDate)::date,
                    \(page?.locationLine.map(SaleDomain.bounded)), \(placeID), \(page?.tagSource),
                    to_timestamp(\(record.fetchedAt)))
                ON CONFLICT (url) DO UPDATE SET page_status = excluded.page_status,
                    page_http_status = excluded.page_http_status, kind = excluded.kind,
                    page_title = excluded.page_title, title = coalesce(release.title, excluded.page_title),
                    record_label = excluded.record_label, album_url = excluded.album_url,
                    release_date = excluded.release_date, location = excluded.location,
                    place_tag_id = excluded.place_tag_id, tag_source = excluded.tag_source,
                    page_read_at = excluded.page_read_at
                WHERE release.page_read_at IS NULL OR release.page_read_at <= excluded.page_read_at
                RETURNING id
                """
            ).scalarIfPresent(Int64.self)
            if let releaseID, let page { try await replaceTags(of: releaseID, with: page) }
            return releaseID
        }
        var releaseID: Int64?
        if let known = try await db.query("SELECT id FROM release WHERE url = \(url)").scalarIfPresent(Int64.self) {
            // The page read now is the truth about its genres and location line; the release's sales move to them.
            try await Summaries.retag(known, db) { releaseID = try await write() }
        } else {
            // A release new to the warehouse: no sales of it yet (loads of sales wait for this one's lock).
            releaseID = try await write()
        }
        var outcome = LoadOutcome(
            key: key, status: .loaded, etag: info.etag, items: 1, inserted: releaseID == nil ? 0 : 1)
        outcome.duplicates = 1 - outcome.inserted
        try await finishLedger(ledgerID, &outcome, started: started)
        return outcome
    }

    /// A release's genres, those of `page` in its order, in place of those it had.
    func replaceTags(of releaseID: Int64, with page: ReleasePage) async throws {
        try await db.query("DELETE FROM release_tag WHERE release_id = \(releaseID)")
        var seen: Set<String> = []
        // A tag's key is its identity: one too long to be a genre (a page can say anything) is left out. And one
        // tag per key whatever its capitals (records of any Extract, however it wrote keys).
        for (position, genre) in page.genres.map({ ReleasePage.Tag(key: $0.key.lowercased(), name: $0.name) })
            .enumerated()
        where !genre.key.isEmpty && genre.key.utf8.count <= Self.longestTagKey && seen.insert(genre.key).inserted {
            let tagID = try await upsertTag(genre)
            try await db.query(
                "INSERT INTO release_tag (release_id, tag_id, position) VALUES (\(releaseID), \(tagID), \(position))")
        }
    }

    /// The longest tag key taken, in bytes (Bandcamp's own are a few words).
    static let longestTagKey = 200

    func upsertTag(_ tag: ReleasePage.Tag) async throws -> Int64 {
        try await db.query(
            """
            WITH found AS (
                INSERT INTO tag (key, name) VALUES (\(tag.key), \(SaleDomain.bounded(tag.name.collapsingWhitespace())))
                ON CONFLICT (key) DO NOTHING RETURNING id
            )
            SELECT id FROM found UNION ALL SELECT id FROM tag WHERE key = \(tag.key)
            """
        ).scalar()
    }
}
