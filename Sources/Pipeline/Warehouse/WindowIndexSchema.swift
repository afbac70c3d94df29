extension WarehouseSchema {
    /// The rolling windows' first build (the first day with a sale, or `rebuild-summaries`) with their ranking
    /// indexes made once the rows are in (migration 21). Kept row by row, an index in ranking order (sales, then
    /// revenue rounded to the cent) is a descent of the tree for every row in no order of its own: about 4.4 µs a
    /// row against 1.3 µs for the key, which the rows go in in the order of (a million sales: 1.9 million rows of
    /// the country-release window alone).
    static let windowIndexes = """
        -- The indexes on `tables` that no constraint holds (the keys stay), dropped; their definitions kept in the
        -- temporary table summary_index_dropped for summary_indexes_restore(). The tables are then locked until
        -- the transaction ends, as TRUNCATE locks them (rebuild-summaries empties them so).
        CREATE FUNCTION summary_indexes_drop(tables regclass[]) RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
            dropped regclass;
        BEGIN
            CREATE TEMPORARY TABLE IF NOT EXISTS summary_index_dropped (definition text NOT NULL) ON COMMIT DROP;
            FOR dropped IN
                SELECT i.indexrelid FROM pg_index i
                WHERE i.indrelid = ANY (tables)
                    AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                ORDER BY i.indexrelid
            LOOP
                INSERT INTO summary_index_dropped VALUES (pg_get_indexdef(dropped));
                EXECUTE 'DROP INDEX ' || dropped;
            END LOOP;
        END
        $$;

        -- The indexes summary_indexes_drop() dropped, made again from the rows now in their tables.
        CREATE FUNCTION summary_indexes_restore() RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
            definition text;
        BEGIN
            FOR definition IN SELECT d.definition FROM summary_index_dropped d LOOP
                EXECUTE definition;
            END LOOP;
            TRUNCATE summary_index_dropped;
        END
        $$;

        -- The windows moved as before; when none has a row yet (every one is then built from nothing), without
        -- their ranking indexes until they are filled.
        ALTER FUNCTION summary_window_move(date, date) RENAME TO summary_window_move_but_indexes;
        CREATE FUNCTION summary_window_move(old date, new date) RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
            tables regclass[] := ARRAY[
                'summary_window_release', 'summary_window_artist', 'summary_window_genre_artist',
                'summary_window_place', 'summary_window_country_artist', 'summary_window_country_release',
                'summary_window_country_amount', 'summary_window_type_artist', 'summary_window_type_release',
                'summary_window_type_amount'];
            fresh boolean := old IS NULL;
            t regclass;
        BEGIN
            FOREACH t IN ARRAY tables LOOP
                EXIT WHEN NOT fresh;
                EXECUTE format('SELECT NOT EXISTS (SELECT FROM %s)', t) INTO fresh;
            END LOOP;
            IF fresh THEN
                PERFORM summary_indexes_drop(tables);
            END IF;
            PERFORM summary_window_move_but_indexes(old, new);
            IF fresh THEN
                PERFORM summary_indexes_restore();
            END IF;
        END
        $$;
        """
}
