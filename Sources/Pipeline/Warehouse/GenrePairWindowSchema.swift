extension WarehouseSchema {
    /// The rolling windows by pairs of genres: each window's sales of the releases that carry both (a genre paired
    /// with itself: all of its sales). The other genres of one genre's releases (the overview and the genres page
    /// of a genre list them) over a preset range are then the genre's rows of one window rather than each of its
    /// releases in the release window joined with its tags (a year at Bandcamp's volume: about a second). A
    /// release page's new tags move its sales, as in the genre-artist windows.
    static let genrePairWindows = """
        CREATE TABLE summary_window_genre_pair (
            span integer NOT NULL,
            period smallint NOT NULL,
            tag_id bigint NOT NULL,
            other_id bigint NOT NULL,
            sales bigint NOT NULL,
            revenue numeric NOT NULL,
            PRIMARY KEY (span, period, tag_id, other_id)
        );
        CREATE INDEX summary_window_genre_pair_empty ON summary_window_genre_pair (span) WHERE sales = 0;

        -- The pair windows summed from the release windows, for a table with none of their rows (the release
        -- windows hold each release once a window, where the release days hold it once a day).
        CREATE FUNCTION summary_window_genre_pair_build() RETURNS void LANGUAGE sql AS $$
            INSERT INTO summary_window_genre_pair (span, period, tag_id, other_id, sales, revenue)
            SELECT w.span, w.period, a.tag_id, b.tag_id, sum(w.sales), sum(w.revenue)
            FROM summary_window_release w JOIN release_tag a ON a.release_id = w.release_id
                JOIN release_tag b ON b.release_id = w.release_id
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
        $$;
        SELECT summary_window_genre_pair_build() FROM summary_window w WHERE w.ends IS NOT NULL;

        -- Adds (sign 1) or takes away (sign -1) the sales in sale_delta from the pair windows too, by their
        -- releases' tags as they are now.
        ALTER FUNCTION summary_add_window_genres(integer) RENAME TO summary_add_window_genres_but_pairs;
        CREATE FUNCTION summary_add_window_genres(sign integer) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO summary_window_genre_pair AS t (span, period, tag_id, other_id, sales, revenue)
            SELECT w.span, w.period, a.tag_id, b.tag_id, sign * count(*), sign * coalesce(sum(d.paid), 0)
            FROM sale_delta d JOIN release_tag a ON a.release_id = d.release_id
                JOIN release_tag b ON b.release_id = d.release_id
                JOIN summary_window_days((SELECT e.ends FROM summary_window e)) w
                    ON (d.sold_at AT TIME ZONE 'UTC')::date BETWEEN w.first AND w.last
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (span, period, tag_id, other_id) DO UPDATE
                SET sales = t.sales + excluded.sales, revenue = t.revenue + excluded.revenue;
            DELETE FROM summary_window_genre_pair WHERE sales = 0;
            PERFORM summary_add_window_genres_but_pairs(sign);
        END
        $$;

        -- What a transaction collected in window_delta, added to the pair windows before the others (and their
        -- move, below).
        ALTER FUNCTION summary_add_windows() RENAME TO summary_add_windows_but_pairs;
        CREATE FUNCTION summary_add_windows() RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
            window_end date := (SELECT w.ends FROM summary_window w);
        BEGIN
            IF to_regclass('pg_temp.window_delta') IS NOT NULL AND window_end IS NOT NULL THEN
                INSERT INTO summary_window_genre_pair AS t (span, period, tag_id, other_id, sales, revenue)
                SELECT r.span, r.period, a.tag_id, b.tag_id, sum(r.sales), sum(r.revenue)
                FROM summary_window_collected(window_end) r JOIN release_tag a ON a.release_id = r.release_id
                    JOIN release_tag b ON b.release_id = r.release_id
                GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
                ON CONFLICT (span, period, tag_id, other_id) DO UPDATE
                    SET sales = t.sales + excluded.sales, revenue = t.revenue + excluded.revenue;
            END IF;
            PERFORM summary_add_windows_but_pairs();
        END
        $$;

        -- The pair windows moved with the others: built from the release windows once those are built from
        -- nothing, else each release's change in each window (the days that leave it taken away, those that enter
        -- it added) spread over the pairs of its genres.
        ALTER FUNCTION summary_window_move(date, date) RENAME TO summary_window_move_but_pairs;
        CREATE FUNCTION summary_window_move(old date, new date) RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
            -- The days that change, as an array (read by index; see summary_window_shift).
            days date[] := ARRAY(SELECT DISTINCT c.day FROM summary_window_changes(old, new) c);
        BEGIN
            IF old IS NULL AND NOT EXISTS (SELECT FROM summary_window_genre_pair) THEN
                PERFORM summary_window_move_but_pairs(old, new);
                PERFORM summary_window_genre_pair_build();
            ELSE
                INSERT INTO summary_window_genre_pair AS t (span, period, tag_id, other_id, sales, revenue)
                WITH c AS MATERIALIZED (SELECT * FROM summary_window_changes(old, new)),
                    d AS MATERIALIZED (SELECT * FROM summary_release_day r WHERE r.day = ANY (days)),
                    r AS MATERIALIZED (
                        SELECT c.span, c.period, d.release_id, sum(c.sign * d.sales) AS sales,
                            sum(c.sign * d.revenue) AS revenue
                        FROM d JOIN c ON c.day = d.day GROUP BY 1, 2, 3
                    )
                SELECT r.span, r.period, a.tag_id, b.tag_id, sum(r.sales), sum(r.revenue)
                FROM r JOIN release_tag a ON a.release_id = r.release_id
                    JOIN release_tag b ON b.release_id = r.release_id
                GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
                ON CONFLICT (span, period, tag_id, other_id) DO UPDATE
                    SET sales = t.sales + excluded.sales, revenue = t.revenue + excluded.revenue;
                DELETE FROM summary_window_genre_pair WHERE sales = 0;
                PERFORM summary_window_move_but_pairs(old, new);
            END IF;
        END
        $$;
        """
}
