extension WarehouseSchema {
    /// How many releases and artists each rolling window holds, kept as the windows change: a preset range's
    /// distinct releases and artists are then one row, not a count of up to two million.
    static let windowSizes = """
        -- How many rows each rolling window holds: its distinct releases and artists (counting the year's two
        -- million release rows took 225 ms of the year's overview), kept by statement triggers on the windows'
        -- inserts, deletes and truncations.
        CREATE TABLE summary_window_size (
            span integer NOT NULL,
            period smallint NOT NULL,
            releases bigint NOT NULL,
            artists bigint NOT NULL,
            PRIMARY KEY (span, period)
        );
        INSERT INTO summary_window_size (span, period, releases, artists)
        SELECT s.days, p.period,
            (SELECT count(*) FROM summary_window_release r WHERE r.span = s.days AND r.period = p.period),
            (SELECT count(*) FROM summary_window_artist a WHERE a.span = s.days AND a.period = p.period)
        FROM summary_window_span s, (VALUES (0), (1)) p (period);
        -- Adds (sign 1: rows inserted) or takes away (-1: deleted) the statement's rows `changed` of a window table;
        -- a truncation empties its count.
        CREATE FUNCTION summary_window_size_rows() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            sign integer := TG_ARGV[0]::integer;
            is_release integer := (TG_TABLE_NAME = 'summary_window_release')::integer;
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                UPDATE summary_window_size w
                SET releases = w.releases * (1 - is_release), artists = w.artists * is_release;
            ELSE
                UPDATE summary_window_size w
                SET releases = w.releases + sign * c.rows * is_release,
                    artists = w.artists + sign * c.rows * (1 - is_release)
                FROM (SELECT x.span, x.period, count(*) AS rows FROM changed x GROUP BY 1, 2) c
                WHERE w.span = c.span AND w.period = c.period;
            END IF;
            RETURN NULL;
        END
        $$;
        CREATE TRIGGER summary_window_release_added AFTER INSERT ON summary_window_release
            REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION summary_window_size_rows('1');
        CREATE TRIGGER summary_window_release_removed AFTER DELETE ON summary_window_release
            REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION summary_window_size_rows('-1');
        CREATE TRIGGER summary_window_release_emptied AFTER TRUNCATE ON summary_window_release
            FOR EACH STATEMENT EXECUTE FUNCTION summary_window_size_rows('0');
        CREATE TRIGGER summary_window_artist_added AFTER INSERT ON summary_window_artist
            REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION summary_window_size_rows('1');
        CREATE TRIGGER summary_window_artist_removed AFTER DELETE ON summary_window_artist
            REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION summary_window_size_rows('-1');
        CREATE TRIGGER summary_window_artist_emptied AFTER TRUNCATE ON summary_window_artist
            FOR EACH STATEMENT EXECUTE FUNCTION summary_window_size_rows('0');
        """
}
