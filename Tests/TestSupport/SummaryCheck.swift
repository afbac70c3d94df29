import Postgres
import Warehouse

/// Every summary table beside the same summary worked out from `sale` (and the releases' tags as they are now),
/// in plain SQL of the test's own: the rows of either that the other lacks.
public enum SummaryCheck {
    /// Each summary's definition over `sale`, with the columns in the table's order.
    static let definitions: [(table: String, sql: String)] = [
        (
            "summary_day",
            """
            SELECT (sold_at AT TIME ZONE 'UTC')::date, coalesce(buyer_country_code, ''), item_type, count(*),
                coalesce(sum(amount_paid_usd), 0),
                count(*) FILTER (WHERE price_asked_usd > 0 AND overpaid_usd IS NOT NULL),
                count(*) FILTER (WHERE price_asked_usd > 0 AND overpaid_usd > 0),
                count(overpaid_usd), count(*) FILTER (WHERE overpaid_usd > 0),
                count(*) FILTER (WHERE price_asked_usd = 0),
                count(*) FILTER (WHERE paid_to_price_ratio < 0.995),
                count(*) FILTER (WHERE paid_to_price_ratio BETWEEN 0.995 AND 1.005),
                count(*) FILTER (WHERE paid_to_price_ratio > 1.005 AND paid_to_price_ratio <= 1.5),
                count(*) FILTER (WHERE paid_to_price_ratio > 1.5 AND paid_to_price_ratio <= 2),
                count(*) FILTER (WHERE paid_to_price_ratio > 2),
                count(paid_to_price_ratio) FILTER (WHERE price_asked_usd > 0),
                coalesce(sum(paid_to_price_ratio) FILTER (WHERE price_asked_usd > 0), 0)
            FROM sale GROUP BY 1, 2, 3
            """
        ),
        (
            "summary_hour",
            """
            SELECT to_timestamp(floor(extract(epoch FROM sold_at) / 3600) * 3600), count(*),
                coalesce(sum(amount_paid_usd), 0)
            FROM sale GROUP BY 1
            """
        ),
        (
            "summary_artist_day",
            """
            SELECT (sold_at AT TIME ZONE 'UTC')::date, artist_id, count(*), coalesce(sum(amount_paid_usd), 0)
            FROM sale GROUP BY 1, 2
            """
        ),
        (
            "summary_release_day",
            """
            SELECT (sold_at AT TIME ZONE 'UTC')::date, release_id, artist_id, count(*),
                coalesce(sum(amount_paid_usd), 0)
            FROM sale GROUP BY 1, 2, 3
            """
        ),
        (
            "summary_amount_day",
            """
            SELECT (sold_at AT TIME ZONE 'UTC')::date, round(amount_paid_usd * 100)::bigint, count(*)
            FROM sale WHERE amount_paid_usd IS NOT NULL GROUP BY 1, 2
            """
        ),
        (
            "summary_genre_day",
            """
            SELECT (s.sold_at AT TIME ZONE 'UTC')::date, rt.tag_id, count(*), coalesce(sum(s.amount_paid_usd), 0)
            FROM sale s JOIN release_tag rt USING (release_id) GROUP BY 1, 2
            """
        ),
        (
            "summary_genre_hour",
            """
            SELECT to_timestamp(floor(extract(epoch FROM s.sold_at) / 3600) * 3600), rt.tag_id, count(*)
            FROM sale s JOIN release_tag rt USING (release_id) GROUP BY 1, 2
            """
        ),
        (
            "summary_genre_country_day",
            """
            SELECT (s.sold_at AT TIME ZONE 'UTC')::date, rt.tag_id, coalesce(s.buyer_country_code, ''), count(*),
                coalesce(sum(s.amount_paid_usd), 0)
            FROM sale s JOIN release_tag rt USING (release_id) GROUP BY 1, 2, 3
            """
        ),
        (
            "summary_analysis_day",
            """
            SELECT (sold_at AT TIME ZONE 'UTC')::date, item_type,
                CASE WHEN item_type = 'physical' THEN physical_format(item_description) ELSE '' END,
                coalesce(currency, ''), coalesce(buyer_country_code, ''), count(*), coalesce(sum(amount_paid_usd), 0),
                count(*) FILTER (WHERE price_asked > 0 AND amount_paid IS NOT NULL),
                count(*) FILTER (WHERE price_asked > 0 AND amount_paid > price_asked),
                count(*) FILTER (WHERE price_asked > 0 AND amount_paid = price_asked),
                coalesce(sum(overpaid_usd) FILTER (WHERE price_asked > 0), 0),
                coalesce(sum(overpaid_usd) FILTER (WHERE price_asked > 0 AND amount_paid > price_asked), 0),
                count(overpaid_usd) FILTER (WHERE price_asked > 0 AND amount_paid > price_asked),
                count(*) FILTER (WHERE price_asked = 0), count(*) FILTER (WHERE price_asked = 0 AND amount_paid > 0),
                coalesce(sum(amount_paid_usd) FILTER (WHERE price_asked = 0 AND amount_paid > 0), 0),
                count(amount_paid_usd) FILTER (WHERE price_asked = 0 AND amount_paid > 0),
                count(*) FILTER (WHERE paid_to_price_ratio <= 0.999999),
                count(*) FILTER (WHERE paid_to_price_ratio > 0.999999 AND paid_to_price_ratio <= 1),
                count(*) FILTER (WHERE paid_to_price_ratio > 1 AND paid_to_price_ratio <= 1.5),
                count(*) FILTER (WHERE paid_to_price_ratio > 1.5 AND paid_to_price_ratio <= 2),
                count(*) FILTER (WHERE paid_to_price_ratio > 2 AND paid_to_price_ratio <= 5),
                count(*) FILTER (WHERE paid_to_price_ratio > 5)
            FROM sale GROUP BY 1, 2, 3, 4, 5
            """
        ),
        (
            "summary_ratio_day",
            """
            SELECT (sold_at AT TIME ZONE 'UTC')::date, paid_to_price_ratio, count(*)
            FROM sale WHERE paid_to_price_ratio IS NOT NULL GROUP BY 1, 2
            """
        ),
        (
            "summary_ratio_slice_day",
            """
            SELECT (sold_at AT TIME ZONE 'UTC')::date, coalesce(buyer_country_code, ''), item_type,
                paid_to_price_ratio, count(*)
            FROM sale WHERE paid_to_price_ratio IS NOT NULL GROUP BY 1, 2, 3, 4
            """
        ),
        ("summary_window", "SELECT true, max((sold_at AT TIME ZONE 'UTC')::date) FROM sale"),
        ("summary_window_release", window("s.release_id")),
        ("summary_window_artist", window("s.artist_id")),
        (
            "summary_window_genre_artist",
            window("rt.tag_id, s.artist_id", join: "JOIN release_tag rt USING (release_id)")
        ),
        (
            "summary_window_genre_artist_release",
            window("rt.tag_id, s.artist_id, s.release_id", join: "JOIN release_tag rt USING (release_id)")
        ),
        (
            "summary_window_genre_pair",
            window(
                "a.tag_id, b.tag_id",
                join: """
                    JOIN release_tag a ON a.release_id = s.release_id JOIN release_tag b ON b.release_id = s.release_id
                    """)
        ),
        (
            "summary_window_genre_pair_country",
            window(
                "a.tag_id, b.tag_id, s.buyer_country_code::text",
                join: """
                    JOIN release_tag a ON a.release_id = s.release_id JOIN release_tag b ON b.release_id = s.release_id
                    """,
                revenue: false, where: "s.buyer_country_code IS NOT NULL")
        ),
        (
            "summary_window_place",
            window("l.location, s.artist_id", join: "JOIN release l ON l.id = s.release_id AND l.location <> ''")
        ),
        (
            "summary_window_country_artist",
            window("s.buyer_country_code::text, s.artist_id", where: "s.buyer_country_code IS NOT NULL")
        ),
        (
            "summary_window_country_release",
            window("s.buyer_country_code::text, s.release_id", where: "s.buyer_country_code IS NOT NULL")
        ),
        (
            "summary_window_country_amount",
            window(
                "s.buyer_country_code::text, round(s.amount_paid_usd * 100)::bigint", revenue: false,
                where: "s.buyer_country_code IS NOT NULL AND s.amount_paid_usd IS NOT NULL")
        ),
        (
            "summary_genre_type_day",
            """
            SELECT (s.sold_at AT TIME ZONE 'UTC')::date, rt.tag_id, s.item_type, count(*), coalesce(sum(s.amount_paid_usd), 0)
            FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id GROUP BY 1, 2, 3
            """
        ),
        (
            "summary_genre_amount_day",
            """
            SELECT rt.tag_id, (s.sold_at AT TIME ZONE 'UTC')::date, round(s.amount_paid_usd * 100)::bigint, count(*),
                count(*) FILTER (WHERE s.price_asked_usd > 0 AND s.overpaid_usd IS NOT NULL),
                count(*) FILTER (WHERE s.price_asked_usd > 0 AND s.overpaid_usd > 0)
            FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id GROUP BY 1, 2, 3
            """
        ),
        (
            "summary_genre_analysis_day",
            """
            SELECT rt.tag_id, (s.sold_at AT TIME ZONE 'UTC')::date, s.item_type,
                CASE WHEN s.item_type = 'physical' THEN physical_format(s.item_description) ELSE '' END,
                coalesce(s.currency, ''), count(*), coalesce(sum(s.amount_paid_usd), 0),
                count(*) FILTER (WHERE s.price_asked > 0 AND s.amount_paid IS NOT NULL),
                count(*) FILTER (WHERE s.price_asked > 0 AND s.amount_paid > s.price_asked),
                count(*) FILTER (WHERE s.price_asked > 0 AND s.amount_paid = s.price_asked),
                coalesce(sum(s.overpaid_usd) FILTER (WHERE s.price_asked > 0), 0),
                coalesce(sum(s.overpaid_usd) FILTER (WHERE s.price_asked > 0 AND s.amount_paid > s.price_asked), 0),
                count(s.overpaid_usd) FILTER (WHERE s.price_asked > 0 AND s.amount_paid > s.price_asked),
                count(*) FILTER (WHERE s.price_asked = 0), count(*) FILTER (WHERE s.price_asked = 0 AND s.amount_paid > 0),
                coalesce(sum(s.amount_paid_usd) FILTER (WHERE s.price_asked = 0 AND s.amount_paid > 0), 0),
                count(s.amount_paid_usd) FILTER (WHERE s.price_asked = 0 AND s.amount_paid > 0),
                count(*) FILTER (WHERE s.paid_to_price_ratio <= 0.999999),
                count(*) FILTER (WHERE s.paid_to_price_ratio > 0.999999 AND s.paid_to_price_ratio <= 1),
                count(*) FILTER (WHERE s.paid_to_price_ratio > 1 AND s.paid_to_price_ratio <= 1.5),
                count(*) FILTER (WHERE s.paid_to_price_ratio > 1.5 AND s.paid_to_price_ratio <= 2),
                count(*) FILTER (WHERE s.paid_to_price_ratio > 2 AND s.paid_to_price_ratio <= 5),
                count(*) FILTER (WHERE s.paid_to_price_ratio > 5)
            FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id GROUP BY 1, 2, 3, 4, 5
            """
        ),
        (
            "summary_genre_analysis_country_day",
            """
            SELECT rt.tag_id, (s.sold_at AT TIME ZONE 'UTC')::date, coalesce(s.buyer_country_code, ''), count(*),
                coalesce(sum(s.amount_paid_usd), 0),
                count(*) FILTER (WHERE s.price_asked > 0 AND s.amount_paid IS NOT NULL),
                count(*) FILTER (WHERE s.price_asked > 0 AND s.amount_paid > s.price_asked)
            FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id GROUP BY 1, 2, 3
            """
        ),
        (
            "summary_genre_ratio_day",
            """
            SELECT rt.tag_id, (s.sold_at AT TIME ZONE 'UTC')::date, s.paid_to_price_ratio, count(*)
            FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id
            WHERE s.paid_to_price_ratio IS NOT NULL GROUP BY 1, 2, 3
            """
        ),
        ("summary_window_type_artist", window("s.item_type, s.artist_id")),
        ("summary_window_type_release", window("s.item_type, s.release_id")),
        (
            "summary_window_type_amount",
            window(
                "s.item_type, round(s.amount_paid_usd * 100)::bigint", revenue: false,
                where: "s.amount_paid_usd IS NOT NULL")
        ),
        (
            "summary_window_size",
            """
            WITH latest AS (SELECT max((sold_at AT TIME ZONE 'UTC')::date) AS day FROM sale),
            ranges AS (
                SELECT s.span, p.period, l.day - s.span * (p.period + 1) + 1 AS first, l.day - s.span * p.period AS last
                FROM latest l, (VALUES (7), (30), (90), (365)) s (span), (VALUES (0), (1)) p (period)
            )
            SELECT r.span, r.period::smallint, count(DISTINCT s.release_id), count(DISTINCT s.artist_id)
            FROM ranges r LEFT JOIN sale s ON (s.sold_at AT TIME ZONE 'UTC')::date BETWEEN r.first AND r.last
            GROUP BY r.span, r.period
            """
        ),
        ("summary_small_before", smallBefore),
        ("summary_small_list", smallLists),
        ("summary_first_artist", "SELECT artist_id, min(sold_at) FROM sale GROUP BY 1"),
        ("summary_last_release", "SELECT release_id, artist_id, max(sold_at) FROM sale GROUP BY 1, 2"),
        (
            "summary_last_artist_country",
            """
            SELECT artist_id, buyer_country_code, max(sold_at) FROM sale
            WHERE buyer_country_code IS NOT NULL GROUP BY 1, 2
            """
        ),
        (
            "summary_last_genre_artist",
            "SELECT rt.tag_id, s.artist_id, max(s.sold_at) FROM sale s JOIN release_tag rt USING (release_id) GROUP BY 1, 2"
        ),
        (
            "summary_last_genre_country",
            """
            SELECT rt.tag_id, s.buyer_country_code, max(s.sold_at) FROM sale s JOIN release_tag rt USING (release_id)
            WHERE s.buyer_country_code IS NOT NULL GROUP BY 1, 2
            """
        ),
    ]

