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
        /// The range's length in days and the number of sales a small artist stays under.
        let days: Int
        let under: Int

        /// The artists that sold at least `floor` (an expression) in the range's rolling window and that the
        /// windows do not show to be too big: every small artist selling that much, and a few that are not (the
        /// probe settles them). Set-wise, two ranges of the windows' ranking index joined by hash, so that the
        /// many best sellers that are surely not small (most of a year's artists selling that much, for small
        /// sizes) are never looked at one by one. Only within a statement that reads the range's window.
        func artists(floor: SQLQuery) -> SQLQuery {
            let small = DashboardQuery.smallArtistDays
            let selling: SQLQuery = """
                SELECT a.artist_id FROM summary_window_artist a
                WHERE a.span = \(days)::integer AND a.period = 0 AND a.sales >= \(floor)
                """
            if days > small { return selling }  // The 90 days before a longer range are all before its window.
            if days == small {
                // The window's period 1 is exactly the 90 days before.
                return """
                    \(selling) AND NOT EXISTS (
                        SELECT FROM summary_window_artist n
                        WHERE n.span = \(small)::integer AND n.period = 1 AND n.artist_id = a.artist_id
                            AND n.sales >= \(under))
                    """
            }
            // A shorter range: the 90-day window less the range is within the 90 days before it (`smallBounds`).
            // An artist selling `floor` in the range sells at least that in the 90-day window (it holds the range).
            let spanned: SQLQuery = "EXISTS (SELECT FROM summary_window_span s WHERE s.days = \(small)::integer)"
            return """
                SELECT a.artist_id FROM summary_window_artist a
                    JOIN summary_window_artist n ON n.span = \(small)::integer AND n.period = 0
                        AND n.artist_id = a.artist_id AND n.sales >= \(floor)
                WHERE a.span = \(days)::integer AND a.period = 0 AND a.sales >= \(floor)
                    AND n.sales - a.sales < \(under) AND \(spanned)
                UNION ALL
                \(selling) AND NOT \(spanned)
                """
        }
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
            sure: "(SELECT k.lower + k.beyond < \(under) FROM (\(window)) k)", days: filter.days, under: under)
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
