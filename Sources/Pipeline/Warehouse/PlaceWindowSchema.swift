extension WarehouseSchema {
    /// The rolling windows by where the artists say they are: each window's sales by the location line of the
    /// release sold ("Leeds, UK", as its page gives it now) and seller. The geography page's towns of a preset
    /// range are then a few thousand lines summed from one window, not every release sold joined to its page (a
    /// year at Bandcamp's volume: ~900 ms). A page that gives a release another line moves its sales, as tags do.
    static let placeWindows = """
        -- A location line is a key now: one longer than 1,000 bytes (a page can say anything) is cut, with an
        -- ellipsis, as Load cuts it.
        UPDATE release SET location = left(location, 249) || '…' WHERE octet_length(location) > 1000;

        CREATE TABLE summary_window_place (
            span integer NOT NULL,
            period smallint NOT NULL,
            location text NOT NULL,
            artist_id bigint NOT NULL,
            sales bigint NOT NULL,
            revenue numeric NOT NULL,
            PRIMARY KEY (span, period, location, artist_id)
        );
        CREATE INDEX summary_window_place_empty ON summary_window_place (span) WHERE sales = 0;

        -- The windows ending on `ends` summed from their days, for a table with none of their rows.
        CREATE FUNCTION summary_window_place_build(ends date) RETURNS void LANGUAGE sql AS $$
            INSERT INTO summary_window_place (span, period, location, artist_id, sales, revenue)
            SELECT w.span, w.period, l.location, r.artist_id, sum(r.sales), sum(r.revenue)
            FROM summary_window_days(ends) w JOIN summary_release_day r ON r.day BETWEEN w.first AND w.last
                JOIN release l ON l.id = r.release_id AND l.location <> ''
            GROUP BY 1, 2, 3, 4 HAVING sum(r.sales) <> 0 ORDER BY 1, 2, 3, 4;
        $$;
        SELECT summary_window_place_build(w.ends) FROM summary_window w WHERE w.ends IS NOT NULL;

        -- Adds (sign 1) or takes away (sign -1) the sales in sale_delta from the place windows, by their releases'
        -- location lines as they are now: what a release page's new line changes.
        CREATE FUNCTION summary_add_window_places(sign integer) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO summary_window_place AS t (span, period, location, artist_id, sales, revenue)
            SELECT w.span, w.period, l.location, d.artist_id, sign * count(*), sign * coalesce(sum(d.paid), 0)
            FROM sale_delta d JOIN release l ON l.id = d.release_id AND l.location <> ''
                JOIN summary_window_days((SELECT e.ends FROM summary_window e)) w
                    ON (d.sold_at AT TIME ZONE 'UTC')::date BETWEEN w.first AND w.last
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (span, period, location, artist_id) DO UPDATE
                SET sales = t.sales + excluded.sales, revenue = t.revenue + excluded.revenue;
            DELETE FROM summary_window_place WHERE sales = 0;
        END
        $$;

        -- What a transaction collected in window_delta, added to the place windows before the others (and their
        -- move, below).
        ALTER FUNCTION summary_add_windows() RENAME TO summary_add_windows_but_places;
        CREATE FUNCTION summary_add_windows() RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
            window_end date := (SELECT w.ends FROM summary_window w);
        BEGIN
            IF to_regclass('pg_temp.window_delta') IS NOT NULL AND window_end IS NOT NULL THEN
                INSERT INTO summary_window_place AS t (span, period, location, artist_id, sales, revenue)
                SELECT r.span, r.period, l.location, r.artist_id, sum(r.sales), sum(r.revenue)
                FROM summary_window_collected(window_end) r JOIN release l ON l.id = r.release_id AND l.location <> ''
                GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
                ON CONFLICT (span, period, location, artist_id) DO UPDATE
                    SET sales = t.sales + excluded.sales, revenue = t.revenue + excluded.revenue;
            END IF;
            PERFORM summary_add_windows_but_places();
        END
        $$;

        -- The place windows moved with the others: built from their days when there are none, else the days that
        -- leave a window taken from it and those that enter it added.
        ALTER FUNCTION summary_window_move(date, date) RENAME TO summary_window_move_but_places;
        CREATE FUNCTION summary_window_move(old date, new date) RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
            -- The days that change, as an array (read by index; see summary_window_shift).
            days date[] := ARRAY(SELECT DISTINCT c.day FROM summary_window_changes(old, new) c);
        BEGIN
            IF old IS NULL AND NOT EXISTS (SELECT FROM summary_window_place) THEN
                PERFORM summary_window_place_build(new);
            ELSE
                INSERT INTO summary_window_place AS t (span, period, location, artist_id, sales, revenue)
                WITH c AS MATERIALIZED (SELECT * FROM summary_window_changes(old, new)),
                    r AS MATERIALIZED (SELECT * FROM summary_release_day r WHERE r.day = ANY (days))
                SELECT c.span, c.period, l.location, r.artist_id, sum(c.sign * r.sales), sum(c.sign * r.revenue)
                FROM r JOIN c ON c.day = r.day JOIN release l ON l.id = r.release_id AND l.location <> ''
                GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
                ON CONFLICT (span, period, location, artist_id) DO UPDATE
                    SET sales = t.sales + excluded.sales, revenue = t.revenue + excluded.revenue;
                DELETE FROM summary_window_place WHERE sales = 0;
            END IF;
            PERFORM summary_window_move_but_places(old, new);
        END
        $$;
        """
}