    /// Each artist's sales in the 90 days before each window's range (7, 30, 90 and 365 days up to the latest
    /// sale's day), for those with any, of the windows whose lists are kept (`summary_small_kept`; a window not
    /// kept must have no rows, and `SmallListTests` checks which are kept).
    static let smallBefore = """
        WITH latest AS (SELECT max((sold_at AT TIME ZONE 'UTC')::date) AS day FROM sale)
        SELECT s.span, x.artist_id, count(*)
        FROM sale x, latest l, (VALUES (7), (30), (90), (365)) s (span)
        WHERE (x.sold_at AT TIME ZONE 'UTC')::date BETWEEN l.day - s.span - 89 AND l.day - s.span
            AND s.span IN (SELECT k.span FROM summary_small_kept k)
        GROUP BY 1, 2
        """

    /// Discover's lists of small artists for each window's range and each size the page offers (10, 50, 200 and
    /// 1,000 sales in the 90 days before the range), the first 50 of each in the page's order: rising artists,
    /// new artists (first sale in the range) and rising releases (of a small artist, the release's own); of the
    /// windows whose lists are kept.
    static let smallLists = """
        WITH latest AS (SELECT max((sold_at AT TIME ZONE 'UTC')::date) AS day FROM sale),
        ranges AS (
            SELECT s.span, l.day - s.span + 1 AS first, l.day AS last
            FROM latest l, (VALUES (7), (30), (90), (365)) s (span)
            WHERE s.span IN (SELECT k.span FROM summary_small_kept k)
        ),
        days AS (SELECT x.*, (x.sold_at AT TIME ZONE 'UTC')::date AS day FROM sale x),
        before AS (
            SELECT r.span, d.artist_id, count(*) AS sales
            FROM days d JOIN ranges r ON d.day BETWEEN r.first - 90 AND r.first - 1 GROUP BY 1, 2
        ),
        firsts AS (SELECT artist_id, min(sold_at) AS first_at FROM sale GROUP BY 1),
        counted AS (
            SELECT r.span, r.first, e.kind, CASE WHEN e.kind = 'rising release' THEN d.release_id ELSE d.artist_id END
                    AS entity_id,
                count(*) FILTER (WHERE d.day >= r.first) AS sales, count(*) FILTER (WHERE d.day < r.first) AS before,
                round(coalesce(sum(d.amount_paid_usd) FILTER (WHERE d.day >= r.first), 0), 2) AS revenue
            FROM days d JOIN ranges r ON d.day BETWEEN r.first - r.span AND r.last,
                (VALUES ('rising artist'), ('new artist'), ('rising release')) e (kind)
            GROUP BY 1, 2, 3, 4
        ),
        listed AS (
            SELECT c.*, coalesce(b.sales, 0) AS small_before
            FROM counted c
                LEFT JOIN release rl ON c.kind = 'rising release' AND rl.id = c.entity_id
                LEFT JOIN firsts f ON f.artist_id = c.entity_id
                LEFT JOIN before b ON b.span = c.span
                    AND b.artist_id = CASE WHEN c.kind = 'rising release' THEN rl.artist_id ELSE c.entity_id END
            WHERE CASE WHEN c.kind = 'new artist'
                THEN c.sales > 0 AND f.first_at >= c.first::timestamp AT TIME ZONE 'UTC'
                ELSE c.sales > c.before END
        ),
        ranked AS (
            SELECT l.*, z.under, row_number() OVER (
                PARTITION BY l.span, z.under, l.kind
                ORDER BY CASE WHEN l.kind = 'new artist' THEN 0 ELSE l.sales - l.before END DESC, l.sales DESC,
                    l.revenue DESC, l.entity_id) AS place
            FROM listed l JOIN (VALUES (10), (50), (200), (1000)) z (under) ON l.small_before < z.under
        )
        SELECT span, under, kind, entity_id, sales, before, revenue FROM ranked WHERE place <= 50
        """

