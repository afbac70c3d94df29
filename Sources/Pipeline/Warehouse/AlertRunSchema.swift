extension WarehouseSchema {
    /// The hours the trend rules were evaluated at: a day without alerts is then told apart from a day nobody
    /// looked at.
    static let alertRuns = """
        -- Every evaluation of the trend rules (the end of their current windows) and how many alerts it raised; a
        -- rerun of the same hour updates its row.
        CREATE TABLE alert_run (
            evaluated_at timestamptz PRIMARY KEY,
            alerts integer NOT NULL CHECK (alerts >= 0),
            finished_at timestamptz NOT NULL DEFAULT now()
        );
        -- The hours of the alerts already recorded count as evaluated.
        INSERT INTO alert_run (evaluated_at, alerts)
        SELECT evaluated_at, count(*) FROM alert GROUP BY evaluated_at;
        """
}
