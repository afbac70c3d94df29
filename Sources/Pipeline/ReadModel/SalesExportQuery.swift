import Postgres
import Tracker

/// A day's sales as analysts outside the warehouse read them: one JSON object per item sold, the warehouse's
/// columns (amounts exact, as PostgreSQL writes its numerics), the release, artist and buyer country by name,
/// and the release's genres as an array of tag keys in the page's order. The day is the export's partition
/// (`date=YYYY-MM-DD` in its key), not a column.
public enum SalesExportQuery {
    /// The day's sales as JSON Lines text, oldest first, and how many.
    public static func lines(_ day: CalendarDay, _ db: PostgresConnection) async throws -> (text: String, sales: Int) {
        var text = ""
        var sales = 0
        for row in try await db.query(
            """
            SELECT json_build_object(
                'sale_key', encode(s.sale_key, 'hex'),
                'sold_at', to_char(s.sold_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                'utc_date', s.utc_date,
                'item_type', s.item_type,
                'item_description', s.item_description,
                'release_url', r.url, 'release_title', r.title, 'release_kind', r.kind,
                'artist_page', a.page_url, 'artist_name', a.name,
                'currency', s.currency, 'amount_paid', s.amount_paid, 'price_asked', s.price_asked,
                'amount_paid_usd', s.amount_paid_usd, 'price_asked_usd', s.price_asked_usd,
                'overpaid_usd', s.overpaid_usd, 'paid_to_price_ratio', s.paid_to_price_ratio,
                'buyer_country_code', s.buyer_country_code, 'buyer_country', c.name,
                'additional_count', s.additional_count,
                'genres', coalesce(
                    (SELECT json_agg(t.key ORDER BY rt.position) FROM release_tag rt JOIN tag t ON t.id = rt.tag_id
                     WHERE rt.release_id = s.release_id), '[]'::json)
            )::text AS line
            FROM sale s JOIN release r ON r.id = s.release_id JOIN artist a ON a.id = s.artist_id
            LEFT JOIN country c ON c.code = s.buyer_country_code
            WHERE s.sold_at >= to_timestamp(\(day.start)) AND s.sold_at < to_timestamp(\(day.end))
            ORDER BY s.sold_at, s.sale_key
            """)
        {
            text += try row.decode("line", as: String.self)
            text += "\n"
            sales += 1
        }
        return (text, sales)
    }
}