    /// The sales and revenue (or the sales alone) by `entity` in the 7, 30, 90 and 365 days up to the latest
    /// sale's day (period 0) and as many days before them (period 1), of the sales `where` holds for.
    static func window(_ entity: String, join: String = "", revenue: Bool = true, where: String = "true") -> String {
        """
        WITH latest AS (SELECT max((sold_at AT TIME ZONE 'UTC')::date) AS day FROM sale),
        ranges AS (
            SELECT s.span, p.period, l.day - s.span * (p.period + 1) + 1 AS first, l.day - s.span * p.period AS last
            FROM latest l, (VALUES (7), (30), (90), (365)) s (span), (VALUES (0), (1)) p (period)
        )
        SELECT r.span, r.period::smallint, \(entity), count(*)
            \(revenue ? ", coalesce(sum(s.amount_paid_usd), 0)" : "")
        FROM sale s \(join) JOIN ranges r ON (s.sold_at AT TIME ZONE 'UTC')::date BETWEEN r.first AND r.last
        WHERE \(`where`)
        GROUP BY \(entity), r.span, r.period
        """
    }

    /// `table: n rows differ` for each summary that is not exactly what `sale` says (empty when all are).
    public static func mismatches(_ db: PostgresConnection) async throws -> [String] {
        var found: [String] = []
        for (table, sql) in definitions {
            let differ = try await db.query(
                """
                WITH expected AS (\(sql)), actual AS (SELECT * FROM \(table))
                SELECT (SELECT count(*) FROM (SELECT * FROM expected EXCEPT ALL SELECT * FROM actual) a)
                    + (SELECT count(*) FROM (SELECT * FROM actual EXCEPT ALL SELECT * FROM expected) b)
                """
            ).scalarText
            if differ != "0" { found.append("\(table): \(differ ?? "?") rows differ") }
        }
        return found
    }
}

extension PostgresConnection {
    /// Runs a seed's `INSERT INTO sale … SELECT/VALUES …` as Load stores sales: the new ones added to the summaries
    /// in the same transaction.
    public func insertSales(_ insert: String, _ parameters: [String?]) async throws {
        try await transaction { db in
            try await Summaries.writing(db) {
                try await db.query(
                    """
                    WITH new AS (
                        \(insert)
                        RETURNING sold_at, release_id, artist_id, buyer_country_code, item_type, amount_paid_usd,
                            price_asked_usd, overpaid_usd, paid_to_price_ratio, currency, amount_paid, price_asked,
                            item_description
                    )
                    INSERT INTO sale_delta SELECT * FROM new
                    """, parameters)
            }
        }
    }
}
