import Postgres
import Tracker
import Trends

/// An artist's page: who it is, its releases, what its buyers paid.
extension DashboardQuery {
    /// An artist's name, page and place.
    public func artist(_ id: Int64) async throws -> ArtistHeader? {
        guard
            let row = try await db.query(
                """
                SELECT a.id, a.name, a.page_url,
                    (SELECT r.location FROM release r WHERE r.artist_id = a.id AND r.location IS NOT NULL
                     ORDER BY r.page_read_at DESC NULLS LAST LIMIT 1) AS location
                FROM artist a WHERE a.id = \(id)::bigint
                """
            ).first
        else { return nil }
        return ArtistHeader(
            id: id, name: try row.decode("name"), pageURL: try row.decode("page_url"),
            location: try row.decode("location"))
    }

    /// An artist's releases sold in the range, with the median price asked and paid.
    public func artistReleases(_ filter: DashboardFilter, limit: Int = 25) async throws -> [ReleaseRow] {
        try await db.query(
            """
            SELECT coalesce(r.title, r.album_title, r.url) AS title, r.url, count(*) AS sales,
                round(coalesce(sum(s.amount_paid_usd), 0), 2) AS revenue,
                round(percentile_cont(0.5) WITHIN GROUP (ORDER BY s.price_asked_usd)::numeric, 2) AS median_asked,
                round(percentile_cont(0.5) WITHIN GROUP (ORDER BY s.amount_paid_usd)::numeric, 2) AS median_paid,
                avg((s.overpaid_usd > 0)::int) FILTER (WHERE s.price_asked_usd > 0) AS paid_more
            FROM sale s JOIN release r ON r.id = s.release_id WHERE \(filter.condition)
            GROUP BY r.id ORDER BY 3 DESC, 4 DESC, r.id LIMIT \(limit)
            """
        ).map { row in
            ReleaseRow(
                title: try row.decode("title"), url: try row.decode("url"), sales: try row.decode("sales"),
                revenueUSD: try row.decode("revenue"), medianAskedUSD: try row.decode("median_asked"),
                medianPaidUSD: try row.decode("median_paid"), paidMoreShare: try row.decode("paid_more"))
        }
    }

    /// Sales in bands of paid ÷ asked.
    public func paidBands(_ filter: DashboardFilter) async throws -> PaidBands {
        let row =
            if let summary = summaryDay(filter) {
                try await db.query(
                    """
                    SELECT coalesce(sum(d.band_free), 0)::bigint AS band_0, coalesce(sum(d.band_under), 0)::bigint AS band_1,
                        coalesce(sum(d.band_asked), 0)::bigint AS band_2, coalesce(sum(d.band_half), 0)::bigint AS band_3,
                        coalesce(sum(d.band_double), 0)::bigint AS band_4, coalesce(sum(d.band_over), 0)::bigint AS band_5,
                        sum(d.ratio_sum) / nullif(sum(d.ratio_known), 0) AS mean_ratio
                    FROM summary_day d WHERE \(summary)
                    """
                ).single()
            } else {
                try await db.query(
                    """
                    SELECT count(*) FILTER (WHERE s.price_asked_usd = 0) AS band_0,
                        count(*) FILTER (WHERE s.paid_to_price_ratio < 0.995) AS band_1,
                        count(*) FILTER (WHERE s.paid_to_price_ratio >= 0.995 AND s.paid_to_price_ratio <= 1.005) AS band_2,
                        count(*) FILTER (WHERE s.paid_to_price_ratio > 1.005 AND s.paid_to_price_ratio <= 1.5) AS band_3,
                        count(*) FILTER (WHERE s.paid_to_price_ratio > 1.5 AND s.paid_to_price_ratio <= 2) AS band_4,
                        count(*) FILTER (WHERE s.paid_to_price_ratio > 2) AS band_5,
                        avg(s.paid_to_price_ratio) FILTER (WHERE s.price_asked_usd > 0) AS mean_ratio
                    FROM sale s WHERE \(filter.condition)
                    """
                ).single()
            }
        let labels = ["Name your price", "Under the price", "As asked", "Up to +50%", "+50% to double", "Over double"]
        return PaidBands(
            bands: try labels.enumerated().map { index, label in (label, try row.decode("band_\(index)")) },
            meanRatio: try row.decode("mean_ratio"))
    }
}
