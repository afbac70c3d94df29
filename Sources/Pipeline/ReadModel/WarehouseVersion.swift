import Postgres

/// How far the warehouse has been written, as far as the dashboard's filter choices go: what can be kept between
/// requests while it stays the same. The transactions that wrote sales or release tags (each counts itself in the
/// same transaction), the latest alert, and when the latest run of the trend rules ended (a rerun of an hour
/// updates its alerts in place and then its run).
public struct WarehouseVersion: Sendable, Equatable {
    public var writes: Int64
    public var latestAlert: Int64?
    /// Microseconds since 1970.
    public var lastAlertRun: Int64?
}

extension DashboardQuery {
    /// The warehouse's version now: three rows read by index or from a table of one row.
    public func warehouseVersion() async throws -> WarehouseVersion {
        let row = try await db.query(
            """
            SELECT (SELECT w.writes FROM summary_writes w) AS writes, (SELECT max(a.id) FROM alert a) AS latest_alert,
                (SELECT (extract(epoch FROM max(r.finished_at)) * 1000000)::bigint FROM alert_run r) AS last_alert_run
            """
        ).single()
        return WarehouseVersion(
            writes: try row.decode("writes"), latestAlert: try row.decode("latest_alert"),
            lastAlertRun: try row.decode("last_alert_run"))
    }
}
