extension WarehouseSchema {
    /// A count of the transactions that wrote sales or release tags: what the dashboard keys what it keeps between
    /// requests on (the filter's genre list sums a year of genre days, 25–45 ms of every page at a year), so that a
    /// page never shows what an earlier state of the warehouse gave.
    static let summaryWrites = """
        -- How many transactions took summary_lock(): each that writes sales or release tags does, first, and adds
        -- one here in the same transaction (readers see the new count when they see its writes).
        CREATE TABLE summary_writes (
            single boolean PRIMARY KEY DEFAULT true CHECK (single),
            writes bigint NOT NULL
        );
        INSERT INTO summary_writes (writes) VALUES (0);
        CREATE OR REPLACE FUNCTION summary_lock() RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock(7202612);
            UPDATE summary_writes SET writes = writes + 1;
        END
        $$;
        """
}
