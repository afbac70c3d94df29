import Postgres
import Tracker

/// Who counts as a small artist on Discover: fewer than N sales in the 90 days before the range, on all of
/// Bandcamp whatever else the filter narrows to.
extension DashboardQuery {
    /// The probe that an artist is small, and a cheaper condition under which it surely is.
    struct SmallArtist {
        /// That the artist (an expression) had fewer than `under` sales in the 90 days before the range: exact
        /// for any range.
        let probe: SQLQuery
        /// That the rolling windows alone show it: only within a statement that reads the range's window (its
        /// range is the window's period 0), where it names far fewer artists than the probe passes, quickly.
        let sure: SQLQuery
    }

    /// The small-artist probe for artists `artist` (an expression) under `under` sales. Read by index from `sale`,
    /// counting no further than `under`; but when the range is a preset one up to the latest day, the artists'
    /// rolling windows bound the 90 days before it from both sides (`smallBounds`), and only an artist between
    /// the bounds reads `sale`: the rising releases of 30 days at a year's volume settle 88% of their
    /// artists by three window rows each.
    func small(_ under: Int, _ filter: DashboardFilter, artist: SQLQuery) -> SmallArtist {
        let start = filter.from.adding(days: -Int64(Self.smallArtistDays)).start
        let bounds = Self.smallBounds(days: filter.days)
        let window: SQLQuery = """
            SELECT a.artist, \(bounds.lower) AS lower, \(bounds.beyond) AS beyond
            FROM (SELECT \(artist) AS artist OFFSET 0) a
            """
        let exact: SQLQuery = """
            (SELECT count(*) FROM (
                SELECT 1 FROM sale h WHERE h.artist_id = k.artist
                    AND h.sold_at >= to_timestamp(\(start)::float8) AND h.sold_at < to_timestamp(\(filter.from.start)::float8)
                LIMIT \(under)) z) < \(under)
            """
        // The artist is looked up once (the fence, `OFFSET 0`, keeps it out of each bound). The bounds hold only
        // while the windows end on the range's last day and keep a 90-day span.
        let windowed: SQLQuery = """
            \(filter.windowPeriod) = 0
                AND EXISTS (SELECT FROM summary_window_span s WHERE s.days = \(Self.smallArtistDays)::integer)
            """
        return SmallArtist(
            probe: """
                (SELECT CASE WHEN (\(windowed)) IS NOT TRUE THEN \(exact) WHEN k.lower >= \(under) THEN false
                    WHEN k.lower + k.beyond < \(under) THEN true ELSE \(exact) END
                FROM (\(window)) k)
                """,
            sure: "(SELECT k.lower + k.beyond < \(under) FROM (\(window)) k)")
    }

    /// What the rolling windows of every artist's sales bound an artist's (`a.artist`) sales in the 90 days
    /// before a range of `days` days by, when the range is its window's period 0: at least `lower`, at most
    /// `lower + beyond`. Period p of a span of s days holds the days (e − s(p + 1), e − sp], e the latest day;
    /// the range is (e − days, e], the 90 days before it (e − days − 90, e − days]. A shorter range: the 90-day
    /// window less the range holds (e − 90, e − days], inside; the rest, (e − days − 90, e − 90], is within the
    /// 90 days before that. A range of 90 days: the 90 days before exactly. A longer one: the range before it
    /// holds them.
    static func smallBounds(days: Int) -> (lower: SQLQuery, beyond: SQLQuery) {
        let small = smallArtistDays
        func sales(_ span: Int, period: Int) -> SQLQuery {
            """
            coalesce((SELECT v.sales FROM summary_window_artist v
                WHERE v.span = \(span)::integer AND v.period = \(period)::smallint AND v.artist_id = a.artist), 0)
            """
        }
        if days < small {
            return ("\(sales(small, period: 0)) - \(sales(days, period: 0))", sales(small, period: 1))
        }
        if days == small { return (sales(small, period: 1), "0") }
        return ("0", sales(days, period: 1))
    }
}
