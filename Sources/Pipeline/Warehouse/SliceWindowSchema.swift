extension WarehouseSchema {
    /// A slice of the sales that the rolling windows are also kept by (migrations 13 and 14): each window's sales
    /// by slice and seller, by slice and release, and by slice and amount paid. A preset range narrowed to one
    /// slice then has its distinct sellers and releases as a count of rows, its leaders by index and its median
    /// from a few thousand amounts, instead of every sale of the slice read from `sale`.
    struct WindowSlice {
        /// In the names of the tables (`summary_window_NAME_artist`), temporary tables and functions.
        let name: String
        /// The suffix of the wrapped functions (`summary_add_windows_but_PLURAL`).
        let plural: String
        /// What the comments call the windows (`the NOUN windows`).
        let noun: String
        /// The column that holds the slice, and its type.
        let column: String
        let columnType: String
        /// The slice of a sale: in `sale s`, and in `sale_delta d`.
        let saleValue: String
        let deltaValue: String
        /// Whether a sale may have no slice (an unknown country), and is then in none.
        let optional: Bool
        /// The comment that opens the migration.
        let about: String

        /// The prefix of the windows' tables (`TABLE_artist`, `TABLE_release`, `TABLE_amount`) and functions.
        var table: String { "summary_window_\(name)" }
        /// The temporary tables a transaction collects the slice's rows in, and maps days to windows in.
        var delta: String { "\(name)_delta" }
        var days: String { "\(name)_days" }

        /// By buyer country (migration 13: the United States over a month of a year took ~1 s from `sale`, the
        /// year ~9 s).
        static let country = WindowSlice(
            name: "country", plural: "countries", noun: "country", column: "country", columnType: "text",
            saleValue: "s.buyer_country_code", deltaValue: "d.country", optional: true,
            about: """
                -- Each window's sales by buyer country and seller, by country and release, and by country and amount paid
                -- to the cent (what the median is taken from). A sale whose country is unknown is in none. A sale's country
                -- never changes: new sales and the windows' moves are all that change these. No day summary holds sales
                -- by country and seller, so the days a window loses or gains are read from `sale`, by time.
                """)

        /// By item type (migration 14: physical items over a month of a year took ~1 s from `sale`, the year ~7 s).
        static let itemType = WindowSlice(
            name: "type", plural: "types", noun: "item type", column: "item_type", columnType: "item_type",
            saleValue: "s.item_type", deltaValue: "d.item_type", optional: false,
            about: """
                -- Each window's sales by item type and seller, by item type and release, and by item type and amount
                -- paid to the cent (what the median is taken from). A sale's item type never changes: new sales and the
                -- windows' moves are all that change these. No day summary holds sales by item type and seller, so the
                -- days a window loses or gains are read from `sale`, by time.
                """)
    }

    /// The migration that keeps the rolling windows by `slice` too: its tables, the functions that add a
    /// transaction's sales to them and move them with the other windows, and their first build from `sale`.
    static func sliceWindows(_ slice: WindowSlice) -> String {
        let (column, table, delta, days) = (slice.column, slice.table, slice.delta, slice.days)
        // The table by slice and `entity` (`artist`, `release`), with its index in ranking order.
        func ranked(_ entity: String) -> String {
            """
            CREATE TABLE \(table)_\(entity) (
                span integer NOT NULL,
                period smallint NOT NULL,
                \(column) \(slice.columnType) NOT NULL,
                \(entity)_id bigint NOT NULL,
                sales bigint NOT NULL,
                revenue numeric NOT NULL,
                PRIMARY KEY (span, period, \(column), \(entity)_id)
            );
            CREATE INDEX \(table)_\(entity)_rank ON \(table)_\(entity)
                (span, period, \(column), sales DESC, round(revenue, 2) DESC, \(entity)_id);
            CREATE INDEX \(table)_\(entity)_empty ON \(table)_\(entity) (span) WHERE sales = 0;
            """
        }
        return """
            \(slice.about)
            \(ranked("artist"))
            \(ranked("release"))
            CREATE TABLE \(table)_amount (
                span integer NOT NULL,
                period smallint NOT NULL,
                \(column) \(slice.columnType) NOT NULL,
                cents bigint NOT NULL,
                sales bigint NOT NULL,
                PRIMARY KEY (span, period, \(column), cents)
            );
            CREATE INDEX \(table)_amount_empty ON \(table)_amount (span) WHERE sales = 0;

            -- Adds the sales of the temporary table \(delta) (by day, \(slice.noun), release, seller and cents; cents
            -- NULL when the amount is unknown) to the windows as \(days) maps them: each day, with its sign (-1:
            -- the day leaves the window), to the windows it counts in. Into empty tables (`fresh`, the first build)
            -- by plain inserts: an upsert checks every row for a conflict that cannot be there. More memory than the
            -- default for the groupings of every window's rows, and the temporary tables analyzed (autovacuum never
            -- does): guessing their sizes, the planner sorted three million rows where it could hash them.
            CREATE FUNCTION \(table)_apply(fresh boolean) RETURNS void LANGUAGE plpgsql
                SET work_mem = '64MB' AS $$
            DECLARE
                -- The windows' rows: the days' sales, summed into each window they count in.
                windowed text := 'FROM \(delta) d JOIN \(days) m ON m.day = d.day';
            \(sliceApplyBegin(slice))
                EXECUTE 'INSERT INTO \(table)_artist AS t (span, period, \(column), artist_id, sales, revenue)
                    SELECT m.span, m.period, d.\(column), d.artist_id, sum(m.sign * d.sales), sum(m.sign * d.revenue) '
                    || windowed || ' GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4' || format(upsert, 'artist_id', revenue);
                EXECUTE 'INSERT INTO \(table)_release AS t (span, period, \(column), release_id, sales, revenue)
                    SELECT m.span, m.period, d.\(column), d.release_id, sum(m.sign * d.sales), sum(m.sign * d.revenue) '
                    || windowed || ' GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4' || format(upsert, 'release_id', revenue);
            \(sliceApplyEnd(slice))

            -- The temporary tables \(table)_apply(fresh) reads, made if this session has none yet.
            CREATE FUNCTION \(table)_tables() RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
                CREATE TEMPORARY TABLE IF NOT EXISTS \(delta) (
                    day date, \(column) \(slice.columnType), release_id bigint, artist_id bigint, cents bigint, sales bigint,
                    revenue numeric
                ) ON COMMIT DROP;
                CREATE TEMPORARY TABLE IF NOT EXISTS \(days) (span integer, period smallint, day date, sign integer)
                    ON COMMIT DROP;
            END
            $$;

            -- The sales of `days` from `sale` into \(delta), each day read by index.
            CREATE FUNCTION \(table)_read(days date[]) RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO \(delta)
                SELECT x.day, \(slice.saleValue), s.release_id, s.artist_id, round(s.amount_paid_usd * 100)::bigint,
                    count(*), coalesce(sum(s.amount_paid_usd), 0)
                FROM unnest(days) x (day) CROSS JOIN LATERAL (
                    SELECT * FROM sale s
                    WHERE s.sold_at >= x.day::timestamp AT TIME ZONE 'UTC'
                        AND s.sold_at < (x.day + 1)::timestamp AT TIME ZONE 'UTC'\
            \(slice.optional ? " AND \(slice.saleValue) IS NOT NULL" : "")
                ) s
                GROUP BY 1, 2, 3, 4, 5;
            END
            $$;

            -- The sales in sale_delta collected for the \(slice.noun) windows as they end now (none before the first
            -- sale: the first move builds them from `sale`), added once the transaction's writing is done.
            ALTER FUNCTION summary_collect_windows() RENAME TO summary_collect_windows_but_\(slice.plural);
            CREATE FUNCTION summary_collect_windows() RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM \(table)_tables();
                IF (SELECT w.ends FROM summary_window w) IS NOT NULL THEN
                    INSERT INTO \(delta)
                    SELECT (d.sold_at AT TIME ZONE 'UTC')::date, \(slice.deltaValue), d.release_id, d.artist_id,
                        round(d.paid * 100)::bigint, count(*), coalesce(sum(d.paid), 0)
                    FROM sale_delta d\(slice.optional ? " WHERE \(slice.deltaValue) IS NOT NULL" : "") GROUP BY 1, 2, 3, 4, 5;
                END IF;
                PERFORM summary_collect_windows_but_\(slice.plural)();
            END
            $$;

            -- What the transaction collected, added to the \(slice.noun) windows before the others are (and moved).
            ALTER FUNCTION summary_add_windows() RENAME TO summary_add_windows_but_\(slice.plural);
            CREATE FUNCTION summary_add_windows() RETURNS void LANGUAGE plpgsql AS $$
            DECLARE
                window_end date := (SELECT w.ends FROM summary_window w);
            BEGIN
                IF to_regclass('pg_temp.\(delta)') IS NOT NULL THEN
                    IF window_end IS NOT NULL THEN
                        INSERT INTO \(days)
                        SELECT w.span, w.period, x.day, 1
                        FROM (SELECT DISTINCT d.day FROM \(delta) d) x
                            JOIN summary_window_days(window_end) w ON x.day BETWEEN w.first AND w.last;
                        PERFORM \(table)_apply(false);
                    END IF;
                    TRUNCATE \(delta), \(days);
                END IF;
                PERFORM summary_add_windows_but_\(slice.plural)();
            END
            $$;

            -- The \(slice.noun) windows ending on `ends` summed from `sale`, for tables with none of their rows.
            CREATE FUNCTION \(table)_build(ends date) RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM \(table)_tables();
                TRUNCATE \(delta), \(days);
                INSERT INTO \(days)
                SELECT w.span, w.period, w.first + i, 1
                FROM summary_window_days(ends) w, generate_series(0, w.last - w.first) i;
                PERFORM \(table)_read(ARRAY(SELECT DISTINCT m.day FROM \(days) m));
                PERFORM \(table)_apply(true);
            END
            $$;
            SELECT \(table)_build(w.ends) FROM summary_window w WHERE w.ends IS NOT NULL;

            -- The \(slice.noun) windows moved with the others: built from `sale` when there are none, else the days that
            -- leave a window taken from it and those that enter it added, each day's sales read from `sale`.
            ALTER FUNCTION summary_window_move(date, date) RENAME TO summary_window_move_but_\(slice.plural);
            CREATE FUNCTION summary_window_move(old date, new date) RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
                IF old IS NULL AND NOT EXISTS (SELECT FROM \(table)_artist)
                    AND NOT EXISTS (SELECT FROM \(table)_release)
                    AND NOT EXISTS (SELECT FROM \(table)_amount)
                THEN
                    PERFORM \(table)_build(new);
                ELSE
                    PERFORM \(table)_tables();
                    TRUNCATE \(delta), \(days);
                    INSERT INTO \(days) SELECT * FROM summary_window_changes(old, new);
                    PERFORM \(table)_read(ARRAY(SELECT DISTINCT m.day FROM \(days) m));
                    PERFORM \(table)_apply(false);
                END IF;
                PERFORM summary_window_move_but_\(slice.plural)(old, new);
            END
            $$;
            """
    }
}
