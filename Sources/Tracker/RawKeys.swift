#if canImport(Glibc)
    import Glibc
#endif

/// The keys of raw objects: dated, so that any day can be loaded again from raw.
public enum RawKeys {
    /// `raw/salesfeed/YYYY/MM/DD/HH/<start>-<end>.json.gz`, dated by the window's start (UTC).
    public static func salesfeedWindow(start: Int64, end: Int64) -> String {
        "raw/salesfeed/\(datePath(start))/\(start)-\(end).json.gz"
    }

    /// The prefix of the windows that start on a time's day (UTC): `raw/salesfeed/YYYY/MM/DD/`.
    public static func salesfeedDay(_ seconds: Int64) -> String {
        "raw/salesfeed/\(datePath(seconds).dropLast(3))/"
    }

    /// `YYYY/MM/DD/HH` of a time in seconds since 1970 (UTC).
    static func datePath(_ seconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)/\(two(parts.tm_mon + 1))/\(two(parts.tm_mday))/\(two(parts.tm_hour))"
    }
}
