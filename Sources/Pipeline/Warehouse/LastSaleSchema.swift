extension WarehouseSchema {
    /// When each release, each artist in each buyer country, and each genre's artists and countries last sold:
    /// the distinct releases, artists and countries of a window that ends after nearly every sale (the alert
    /// run's, the genres page's rising genres) are then the rows whose last sale falls in it, read by index,
    /// rather than a grouping of the window's sales (`LastSaleCounts` reads them).
    static let lastSales = """
        -- The time of the latest sale of each release (by its seller), of each seller in each buyer country, and
        -- of each genre's sellers and buyer countries (by the releases' tags as they are now). Kept exact with
        -- the other summaries: summary_add_last() from sale_delta, summary_retag_last() when a release's tags
        -- change. A row's time only moves later, except when a release leaves a genre.
        CREATE TABLE summary_last_release (
            release_id bigint NOT NULL,
            artist_id bigint NOT NULL,
            last_at timestamptz NOT NULL,
            -- By seller first: an artist's releases are read by it.
            PRIMARY KEY (artist_id, release_id)
        );
        CREATE INDEX summary_last_release_by_time ON summary_last_release (last_at);
        CREATE TABLE summary_last_artist_country (
            artist_id bigint NOT NULL,
            country char(2) NOT NULL,
            last_at timestamptz NOT NULL,
            PRIMARY KEY (artist_id, country)
        );
        CREATE INDEX summary_last_artist_country_by_time ON summary_last_artist_country (last_at);
        CREATE TABLE summary_last_genre_artist (
            tag_id bigint NOT NULL,
            artist_id bigint NOT NULL,
            last_at timestamptz NOT NULL,
            PRIMARY KEY (tag_id, artist_id)
        );
        CREATE INDEX summary_last_genre_artist_by_time ON summary_last_genre_artist (last_at);
        CREATE TABLE summary_last_genre_country (
            tag_id bigint NOT NULL,
            country char(2) NOT NULL,
            last_at timestamptz NOT NULL,
            PRIMARY KEY (tag_id, country)
        );
        CREATE INDEX summary_last_genre_country_by_time ON summary_last_genre_country (last_at);

        -- The genres' rows of the sales in sale_delta, by their releases' tags as they are now.
        CREATE FUNCTION summary_add_last_genres() RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO summary_last_genre_artist AS t (tag_id, artist_id, last_at)
            SELECT rt.tag_id, d.artist_id, max(d.sold_at)
            FROM sale_delta d JOIN release_tag rt ON rt.release_id = d.release_id GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT (tag_id, artist_id) DO UPDATE SET last_at = excluded.last_at
                WHERE t.last_at < excluded.last_at;
            INSERT INTO summary_last_genre_country AS t (tag_id, country, last_at)
            SELECT rt.tag_id, d.country, max(d.sold_at)
            FROM sale_delta d JOIN release_tag rt ON rt.release_id = d.release_id WHERE d.country IS NOT NULL
            GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT (tag_id, country) DO UPDATE SET last_at = excluded.last_at
                WHERE t.last_at < excluded.last_at;
        END
        $$;

        -- Every last-sale row of the sales in sale_delta (sales new to the warehouse).
        CREATE FUNCTION summary_add_last() RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO summary_last_release AS t (release_id, artist_id, last_at)
            SELECT d.release_id, d.artist_id, max(d.sold_at) FROM sale_delta d GROUP BY 2, 1 ORDER BY 2, 1
            ON CONFLICT (artist_id, release_id) DO UPDATE SET last_at = excluded.last_at
                WHERE t.last_at < excluded.last_at;
            INSERT INTO summary_last_artist_country AS t (artist_id, country, last_at)
            SELECT d.artist_id, d.country, max(d.sold_at) FROM sale_delta d WHERE d.country IS NOT NULL
            GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT (artist_id, country) DO UPDATE SET last_at = excluded.last_at
                WHERE t.last_at < excluded.last_at;
            PERFORM summary_add_last_genres();
        END
        $$;

        -- A release's tags changing, with its sales in sale_delta: called with sign -1 before the change (it
        -- notes the tags the release has) and 1 after it. A genre the release joins takes its sales' times; for a
        -- genre it leaves, the rows its sales may have set are worked out again from `sale`.
        CREATE FUNCTION summary_retag_last(sign integer) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            IF sign < 0 THEN
                CREATE TEMPORARY TABLE IF NOT EXISTS last_tags_before (release_id bigint, tag_id bigint)
                    ON COMMIT DROP;
                TRUNCATE last_tags_before;
                INSERT INTO last_tags_before
                SELECT rt.release_id, rt.tag_id FROM release_tag rt
                WHERE rt.release_id IN (SELECT d.release_id FROM sale_delta d);
                RETURN;
            END IF;
            PERFORM summary_add_last_genres();
            CREATE TEMPORARY TABLE IF NOT EXISTS last_tags_left (tag_id bigint, artist_id bigint, country char(2),
                last_at timestamptz) ON COMMIT DROP;
            TRUNCATE last_tags_left;
            -- The genres left, with the latest sale each seller and buyer country had of the releases leaving.
            INSERT INTO last_tags_left
            SELECT b.tag_id, d.artist_id, d.country, max(d.sold_at)
            FROM last_tags_before b JOIN sale_delta d ON d.release_id = b.release_id
            WHERE NOT EXISTS (
                SELECT 1 FROM release_tag rt WHERE rt.release_id = b.release_id AND rt.tag_id = b.tag_id)
            GROUP BY 1, 2, 3;
            -- A seller's row in a genre it may have left: its own sales of the genre's releases.
            WITH pairs AS (SELECT DISTINCT l.tag_id, l.artist_id FROM last_tags_left l),
            latest AS (
                SELECT p.tag_id, p.artist_id, (
                    SELECT max(s.sold_at) FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id
                    WHERE s.artist_id = p.artist_id AND rt.tag_id = p.tag_id
                ) AS last_at
                FROM pairs p
            ),
            gone AS (
                DELETE FROM summary_last_genre_artist t USING latest l
                WHERE t.tag_id = l.tag_id AND t.artist_id = l.artist_id AND l.last_at IS NULL
            )
            UPDATE summary_last_genre_artist t SET last_at = l.last_at FROM latest l
            WHERE t.tag_id = l.tag_id AND t.artist_id = l.artist_id AND t.last_at <> l.last_at;
            -- A buyer country's row in a genre, only where a leaving release's sale set it (a genre's latest sale
            -- in a country is rarely one release's; finding it again may read many of the genre's sales).
            WITH pairs AS (
                SELECT l.tag_id, l.country FROM last_tags_left l
                JOIN summary_last_genre_country t ON t.tag_id = l.tag_id AND t.country = l.country
                WHERE l.country IS NOT NULL
                GROUP BY 1, 2 HAVING max(l.last_at) >= min(t.last_at)
            ),
            latest AS (
                SELECT p.tag_id, p.country, (
                    SELECT s.sold_at FROM sale s
                    WHERE s.buyer_country_code = p.country AND EXISTS (
                        SELECT 1 FROM release_tag rt WHERE rt.release_id = s.release_id AND rt.tag_id = p.tag_id)
                    ORDER BY s.sold_at DESC LIMIT 1
                ) AS last_at
                FROM pairs p
            ),
            gone AS (
                DELETE FROM summary_last_genre_country t USING latest l
                WHERE t.tag_id = l.tag_id AND t.country = l.country AND l.last_at IS NULL
            )
            UPDATE summary_last_genre_country t SET last_at = l.last_at FROM latest l
            WHERE t.tag_id = l.tag_id AND t.country = l.country AND t.last_at <> l.last_at;
        END
        $$;

        -- The rows of the sales already stored (migration 7's sale_delta is gone when both run at once).
        DROP TABLE IF EXISTS pg_temp.sale_delta;
        CREATE TEMPORARY TABLE sale_delta ON COMMIT DROP AS
            SELECT sold_at, release_id, artist_id, buyer_country_code AS country FROM sale;
        SELECT summary_add_last();
        """
}
