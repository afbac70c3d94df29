extension WarehouseSchema {
    /// The rolling windows by buyer country: each window's sales by country and seller, by country and release,
    /// and by country and amount paid. A preset range narrowed to one country then has its distinct sellers and
    /// releases as a count of rows, its leaders by index and its median from a few thousand amounts, instead of
    /// every sale of the country read from `sale` (the United States over a month of a year: ~1 s; the year: ~9 s).
    static let countryWindows = """
        -- Each window's sales by buyer country and seller, by country and release, and by country and amount paid
        -- to the cent (what the median is taken from). A sale whose country is unknown is in none. A sale's country
        -- never changes: new sales and the windows' moves are all that change these. No day summary holds sales
        -- by country and seller, so the days a window loses or gains are read from `sale`, by time.
        CREATE TABLE summary_window_country_artist (
            span integer NOT NULL,
            period smallint NOT NULL,
            country text NOT NULL,
            artist_id bigint NOT NULL,
            sales bigint NOT NULL,
            revenue numeric NOT NULL,
            PRIMARY KEY (span, period, country, artist_id)
        );
        CREATE INDEX summary_window_country_artist_rank ON summary_window_country_artist
            (span, period, country, sales DESC, round(revenue, 2) DESC, artist_id);
        CREATE INDEX summary_window_country_artist_empty ON summary_window_country_artist (span) WHERE sales = 0;
        CREATE TABLE summary_window_country_release (
            span integer NOT NULL,
            period smallint NOT NULL,
            country text NOT NULL,
            release_id bigint NOT NULL,
            sales bigint NOT NULL,
            revenue numeric NOT NULL,
            PRIMARY KEY (span, period, country, release_id)
        );
        CREATE INDEX summary_window_country_release_rank ON summary_window_country_release
            (span, period, country, sales DESC, round(revenue, 2) DESC, release_id);
        CREATE INDEX summary_window_country_release_empty ON summary_window_country_release (span) WHERE sales = 0;
        CREATE TABLE summary_window_country_amount (
            span integer NOT NULL,
            period smallint NOT NULL,
            country text NOT NULL,
            cents bigint NOT NULL,
            sales bigint NOT NULL,
            PRIMARY KEY (span, period, country, cents)
        );
        CREATE INDEX summary_window_country_amount_empty ON summary_window_country_amount (span) WHERE sales = 0;

        -- Adds the sales of the temporary table country_delta (by day, country, release, seller and cents; cents
        -- NULL when the amount is unknown) to the windows as country_days maps them: each day, with its sign (-1:
        -- the day leaves the window), to the windows it counts in. Into empty tables (`fresh`, the first build)
        -- by plain inserts: an upsert checks every row for a conflict that cannot be there. More memory than the
        -- default for the groupings of every window's rows, and the temporary tables analyzed (autovacuum never
        -- does): guessing their sizes, the planner sorted three million rows where it could hash them.
        CREATE FUNCTION summary_window_country_apply(fresh boolean) RETURNS void LANGUAGE plpgsql
            SET work_mem = '64MB' AS $$
        DECLARE
            -- The windows' rows: the days' sales, summed into each window they count in.
            windowed text := 'FROM country_delta d JOIN country_days m ON m.day = d.day';
            -- What an upsert adds to a row that is there.
            upsert text := CASE WHEN fresh THEN '' ELSE
                ' ON CONFLICT (span, period, country, %s) DO UPDATE SET sales = t.sales + excluded.sales%s' END;
            revenue text := ', revenue = t.revenue + excluded.revenue';
        BEGIN
            ANALYZE country_delta, country_days;
            EXECUTE 'INSERT INTO summary_window_country_artist AS t (span, period, country, artist_id, sales, revenue)
                SELECT m.span, m.period, d.country, d.artist_id, sum(m.sign * d.sales), sum(m.sign * d.revenue) '
                || windowed || ' GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4' || format(upsert, 'artist_id', revenue);
            EXECUTE 'INSERT INTO summary_window_country_release AS t (span, period, country, release_id, sales, revenue)
                SELECT m.span, m.period, d.country, d.release_id, sum(m.sign * d.sales), sum(m.sign * d.revenue) '
                || windowed || ' GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4' || format(upsert, 'release_id', revenue);
            -- The amounts summed by day first: a few thousand rows a day, not one a sale.
            EXECUTE 'INSERT INTO summary_window_country_amount AS t (span, period, country, cents, sales)
                SELECT m.span, m.period, d.country, d.cents, sum(m.sign * d.sales)
                FROM (SELECT x.day, x.country, x.cents, sum(x.sales) AS sales FROM country_delta x
                    WHERE x.cents IS NOT NULL GROUP BY 1, 2, 3) d JOIN country_days m ON m.day = d.day
                GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4' || format(upsert, 'cents', '');
            IF NOT fresh THEN
                DELETE FROM summary_window_country_artist WHERE sales = 0;
                DELETE FROM summary_window_country_release WHERE sales = 0;
                DELETE FROM summary_window_country_amount WHERE sales = 0;
            END IF;
            TRUNCATE country_delta, country_days;
        END
        $$;

        -- The temporary tables summary_window_country_apply(fresh) reads, made if this session has none yet.
        CREATE FUNCTION summary_window_country_tables() RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            CREATE TEMPORARY TABLE IF NOT EXISTS country_delta (
                day date, country text, release_id bigint, artist_id bigint, cents bigint, sales bigint,
                revenue numeric
            ) ON COMMIT DROP;
            CREATE TEMPORARY TABLE IF NOT EXISTS country_days (span integer, period smallint, day date, sign integer)
                ON COMMIT DROP;
        END
        $$;

        -- The sales of `days` from `sale` into country_delta, each day read by index.
        CREATE FUNCTION summary_window_country_read(days date[]) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO country_delta
            SELECT x.day, s.buyer_country_code, s.release_id, s.artist_id, round(s.amount_paid_usd * 100)::bigint,
                count(*), coalesce(sum(s.amount_paid_usd), 0)
            FROM unnest(days) x (day) CROSS JOIN LATERAL (
                SELECT * FROM sale s
                WHERE s.sold_at >= x.day::timestamp AT TIME ZONE 'UTC'
                    AND s.sold_at < (x.day + 1)::timestamp AT TIME ZONE 'UTC' AND s.buyer_country_code IS NOT NULL
            ) s
            GROUP BY 1, 2, 3, 4, 5;
        END
        $$;

        -- The sales in sale_delta collected for the country windows as they end now (none before the first
        -- sale: the first move builds them from `sale`), added once the transaction's writing is done.
        ALTER FUNCTION summary_collect_windows() RENAME TO summary_collect_windows_but_countries;
        CREATE FUNCTION summary_collect_windows() RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM summary_window_country_tables();
            IF (SELECT w.ends FROM summary_window w) IS NOT NULL THEN
                INSERT INTO country_delta
                SELECT (d.sold_at AT TIME ZONE 'UTC')::date, d.country, d.release_id, d.artist_id,
                    round(d.paid * 100)::bigint, count(*), coalesce(sum(d.paid), 0)
                FROM sale_delta d WHERE d.country IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
            END IF;
            PERFORM summary_collect_windows_but_countries();
        END
        $$;

        -- What the transaction collected, added to the country windows before the others are (and moved).
        ALTER FUNCTION summary_add_windows() RENAME TO summary_add_windows_but_countries;
        CREATE FUNCTION summary_add_windows() RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
            window_end date := (SELECT w.ends FROM summary_window w);
        BEGIN
            IF to_regclass('pg_temp.country_delta') IS NOT NULL THEN
                IF window_end IS NOT NULL THEN
                    INSERT INTO country_days
                    SELECT w.span, w.period, x.day, 1
                    FROM (SELECT DISTINCT d.day FROM country_delta d) x
                        JOIN summary_window_days(window_end) w ON x.day BETWEEN w.first AND w.last;
                    PERFORM summary_window_country_apply(false);
                END IF;
                TRUNCATE country_delta, country_days;
            END IF;
            PERFORM summary_add_windows_but_countries();
        END
        $$;

        -- The country windows ending on `ends` summed from `sale`, for tables with none of their rows.
        CREATE FUNCTION summary_window_country_build(ends date) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM summary_window_country_tables();
            TRUNCATE country_delta, country_days;
            INSERT INTO country_days
            SELECT w.span, w.period, w.first + i, 1
            FROM summary_window_days(ends) w, generate_series(0, w.last - w.first) i;
            PERFORM summary_window_country_read(ARRAY(SELECT DISTINCT m.day FROM country_days m));
            PERFORM summary_window_country_apply(true);
        END
        $$;
        SELECT summary_window_country_build(w.ends) FROM summary_window w WHERE w.ends IS NOT NULL;

        -- The country windows moved with the others: built from `sale` when there are none, else the days that
        -- leave a window taken from it and those that enter it added, each day's sales read from `sale`.
        ALTER FUNCTION summary_window_move(date, date) RENAME TO summary_window_move_but_countries;
        CREATE FUNCTION summary_window_move(old date, new date) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            IF old IS NULL AND NOT EXISTS (SELECT FROM summary_window_country_artist)
                AND NOT EXISTS (SELECT FROM summary_window_country_release)
                AND NOT EXISTS (SELECT FROM summary_window_country_amount)
            THEN
                PERFORM summary_window_country_build(new);
            ELSE
                PERFORM summary_window_country_tables();
                TRUNCATE country_delta, country_days;
                INSERT INTO country_days SELECT * FROM summary_window_changes(old, new);
                PERFORM summary_window_country_read(ARRAY(SELECT DISTINCT m.day FROM country_days m));
                PERFORM summary_window_country_apply(false);
            END IF;
            PERFORM summary_window_move_but_countries(old, new);
        END
        $$;
        """
}
