extension WarehouseSchema {
    /// The rolling windows by genre, seller and release, and the walk that finds one genre's leading artists in
    /// each of the other genres its releases carry from them. Those leaders were each sale of the genre's releases
    /// in the range, from the release days, joined with their tags (a genre of 7% of a year's sales: 0.35 s for 30
    /// days, 2.5 s for the year). An artist sells no more in a pair of genres than in either, so walking the
    /// genre's artists from its genre-artist window, most sales first, and counting each one's sales in every pair
    /// from its own releases of the genre, the leaders of a pair are known once the artists still to come sell less
    /// in the genre alone than its last leader does in the pair: a few hundred artists, not every sale.
    static let genreArtistReleaseWindows = """
        -- Each window's sales by genre, seller and release (a sale counts for each genre of its release, by its tags
        -- as they are now; a release's sales may name more than one seller): what a seller sold of each release of
        -- a genre, read by genre and seller. A release page's new tags move its sales, as in the genre-artist windows.
        CREATE TABLE summary_window_genre_artist_release (
            span integer NOT NULL,
            period smallint NOT NULL,
            tag_id bigint NOT NULL,
            artist_id bigint NOT NULL,
            release_id bigint NOT NULL,
            sales bigint NOT NULL,
            revenue numeric NOT NULL,
            PRIMARY KEY (span, period, tag_id, artist_id, release_id)
        );
        CREATE INDEX summary_window_genre_artist_release_empty ON summary_window_genre_artist_release (span)
            WHERE sales = 0;

        -- The windows ending on `ends` summed from the release days, into a table with none of their rows.
        CREATE FUNCTION summary_window_genre_artist_release_build(ends date) RETURNS void LANGUAGE sql AS $$
            INSERT INTO summary_window_genre_artist_release (span, period, tag_id, artist_id, release_id, sales, revenue)
            SELECT w.span, w.period, rt.tag_id, r.artist_id, r.release_id, sum(r.sales), sum(r.revenue)
            FROM summary_window_days(ends) w JOIN summary_release_day r ON r.day BETWEEN w.first AND w.last
                JOIN release_tag rt ON rt.release_id = r.release_id
            GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5;
        $$;
        SELECT summary_window_genre_artist_release_build(w.ends) FROM summary_window w WHERE w.ends IS NOT NULL;

        -- What a transaction collected in window_delta, added to these windows before the others (and their move).
        ALTER FUNCTION summary_add_windows() RENAME TO summary_add_windows_but_artist_releases;
        CREATE FUNCTION summary_add_windows() RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
            window_end date := (SELECT w.ends FROM summary_window w);
        BEGIN
            IF to_regclass('pg_temp.window_delta') IS NOT NULL AND window_end IS NOT NULL THEN
                INSERT INTO summary_window_genre_artist_release AS t
                    (span, period, tag_id, artist_id, release_id, sales, revenue)
                SELECT r.span, r.period, rt.tag_id, r.artist_id, r.release_id, sum(r.sales), sum(r.revenue)
                FROM summary_window_collected(window_end) r JOIN release_tag rt ON rt.release_id = r.release_id
                GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
                ON CONFLICT (span, period, tag_id, artist_id, release_id) DO UPDATE
                    SET sales = t.sales + excluded.sales, revenue = t.revenue + excluded.revenue;
            END IF;
            PERFORM summary_add_windows_but_artist_releases();
        END
        $$;

        -- Moved with the others: built from the release days when empty, else the days that leave a window taken
        -- from it and those that enter it added.
        ALTER FUNCTION summary_window_move(date, date) RENAME TO summary_window_move_but_artist_releases;
        CREATE FUNCTION summary_window_move(old date, new date) RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
            -- The days that change, as an array (read by index; see summary_window_shift).
            days date[] := ARRAY(SELECT DISTINCT c.day FROM summary_window_changes(old, new) c);
        BEGIN
            IF old IS NULL AND NOT EXISTS (SELECT FROM summary_window_genre_artist_release) THEN
                PERFORM summary_window_genre_artist_release_build(new);
            ELSE
                INSERT INTO summary_window_genre_artist_release AS t
                    (span, period, tag_id, artist_id, release_id, sales, revenue)
                WITH c AS MATERIALIZED (SELECT * FROM summary_window_changes(old, new)),
                    r AS MATERIALIZED (SELECT * FROM summary_release_day r WHERE r.day = ANY (days))
                SELECT c.span, c.period, rt.tag_id, r.artist_id, r.release_id, sum(c.sign * r.sales),
                    sum(c.sign * r.revenue)
                FROM r JOIN c ON c.day = r.day JOIN release_tag rt ON rt.release_id = r.release_id
                GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
                ON CONFLICT (span, period, tag_id, artist_id, release_id) DO UPDATE
                    SET sales = t.sales + excluded.sales, revenue = t.revenue + excluded.revenue;
                DELETE FROM summary_window_genre_artist_release WHERE sales = 0;
            END IF;
            PERFORM summary_window_move_but_artist_releases(old, new);
        END
        $$;

        -- Adds (sign 1) or takes away (sign -1) the sales in sale_delta from these windows too, by their releases'
        -- tags as they are now.
        ALTER FUNCTION summary_add_window_genres(integer) RENAME TO summary_add_window_genres_but_artist_releases;
        CREATE FUNCTION summary_add_window_genres(sign integer) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO summary_window_genre_artist_release AS t
                (span, period, tag_id, artist_id, release_id, sales, revenue)
            SELECT w.span, w.period, rt.tag_id, d.artist_id, d.release_id, sign * count(*),
                sign * coalesce(sum(d.paid), 0)
            FROM sale_delta d JOIN release_tag rt ON rt.release_id = d.release_id
                JOIN summary_window_days((SELECT e.ends FROM summary_window e)) w
                    ON (d.sold_at AT TIME ZONE 'UTC')::date BETWEEN w.first AND w.last
            GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (span, period, tag_id, artist_id, release_id) DO UPDATE
                SET sales = t.sales + excluded.sales, revenue = t.revenue + excluded.revenue;
            DELETE FROM summary_window_genre_artist_release WHERE sales = 0;
            PERFORM summary_add_window_genres_but_artist_releases(sign);
        END
        $$;

        -- The `leaders` leading artists of the releases of genre `tag` in each genre of `others` they carry (sales,
        -- then revenue, then the artist's id), over window `span`, `period`: each one's sales and revenue there and
        -- its place. The genre's artists are walked in batches, most sales in the genre first, each one's sales in
        -- the pairs summed from its own releases of the genre. The walk ends when every pair's last leader sold more
        -- in the pair than the last artist walked sold in the genre (none after it can reach a leader, nor tie);
        -- before, it skips the artists who sold less in the genre than the least of those leaders.
        CREATE FUNCTION summary_genre_co_artists(span integer, period smallint, tag bigint, others bigint[],
            leaders integer)
            RETURNS TABLE (other_id bigint, artist_id bigint, sales bigint, revenue numeric, place bigint)
            LANGUAGE plpgsql STABLE STRICT AS $$
        DECLARE
            batch integer := 100;
            walked integer := 0;
            artists bigint[];
            -- The genre sales of the last artist walked: no artist still to come sold more.
            lowest bigint;
            -- The least of the pairs' last leaders' sales in the pair (0 while a pair has too few).
            needed bigint := 0;
            -- The pairs' sales of the artists walked, side by side.
            pair bigint[] := '{}';
            seller bigint[] := '{}';
            sold bigint[] := '{}';
            earned numeric[] := '{}';
        BEGIN
            LOOP
                SELECT array_agg(g.artist_id), min(g.sales), count(*) INTO artists, lowest, batch
                FROM (
                    SELECT g.artist_id, g.sales FROM summary_window_genre_artist g
                    WHERE g.span = $1 AND g.period = $2 AND g.tag_id = $3 AND g.sales >= needed
                    ORDER BY g.sales DESC, g.revenue DESC, g.artist_id OFFSET walked LIMIT batch
                ) g;
                EXIT WHEN artists IS NULL;
                walked := walked + batch;
                batch := batch * 4;
                SELECT pair || array_agg(x.other_id), seller || array_agg(x.artist_id), sold || array_agg(x.sales),
                    earned || array_agg(x.revenue)
                INTO pair, seller, sold, earned
                FROM (
                    SELECT o.tag_id AS other_id, w.artist_id, sum(w.sales) AS sales, sum(w.revenue) AS revenue
                    FROM summary_window_genre_artist_release w
                        JOIN release_tag o ON o.release_id = w.release_id AND o.tag_id = ANY ($4)
                    WHERE w.span = $1 AND w.period = $2 AND w.tag_id = $3 AND w.artist_id = ANY (artists)
                    GROUP BY 1, 2
                ) x;
                needed := (
                    SELECT min(coalesce((
                        SELECT f.sold FROM unnest(pair, sold) f (pair, sold) WHERE f.pair = o.id
                        ORDER BY f.sold DESC OFFSET $5 - 1 LIMIT 1), 0))
                    FROM unnest($4) o (id));
                EXIT WHEN needed > lowest;
            END LOOP;
            RETURN QUERY
            SELECT x.other_id, x.artist_id, x.sales, x.revenue, x.place FROM (
                SELECT f.pair AS other_id, f.seller AS artist_id, f.sold AS sales, f.earned AS revenue,
                    row_number() OVER (PARTITION BY f.pair ORDER BY f.sold DESC, f.earned DESC, f.seller) AS place
                FROM unnest(pair, seller, sold, earned) f (pair, seller, sold, earned)
            ) x
            WHERE x.place <= $5;
        END
        $$;
        """
}
