extension WarehouseSchema {
    /// The windows by buyer country and by item type summed in one pass over the collected rows (migration 20).
    /// One statement for all the windows joined every row with each window its day counts in, and grouped the
    /// pairs: a million sales on one day are three million rows into four windows, a grouping that spilled to
    /// disk and a sort of 1.9 million rows that did too (25.4 s for the country-release window's first build).
    static let sliceWindowApply = [WindowSlice.country, .itemType].map { sliceApply($0) }.joined(separator: "\n")

    /// The windows by buyer country and by item type summed once for each set of collected days (migration 23).
    /// With a column of sums for every window, a load of today's sales summed each row eight times, into four
    /// windows that count the same day and four that count none of it (the first build of a million sales: 2.2 s
    /// of each of the four groupings' 4.4 s).
    static let sliceWindowShared = [WindowSlice.country, .itemType].map { sliceApply($0, shared: true) }
        .joined(separator: "\n")

    /// `summary_window_SLICE_apply(fresh)` again: each row grouped once, with a sum for each window; `shared`: for
    /// each different set of the collected days and their signs, none for a window that counts none of them.
    static func sliceApply(_ slice: WindowSlice, shared: Bool = false) -> String {
        let (name, column, table, delta, days) = (slice.name, slice.column, slice.table, slice.delta, slice.days)
        // A window's column of sums: its own, or the one of every window with the same collected days.
        let sums = shared ? "columns[i]" : "i"
        let about =
            shared
            ? """

            -- Windows that count the same collected days with the same signs share one column of sums (a load of
            -- today's sales: the four windows ending today), and a window that counts none of them has none.
            """ : ""
        let declared = shared ? "\n    columns integer[];" : ""
        let windows =
            shared
            ? """
            -- Each window that counts a collected day, and its column of sums: one for each set of days and signs.
            SELECT array_agg(w.span ORDER BY w.span, w.period), array_agg(w.period ORDER BY w.span, w.period),
                array_agg(w.shared ORDER BY w.span, w.period)
            INTO spans, periods, columns
            FROM (
                SELECT c.span, c.period, dense_rank() OVER (ORDER BY c.counted) AS shared
                FROM (
                    SELECT m.span, m.period, array_agg(m.day || ' ' || m.sign ORDER BY m.day) AS counted
                    FROM (SELECT m.span, m.period, m.day, sum(m.sign) AS sign FROM \(days) m
                        WHERE m.day IN (SELECT d.day FROM \(delta) d) GROUP BY 1, 2, 3 HAVING sum(m.sign) <> 0) m
                    GROUP BY 1, 2
                ) c
            ) w;
            """
            : """
            SELECT array_agg(w.span ORDER BY w.span, w.period), array_agg(w.period ORDER BY w.span, w.period)
            INTO spans, periods FROM (SELECT DISTINCT m.span, m.period FROM \(days) m) w;
            """
        // Indented as the function's body.
        let windowsIndented = windows.split(separator: "\n").joined(separator: "\n    ")
        let first = shared ? " WHERE array_position(columns, columns[i]) = i" : ""
        return """
            -- Adds the sales of the temporary table \(delta) (by day, \(slice.noun), release, seller and cents; cents
            -- NULL when the amount is unknown) to the windows as \(days) maps them: each day, with its sign (-1:
            -- the day leaves the window), to the windows it counts in. Each day's signs are set side by side, a
            -- column a window; the rows are grouped once by \(slice.noun) and seller (release), with a sum and a
            -- count of rows for each window, into a temporary table in key order; each window's rows are then
            -- inserted from it. Into empty tables (`fresh`, the first build) by plain inserts: an upsert checks
            -- every row for a conflict that cannot be there. The temporary tables analyzed (autovacuum never does).\(about)
            CREATE OR REPLACE FUNCTION \(table)_apply(fresh boolean) RETURNS void LANGUAGE plpgsql
                SET work_mem = '64MB' AS $$
            DECLARE
                spans integer[];
                periods smallint[];\(declared)
                signs text;
                sums text;
                entity text;
            \(sliceApplyBegin(slice))
                \(windowsIndented)
                IF spans IS NOT NULL THEN
                    SELECT string_agg(format('coalesce(sum(m.sign) FILTER (WHERE m.span = %s AND m.period = %s), 0) AS s%s',
                            spans[i], periods[i], \(sums)), ', '),
                        string_agg(format('sum(p.s%1$s * d.sales) AS sales%1$s, sum(p.s%1$s * d.revenue) AS revenue%1$s, '
                            'count(*) FILTER (WHERE p.s%1$s <> 0) AS rows%1$s', \(sums)), ', ')
                    INTO signs, sums FROM generate_subscripts(spans, 1) i\(first);
                    FOREACH entity IN ARRAY ARRAY['artist', 'release'] LOOP
                        EXECUTE format('CREATE TEMPORARY TABLE \(name)_window_sums ON COMMIT DROP AS
                            SELECT d.\(column), d.%1$s_id, %2$s
                            FROM \(delta) d JOIN (SELECT m.day, %3$s FROM \(days) m GROUP BY m.day) p ON p.day = d.day
                            GROUP BY 1, 2 ORDER BY 1, 2', entity, sums, signs);
                        FOR i IN 1 .. array_length(spans, 1) LOOP
                            EXECUTE format('INSERT INTO \(table)_%1$s AS t (span, period, \(column), %1$s_id, sales, revenue)
                                SELECT %2$s, %3$s, x.\(column), x.%1$s_id, x.sales%4$s, x.revenue%4$s
                                FROM \(name)_window_sums x WHERE x.rows%4$s > 0', entity, spans[i], periods[i], \(sums))
                                || format(upsert, entity || '_id', revenue);
                        END LOOP;
                        DROP TABLE \(name)_window_sums;
                    END LOOP;
                END IF;
            \(sliceApplyEnd(slice))
            """
    }

