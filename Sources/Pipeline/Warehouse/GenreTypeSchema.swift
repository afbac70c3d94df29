extension WarehouseSchema {
    /// Each day's sales by genre and item type: the genres of one item type over any range, from a few thousand
    /// rows a month, where the item type's sales were joined with their releases' tags (physical items over a
    /// month: 48,000 window releases against 768,000 tags, about 200 ms).
    static let genreTypeDays = """
        -- Each day's sales and revenue by genre and item type (a sale counts for each genre of its release), kept
        -- with the other genre summaries by summary_add_genres(sign): a release's new tags move its sales.
        CREATE TABLE summary_genre_type_day (
            day date NOT NULL,
            tag_id bigint NOT NULL,
            item_type item_type NOT NULL,
            sales bigint NOT NULL,
            revenue numeric NOT NULL,
            PRIMARY KEY (day, item_type, tag_id)
        );
        -- The rows a release's new tags leave at zero, deleted by index rather than by a scan of the table.
        CREATE INDEX summary_genre_type_day_empty ON summary_genre_type_day (day) WHERE sales = 0;
        INSERT INTO summary_genre_type_day (day, tag_id, item_type, sales, revenue)
        SELECT (s.sold_at AT TIME ZONE 'UTC')::date, rt.tag_id, s.item_type, count(*),
            coalesce(sum(s.amount_paid_usd), 0)
        FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id
        GROUP BY 1, 2, 3;

        ALTER FUNCTION summary_add_genres(integer) RENAME TO summary_add_genres_but_types;
        CREATE FUNCTION summary_add_genres(sign integer) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO summary_genre_type_day AS t (day, tag_id, item_type, sales, revenue)
            SELECT (d.sold_at AT TIME ZONE 'UTC')::date, rt.tag_id, d.item_type, sign * count(*),
                sign * coalesce(sum(d.paid), 0)
            FROM sale_delta d JOIN release_tag rt ON rt.release_id = d.release_id
            GROUP BY 1, 2, 3 ORDER BY 1, 3, 2
            ON CONFLICT (day, item_type, tag_id) DO UPDATE
                SET sales = t.sales + excluded.sales, revenue = t.revenue + excluded.revenue;
            IF sign < 0 THEN
                DELETE FROM summary_genre_type_day WHERE sales = 0;
            END IF;
            PERFORM summary_add_genres_but_types(sign);
        END
        $$;
        """
}
