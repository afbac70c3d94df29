#if canImport(Glibc)
    import Glibc
#endif

/// The keys of raw objects, written by Extract and read by Load: windows dated, so that any day can be loaded
/// again from raw; release pages by their URL.
public enum RawKeys {
    /// Where the feed's windows are.
    public static let salesfeedPrefix = "raw/salesfeed/"
    /// Where the release pages are.
    public static let releasesPrefix = "raw/releases/"
    /// Where datasets to backfill from are put (Components' CSV: `backfill/components/<name>.csv`).
    public static let backfillPrefix = "backfill/"
    /// Where chart exports are put (Spotify's CSV: `charts/<name>.csv`).
    public static let chartsPrefix = "charts/"
    /// The ending of every raw object's key.
    public static let suffix = ".json.gz"

    /// `raw/salesfeed/YYYY/MM/DD/HH/<start>-<end>.json.gz`, dated by the window's start (UTC).
    public static func salesfeedWindow(start: Int64, end: Int64) -> String {
        "\(salesfeedPrefix)\(datePath(start))/\(start)-\(end)\(suffix)"
    }

    /// The prefix of the windows that start on a time's day (UTC): `raw/salesfeed/YYYY/MM/DD/`.
    public static func salesfeedDay(_ seconds: Int64) -> String {
        "\(salesfeedPrefix)\(datePath(seconds).dropLast(3))/"
    }

    /// The raw object of a release page: `raw/releases/<host>/<path>.json.gz`.
    public static func releasePage(_ url: String) -> String {
        let rest = url.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: true).dropFirst()
        let path = rest.joined(separator: "/")
        return "\(releasesPrefix)\(path.hasSuffix("/") ? String(path.dropLast()) : path)\(suffix)"
    }

    /// The release page's URL, `https://host/path`, from its key: what `releasePage` made it from.
    public static func releaseURL(fromKey key: String) -> String? {
        guard key.hasPrefix(releasesPrefix), key.hasSuffix(suffix) else { return nil }
        let rest = key.dropFirst(releasesPrefix.count).dropLast(suffix.count)
        return rest.isEmpty ? nil : "https://\(rest)"
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
