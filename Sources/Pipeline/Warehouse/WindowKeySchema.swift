extension WarehouseSchema {
    /// The rolling windows' first build with their keys made after the rows are in too (migration 22). Kept row
    /// by row as the rows go in (in key order), the key of the country-release window of a million sales cost
    /// 3.6 s of inserts against 1.0 s without it, and made from those rows afterwards it takes 1.1 s. The whole
    /// first build of a million sales' windows, in turn in rolled-back transactions: 45.7 and 45.8 s with the keys
    /// kept, 39.8 and 37.0 s with them made after.
    static let windowKeys = """
        -- The indexes on `tables`, dropped, keys among them (with their constraints); their definitions kept in
        -- the temporary table summary_index_dropped for summary_indexes_restore(). The tables are then locked
        -- until the transaction ends, as TRUNCATE locks them (rebuild-summaries empties them so). Only for a
        -- build by plain inserts: an upsert needs the key.
        CREATE OR REPLACE FUNCTION summary_indexes_drop(tables regclass[]) RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
            dropped record;
        BEGIN
            CREATE TEMPORARY TABLE IF NOT EXISTS summary_index_dropped (definition text NOT NULL) ON COMMIT DROP;
            FOR dropped IN
                SELECT i.indexrelid, i.indrelid, c.conname, pg_get_constraintdef(c.oid) AS constraint_definition
                FROM pg_index i
                    LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
                WHERE i.indrelid = ANY (tables)
                ORDER BY i.indexrelid
            LOOP
                IF dropped.conname IS NULL THEN
                    INSERT INTO summary_index_dropped VALUES (pg_get_indexdef(dropped.indexrelid));
                    EXECUTE 'DROP INDEX ' || dropped.indexrelid::regclass;
                ELSE
                    INSERT INTO summary_index_dropped VALUES (format('ALTER TABLE %s ADD CONSTRAINT %I %s',
                        dropped.indrelid::regclass, dropped.conname, dropped.constraint_definition));
                    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', dropped.indrelid::regclass, dropped.conname);
                END IF;
            END LOOP;
        END
        $$;
        """
}
