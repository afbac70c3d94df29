extension WarehouseSchema {
    /// Each day's amounts paid by genre: the median paid and the share that paid more of one genre over any
    /// range, from a few thousand rows, where the genre's sales were read from `sale` by its releases (a genre of
    /// 67,717 sales in a month: 450 ms for its totals alone).
    static let genreAmountDays = """
        -- How many sales of each genre paid each amount (to the cent; NULL: unknown) each day, and of those how
        -- many had a price asked with a known overpayment and how many paid more than it (a sale counts for each
        -- genre of its release). Kept with the other genre summaries by summary_add_genres(sign): a release's new
        -- tags move its sales.
        CREATE TABLE summary_genre_amount_day (
            tag_id bigint NOT NULL,
            day date NOT NULL,
            cents bigint,
            sales bigint NOT NULL,
            priced_known bigint NOT NULL,
            priced_more bigint NOT NULL,
            UNIQUE NULLS NOT DISTINCT (tag_id, day, cents)
        );
        -- The rows a release's new tags leave at zero, deleted by index rather than by a scan of the table.
        CREATE INDEX summary_genre_amount_day_empty ON summary_genre_amount_day (day) WHERE sales = 0;
        INSERT INTO summary_genre_amount_day (tag_id, day, cents, sales, priced_known, priced_more)
        SELECT rt.tag_id, (s.sold_at AT TIME ZONE 'UTC')::date, round(s.amount_paid_usd * 100)::bigint, count(*),
            count(*) FILTER (WHERE s.price_asked_usd > 0 AND s.overpaid_usd IS NOT NULL),
            count(*) FILTER (WHERE s.price_asked_usd > 0 AND s.overpaid_usd > 0)
        FROM sale s JOIN release_tag rt ON rt.release_id = s.release_id
        GROUP BY 1, 2, 3;

        ALTER FUNCTION summary_add_genres(integer) RENAME TO summary_add_genres_but_amounts;
        CREATE FUNCTION summary_add_genres(sign integer) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO summary_genre_amount_day AS t (tag_id, day, cents, sales, priced_known, priced_more)
            SELECT rt.tag_id, (d.sold_at AT TIME ZONE 'UTC')::date, round(d.paid * 100)::bigint, sign * count(*),
                sign * count(*) FILTER (WHERE d.asked > 0 AND d.overpaid IS NOT NULL),
                sign * count(*) FILTER (WHERE d.asked > 0 AND d.overpaid > 0)
            FROM sale_delta d JOIN release_tag rt ON rt.release_id = d.release_id
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (tag_id, day, cents) DO UPDATE
                SET sales = t.sales + excluded.sales, priced_known = t.priced_known + excluded.priced_known,
                    priced_more = t.priced_more + excluded.priced_more;
            IF sign < 0 THEN
                DELETE FROM summary_genre_amount_day WHERE sales = 0;
            END IF;
            PERFORM summary_add_genres_but_amounts(sign);
        END
        $$;
        """
}
