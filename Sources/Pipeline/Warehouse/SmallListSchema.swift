extension WarehouseSchema {
    /// Discover's lists of small artists, kept for each preset range up to the latest day. Ranked from the rolling
    /// windows when a page asks, they cost up to 0.6 s at a year: no best seller of 30 days is small, so thousands
    /// of rows down the window's ranking are probed before the first 30 small ones are found. Kept, a page reads
    /// 30 rows. A window's lists are either kept exact or not kept at all (the page then ranks them as before):
    /// within a day a load only adds sales to the ranges (period 0), so every row it does not touch keeps its
    /// place and every row it touches rises, and the new lists are the best of the lists as they were and the
    /// rows touched, ranked in the load's transaction. A move of the windows, or sales of the days before a range
    /// (a backfill, a late window), drop a window's lists; a transaction of few sales, as the feed's loads are,
    /// builds the dropped ones from all the window's rows (seconds at a year), and a large one (a backfill's chunk,
    /// a load of a day at once) leaves that to the next.
    static let smallLists = """
        -- The sizes of small artist Discover offers (fewer than `under` sales in the 90 days before the range) and
        -- how long each kept list is.
        CREATE TABLE summary_small_size (
            under integer PRIMARY KEY CHECK (under > 0),
            length integer NOT NULL CHECK (length > 0)
        );
        INSERT INTO summary_small_size (under, length) VALUES (10, 50), (50, 50), (200, 50), (1000, 50);

        -- The windows whose lists are kept (built, and exact since): a window not here has none.
        CREATE TABLE summary_small_kept (span integer PRIMARY KEY);

        -- Each artist's sales in the 90 days before each kept window's range (its period 0), for those with any.
        CREATE TABLE summary_small_before (
            span integer NOT NULL,
            artist_id bigint NOT NULL,
            sales bigint NOT NULL,
            PRIMARY KEY (span, artist_id)
        );

        -- For each window's range and each size, the first `length` of each list of small artists in Discover's
        -- order: the rising artists (more sales than in the range before: the largest gain, then the most sales,
        -- then revenue, then the id), the new artists (first sale in the range: the most sales first) and the
        -- rising releases (of a small artist: the release's own); the revenue to the cent.
        CREATE TABLE summary_small_list (
            span integer NOT NULL,
            under integer NOT NULL,
            kind text NOT NULL CHECK (kind IN ('rising artist', 'new artist', 'rising release')),
            entity_id bigint NOT NULL,
            sales bigint NOT NULL,
            before bigint NOT NULL,
            revenue numeric NOT NULL,
            PRIMARY KEY (span, under, kind, entity_id)
        );

        -- What a list of `kind` of window `w_span` may hold: from all the window's rows (ids NULL), or from those of
        -- the artists or releases `ids`; with their sales in the range and before it, the revenue to the cent and
        -- their artist's sales in the 90 days before the range. (Dynamic: each call planned for its own ids.)
        CREATE FUNCTION summary_small_candidates(w_span integer, kind text, ids bigint[])
            RETURNS TABLE (entity_id bigint, sales bigint, before bigint, revenue numeric, small_before bigint)
            LANGUAGE plpgsql STABLE AS $$
        DECLARE
            releases boolean := kind = 'rising release';
            id text := CASE WHEN kind = 'rising release' THEN 'release_id' ELSE 'artist_id' END;
            window_table text := CASE WHEN kind = 'rising release'
                THEN 'summary_window_release' ELSE 'summary_window_artist' END;
        BEGIN
            RETURN QUERY EXECUTE format(
                $q$
                SELECT w.%1$I, w.sales, coalesce(p.sales, 0)::bigint, round(w.revenue, 2), coalesce(b.sales, 0)::bigint
                FROM %2$s %3$s
                    LEFT JOIN %4$I p ON p.span = w.span AND p.period = 1 AND p.%1$I = w.%1$I
                    LEFT JOIN summary_small_before b ON b.span = w.span AND b.artist_id = %5$s
                WHERE w.span = $1 AND w.period = 0 AND %6$s
                $q$,
                id,
                CASE WHEN ids IS NULL THEN format('%I w', window_table)
                    ELSE format('unnest($2) i (id) JOIN %I w ON w.span = $1 AND w.period = 0 AND w.%I = i.id',
                        window_table, id) END,
                CASE WHEN releases THEN 'JOIN release r ON r.id = w.release_id' ELSE '' END,
                window_table,
                CASE WHEN releases THEN 'r.artist_id' ELSE 'w.artist_id' END,
                CASE WHEN kind = 'new artist'
                    THEN 'w.artist_id IN (SELECT f.artist_id FROM summary_first_artist f WHERE f.first_at >= $3)'
                    ELSE 'w.sales > coalesce(p.sales, 0)' END)
            USING w_span, ids,
                ((SELECT e.ends FROM summary_window e) - w_span + 1)::timestamp AT TIME ZONE 'UTC';
        END
        $$;

        -- Ranks window `w_span`'s lists of `kind` again: from all the window's rows (ids NULL), or from the rows the
        -- lists hold and those of `ids`, the artists or releases whose sales in the range rose (and nothing else
        -- changed: see summary_add_windows).
        CREATE FUNCTION summary_small_rank(w_span integer, list_kind text, ids bigint[]) RETURNS void
            LANGUAGE plpgsql AS $$
        DECLARE
            among bigint[] := CASE WHEN ids IS NOT NULL THEN ARRAY(
                SELECT l.entity_id FROM summary_small_list l WHERE l.span = w_span AND l.kind = list_kind
                UNION SELECT unnest(ids)) END;
        BEGIN
            DELETE FROM summary_small_list l WHERE l.span = w_span AND l.kind = list_kind;
            INSERT INTO summary_small_list (span, under, kind, entity_id, sales, before, revenue)
            WITH x AS MATERIALIZED (SELECT * FROM summary_small_candidates(w_span, list_kind, among))
            SELECT w_span, z.under, list_kind, y.entity_id, y.sales, y.before, y.revenue
            FROM summary_small_size z CROSS JOIN LATERAL (
                SELECT x.* FROM x WHERE x.small_before < z.under
                ORDER BY CASE WHEN list_kind = 'new artist' THEN 0 ELSE x.sales - x.before END DESC, x.sales DESC,
                    x.revenue DESC, x.entity_id
                LIMIT z.length
            ) y;
        END
        $$;

        -- Window `w_span`'s lists no longer kept.
        CREATE FUNCTION summary_small_drop(w_span integer) RETURNS void LANGUAGE sql AS $$
            DELETE FROM summary_small_kept k WHERE k.span = w_span;
            DELETE FROM summary_small_before b WHERE b.span = w_span;
            DELETE FROM summary_small_list l WHERE l.span = w_span;
        $$;

        -- Window `w_span`'s lists built from all its rows, and its artists' sales before its range: kept from now.
        CREATE FUNCTION summary_small_build(w_span integer) RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
            window_end date := (SELECT w.ends FROM summary_window w);
        BEGIN
            PERFORM summary_small_drop(w_span);
            IF window_end IS NULL THEN
                RETURN;
            END IF;
            INSERT INTO summary_small_kept (span) VALUES (w_span);
            INSERT INTO summary_small_before (span, artist_id, sales)
            SELECT w_span, a.artist_id, sum(a.sales) FROM summary_artist_day a
            WHERE a.day BETWEEN window_end - w_span - 89 AND window_end - w_span
            GROUP BY a.artist_id;
            PERFORM summary_small_rank(w_span, k.kind, NULL)
            FROM (VALUES ('rising artist'), ('new artist'), ('rising release')) k (kind);
        END
        $$;
        SELECT summary_small_build(s.days) FROM summary_window_span s;

        -- Every window's lists that are not kept (dropped by a move, sales before a range, or rebuild-summaries)
        -- built from all its rows.
        CREATE FUNCTION summary_small_build_dropped() RETURNS void LANGUAGE sql AS $$
            SELECT summary_small_build(s.days) FROM summary_window_span s
            WHERE NOT EXISTS (SELECT FROM summary_small_kept k WHERE k.span = s.days);
        $$;

        -- Every window's lists dropped when the windows move (summary_add_windows builds them again, or leaves that
        -- to the next transaction).
        ALTER FUNCTION summary_window_move(date, date) RENAME TO summary_window_move_but_small_lists;
        CREATE FUNCTION summary_window_move(old date, new date) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM summary_window_move_but_small_lists(old, new);
            PERFORM summary_small_drop(s.days) FROM summary_window_span s;
        END
        $$;

        -- The largest transaction, in days, releases and sellers collected, that builds the windows' dropped lists:
        -- a load of the feed's minutes has hundreds; a backfill's chunk, tens of thousands.
        CREATE FUNCTION summary_small_build_limit() RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT 10000 $$;

        -- The lists after what a transaction collected in window_delta is added to the windows. For each window
        -- whose lists are kept: sales in the 90 days before its range or in the range before it, or an earlier
        -- first sale of an artist in its list of new artists, drop its lists; sales in its range alone only raise
        -- the rows they touch, so its lists are ranked again from the rows they hold and those touched. Then, when
        -- the transaction is small, every window whose lists are not kept (dropped by a move or by the above, now or
        -- by a large transaction before) has them built from all its rows.
        ALTER FUNCTION summary_add_windows() RENAME TO summary_add_windows_but_small_lists;
        CREATE FUNCTION summary_add_windows() RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
            window_end date;
            w_span integer;
            collected integer;
        BEGIN
            IF to_regclass('pg_temp.window_delta') IS NULL THEN
                PERFORM summary_add_windows_but_small_lists();
                RETURN;
            END IF;
            CREATE TEMPORARY TABLE IF NOT EXISTS small_delta (day date, release_id bigint, artist_id bigint)
                ON COMMIT DROP;
            TRUNCATE small_delta;
            INSERT INTO small_delta SELECT DISTINCT d.day, d.release_id, d.artist_id FROM window_delta d;
            GET DIAGNOSTICS collected = ROW_COUNT;
            PERFORM summary_add_windows_but_small_lists();
            window_end := (SELECT w.ends FROM summary_window w);
            IF window_end IS NULL THEN
                RETURN;
            END IF;
            FOR w_span IN SELECT k.span FROM summary_small_kept k ORDER BY k.span LOOP
                IF EXISTS (
                    SELECT FROM small_delta d
                    WHERE d.day <= window_end - w_span AND d.day > window_end - w_span - greatest(w_span, 90)
                ) OR EXISTS (
                    SELECT FROM small_delta d JOIN summary_small_list l
                        ON l.span = w_span AND l.kind = 'new artist' AND l.entity_id = d.artist_id
                    WHERE d.day <= window_end - w_span
                ) THEN
                    PERFORM summary_small_drop(w_span);
                ELSIF EXISTS (SELECT FROM small_delta d WHERE d.day > window_end - w_span) THEN
                    PERFORM summary_small_rank(w_span, k.kind, ARRAY(
                        SELECT DISTINCT CASE WHEN k.kind = 'rising release' THEN d.release_id ELSE d.artist_id END
                        FROM small_delta d WHERE d.day > window_end - w_span))
                    FROM (VALUES ('rising artist'), ('new artist'), ('rising release')) k (kind);
                END IF;
            END LOOP;
            IF collected <= summary_small_build_limit() THEN
                PERFORM summary_small_build_dropped();
            END IF;
        END
        $$;
        """
}
