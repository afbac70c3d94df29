extension WarehouseSchema {
    /// The windows by buyer country and by item type summed a window at a time (migration 20). One statement for
    /// all the windows hashed every (window, day) pair's rows at once: a million sales on one day are three million
    /// rows into four windows, a grouping that spilled to disk and a sort of 1.9 million rows that did too (25.4 s
    /// for the country-release window's first build; 20.3 s a window at a time).
    static let sliceWindowApply = [WindowSlice.country, .itemType].map(sliceApply).joined(separator: "\n")

    /// `summary_window_SLICE_apply(fresh)` again, the same sums a window at a time.
    static func sliceApply(_ slice: WindowSlice) -> String {
        let (name, column) = (slice.name, slice.column)
        let table = "summary_window_\(name)"
        let (delta, days) = ("\(name)_delta", "\(name)_days")
        return """
            -- Adds the sales of the temporary table \(delta) (by day, \(slice.noun), release, seller and cents; cents
            -- NULL when the amount is unknown) to the windows as \(days) maps them: each day, with its sign (-1:
            -- the day leaves the window), to the windows it counts in; one window at a time, in the order of the
            -- tables' keys. Into empty tables (`fresh`, the first build) by plain inserts: an upsert checks every row
            -- for a conflict that cannot be there. The temporary tables analyzed (autovacuum never does).
            CREATE OR REPLACE FUNCTION \(table)_apply(fresh boolean) RETURNS void LANGUAGE plpgsql
                SET work_mem = '64MB' AS $$
            DECLARE
                -- The window's rows: the days' sales that count in it.
                windowed text := 'FROM \(delta) d JOIN \(days) m ON m.day = d.day AND m.span = $1 AND m.period = $2';
                -- What an upsert adds to a row that is there.
                upsert text := CASE WHEN fresh THEN '' ELSE
                    ' ON CONFLICT (span, period, \(column), %s) DO UPDATE SET sales = t.sales + excluded.sales%s' END;
                revenue text := ', revenue = t.revenue + excluded.revenue';
                w record;
            BEGIN
                ANALYZE \(delta), \(days);
                FOR w IN SELECT DISTINCT m.span, m.period FROM \(days) m ORDER BY 1, 2 LOOP
                    EXECUTE 'INSERT INTO \(table)_artist AS t (span, period, \(column), artist_id, sales, revenue)
                        SELECT $1, $2, d.\(column), d.artist_id, sum(m.sign * d.sales), sum(m.sign * d.revenue) '
                        || windowed || ' GROUP BY 3, 4 ORDER BY 3, 4' || format(upsert, 'artist_id', revenue)
                        USING w.span, w.period;
                    EXECUTE 'INSERT INTO \(table)_release AS t (span, period, \(column), release_id, sales, revenue)
                        SELECT $1, $2, d.\(column), d.release_id, sum(m.sign * d.sales), sum(m.sign * d.revenue) '
                        || windowed || ' GROUP BY 3, 4 ORDER BY 3, 4' || format(upsert, 'release_id', revenue)
                        USING w.span, w.period;
                END LOOP;
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
}
