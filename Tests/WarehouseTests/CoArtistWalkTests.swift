import Testing

/// `summary_genre_co_artists`, the walk that finds one genre's leading artists in each genre its releases carry,
/// on windows written by hand: where it may stop, where it must not, and that it does (real PostgreSQL).
@Suite("One genre's leading artists in each pair of genres, walked from the windows")
struct CoArtistWalkTests {
    /// 700 artists of genre `g`, each with a release of `g` alone, one of `g` and `x`, one of `g` and `y`, and
    /// what each sold in the 30-day window: in `g` (a1 1000, down to a99 902; a100 and a101 45; the rest 1) and
    /// in the pairs (`x`: a10 60, a20 50, a30 and a101 45, a1–a99 1; `y`: a1 10, a2 20, a3 30). After the first
    /// batch of 100 artists the third of `x` sells 45 in the pair, as much as a100 in `g`: a101, next, ties it
    /// on sales, earns more, and must be walked. After the second batch (to a500, 1 sale each in `g`) every
    /// pair's third sells more: the walk ends, and a650, whose rows say 500 sales of `x` in a release of its
    /// and 1 in `g` (which no real window can say), is never read.
    static let windows = [
        "INSERT INTO tag (key, name) VALUES ('g', 'G'), ('x', 'X'), ('y', 'Y')",
        """
        INSERT INTO artist (page_url, name)
        SELECT format('https://a%s.bandcamp.com', i), 'a' || i FROM generate_series(1, 700) i ORDER BY i
        """,
        """
        INSERT INTO release (url, artist_id)
        SELECT format('https://%s.bandcamp.com/album/%s', a.name, k), a.id
        FROM artist a, unnest(ARRAY['only', 'pair', 'py']) k ORDER BY a.id, k
        """,
        """
        INSERT INTO release_tag (release_id, tag_id, position)
        SELECT r.id, t.id, 0 FROM release r JOIN tag t ON t.key = 'g'
        UNION ALL
        SELECT r.id, t.id, 1 FROM release r JOIN tag t ON t.key = 'x' WHERE r.url LIKE '%/pair'
        UNION ALL
        SELECT r.id, t.id, 1 FROM release r JOIN tag t ON t.key = 'y' WHERE r.url LIKE '%/py'
        """,
        """
        CREATE TEMPORARY TABLE spec AS
        SELECT i, genre, pair, CASE i WHEN 101 THEN 1000 ELSE pair END AS pair_revenue, y,
            CASE i WHEN 650 THEN 1 ELSE genre - pair - y END AS alone,
            CASE i WHEN 100 THEN 4400 WHEN 650 THEN 1 ELSE genre - pair - y END AS alone_revenue
        FROM (
            SELECT i,
                CASE WHEN i <= 99 THEN 1001 - i WHEN i IN (100, 101) THEN 45 ELSE 1 END AS genre,
                CASE WHEN i IN (10, 20, 30, 101, 650) THEN (ARRAY[60, 50, 45, 45, 500])[
                    array_position(ARRAY[10, 20, 30, 101, 650], i)] WHEN i <= 99 THEN 1 ELSE 0 END AS pair,
                CASE WHEN i <= 3 THEN 10 * i ELSE 0 END AS y
            FROM generate_series(1, 700) i
        ) s
        """,
        """
        INSERT INTO summary_window_genre_artist_release (span, period, tag_id, artist_id, release_id, sales, revenue)
        SELECT 30, 0, rt.tag_id, a.id, r.id, v.sales, v.revenue
        FROM spec s JOIN artist a ON a.name = 'a' || s.i
            CROSS JOIN LATERAL (VALUES ('only', s.alone, s.alone_revenue), ('pair', s.pair, s.pair_revenue),
                ('py', s.y, s.y)) v (kind, sales, revenue)
            JOIN release r ON r.artist_id = a.id AND r.url LIKE '%/' || v.kind
            JOIN release_tag rt ON rt.release_id = r.id
        WHERE v.sales > 0
        """,
        """
        INSERT INTO summary_window_genre_artist (span, period, tag_id, artist_id, sales, revenue)
        SELECT 30, 0, t.id, a.id, s.genre,
            CASE s.i WHEN 650 THEN 1 ELSE s.alone_revenue + s.pair_revenue + s.y END
        FROM spec s JOIN artist a ON a.name = 'a' || s.i JOIN tag t ON t.key = 'g'
        """,
    ]

    /// The walk's leaders as `genre artist sales place`, in order.
    static func leaders(_ h: Harness, period: String = "0") async throws -> [String] {
        try await h.db.query(
            """
            SELECT format('%s %s %s %s', t.key, a.name, c.sales, c.place) AS line
            FROM summary_genre_co_artists(30, \(period)::smallint, (SELECT id FROM tag WHERE key = 'g'),
                ARRAY(SELECT id FROM tag WHERE key IN ('g', 'x', 'y')), 3) c
            JOIN tag t ON t.id = c.other_id JOIN artist a ON a.id = c.artist_id
            ORDER BY t.key, c.place
            """
        ).map { try $0.decode("line") }
    }

    @Test("walks past a tie with the last leader, stops once no artist to come can reach one, ranks by revenue")
    func walk() async throws {
        let h = try await Harness("coartists")
        for statement in Self.windows { try await h.db.query(statement) }
        #expect(
            try await Self.leaders(h) == [
                "g a1 1000 1", "g a2 999 2", "g a3 998 3",
                "x a10 60 1", "x a20 50 2", "x a101 45 3",
                "y a3 30 1", "y a2 20 2", "y a1 10 3",
            ])
        // Another window (none of its rows written), and none at all: no leaders.
        #expect(try await Self.leaders(h, period: "1") == [])
        #expect(try await Self.leaders(h, period: "NULL") == [])
    }
}