    /// The end of `summary_window_SLICE_apply(fresh)` (both versions): the amounts added, the rows that fell to
    /// zero deleted, the temporary tables emptied. Its lines after the first are indented as the function's body.
    static func sliceApplyEnd(_ slice: WindowSlice) -> String {
        let (column, table, delta, days) = (slice.column, slice.table, slice.delta, slice.days)
        return """
                -- The amounts summed by day first: a few thousand rows a day, not one a sale.
                EXECUTE 'INSERT INTO \(table)_amount AS t (span, period, \(column), cents, sales)
                    SELECT m.span, m.period, d.\(column), d.cents, sum(m.sign * d.sales)
                    FROM (SELECT x.day, x.\(column), x.cents, sum(x.sales) AS sales FROM \(delta) x
                        WHERE x.cents IS NOT NULL GROUP BY 1, 2, 3) d JOIN \(days) m ON m.day = d.day
                    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4' || format(upsert, 'cents', '');
                IF NOT fresh THEN
                    DELETE FROM \(table)_artist WHERE sales = 0;
                    DELETE FROM \(table)_release WHERE sales = 0;
                    DELETE FROM \(table)_amount WHERE sales = 0;
                END IF;
                TRUNCATE \(delta), \(days);
            END
            $$;
            """
    }

    /// The last declarations of `summary_window_SLICE_apply(fresh)` (both versions), what the upserts add, and the
    /// body's first statement. Its lines are indented as the function's.
    static func sliceApplyBegin(_ slice: WindowSlice) -> String {
        let (column, delta, days) = (slice.column, slice.delta, slice.days)
        return """
                -- What an upsert adds to a row that is there.
                upsert text := CASE WHEN fresh THEN '' ELSE
                    ' ON CONFLICT (span, period, \(column), %s) DO UPDATE SET sales = t.sales + excluded.sales%s' END;
                revenue text := ', revenue = t.revenue + excluded.revenue';
            BEGIN
                ANALYZE \(delta), \(days);
            """
    }
}
