extension WarehouseSchema {
    /// Each day's analysis by genre: what `summary_analysis_day`, `summary_ratio_day` and the analysis's buyer
    /// countries keep of every sale, of each genre. The buyer country is kept apart from the other kinds (with it
    /// in the same key the combinations were nearly as many as the pairs of sale and genre: 856,000 rows a month;
    /// apart, 197,000 and 239,000), so the analysis of a genre over any range reads a few thousand rows where it
    /// read the genre's sales (a genre of 68,407 sales in a month: 295 → 14 ms; of 290,543: over a second → 13 ms).
    static let genreAnalysisDays = """
        -- What each genre sold each day by item type, physical format and seller currency, counted as
        -- summary_analysis_day counts it (a sale counts for each genre of its release). Kept with the other genre
        -- summaries by summary_add_genres(sign): a release's new tags move its sales.
        CREATE TABLE summary_genre_analysis_day (
            tag_id bigint NOT NULL,
            day date NOT NULL,
            item_type item_type NOT NULL,
            format text NOT NULL,
            currency text NOT NULL,
            sales bigint NOT NULL,
            revenue numeric NOT NULL,
            priced bigint NOT NULL,
            paid_more bigint NOT NULL,
            paid_exactly bigint NOT NULL,
            overpaid numeric NOT NULL,
            overpaid_more numeric NOT NULL,
            overpaid_more_known bigint NOT NULL,
            free bigint NOT NULL,
            free_paid bigint NOT NULL,
            free_paid_usd numeric NOT NULL,
            free_paid_known bigint NOT NULL,
            ratio_band_0 bigint NOT NULL,
            ratio_band_1 bigint NOT NULL,
            ratio_band_2 bigint NOT NULL,
            ratio_band_3 bigint NOT NULL,
            ratio_band_4 bigint NOT NULL,
            ratio_band_5 bigint NOT NULL,
            PRIMARY KEY (tag_id, day, item_type, format, currency)
        );
        -- Each genre's sales each day by buyer country ('' unknown): how many, the revenue, how many had a price
        -- and an amount paid, and how many of those paid more (in the seller's currency).
        CREATE TABLE summary_genre_analysis_country_day (
            tag_id bigint NOT NULL,
            day date NOT NULL,
            country text NOT NULL,
            sales bigint NOT NULL,
            revenue numeric NOT NULL,
            priced bigint NOT NULL,
            paid_more bigint NOT NULL,
            PRIMARY KEY (tag_id, day, country)
        );
        -- How many of each genre's sales each day were paid at each ratio of paid to price.
        CREATE TABLE summary_genre_ratio_day (
            tag_id bigint NOT NULL,
            day date NOT NULL,
            ratio numeric NOT NULL,
            sales bigint NOT NULL,
            PRIMARY KEY (tag_id, day, ratio)
        );
        -- The rows a release's new tags leave at zero, deleted by index rather than by a scan of each table.
        CREATE INDEX summary_genre_analysis_day_empty ON summary_genre_analysis_day (day) WHERE sales = 0;
        CREATE INDEX summary_genre_analysis_country_day_empty ON summary_genre_analysis_country_day (day)
            WHERE sales = 0;
        CREATE INDEX summary_genre_ratio_day_empty ON summary_genre_ratio_day (day) WHERE sales = 0;

        -- Adds (sign 1) or takes away (sign -1) the sales in sale_delta from the genres' analysis, by their
        -- releases' tags as they are now.
        CREATE FUNCTION summary_add_genre_analysis(sign integer) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO summary_genre_analysis_day AS t
            SELECT rt.tag_id, (d.sold_at AT TIME ZONE 'UTC')::date, d.item_type,
                CASE WHEN d.item_type = 'physical' THEN physical_format(d.description) ELSE '' END,
                coalesce(d.currency, ''), sign * count(*), sign * coalesce(sum(d.paid), 0),
                sign * count(*) FILTER (WHERE d.asked_local > 0 AND d.paid_local IS NOT NULL),
                sign * count(*) FILTER (WHERE d.asked_local > 0 AND d.paid_local > d.asked_local),
                sign * count(*) FILTER (WHERE d.asked_local > 0 AND d.paid_local = d.asked_local),
                sign * coalesce(sum(d.overpaid) FILTER (WHERE d.asked_local > 0), 0),
                sign * coalesce(sum(d.overpaid) FILTER (WHERE d.asked_local > 0 AND d.paid_local > d.asked_local), 0),
                sign * count(d.overpaid) FILTER (WHERE d.asked_local > 0 AND d.paid_local > d.asked_local),
                sign * count(*) FILTER (WHERE d.asked_local = 0),
                sign * count(*) FILTER (WHERE d.asked_local = 0 AND d.paid_local > 0),
                sign * coalesce(sum(d.paid) FILTER (WHERE d.asked_local = 0 AND d.paid_local > 0), 0),
                sign * count(d.paid) FILTER (WHERE d.asked_local = 0 AND d.paid_local > 0),
                sign * count(*) FILTER (WHERE d.ratio <= 0.999999),
                sign * count(*) FILTER (WHERE d.ratio > 0.999999 AND d.ratio <= 1),
                sign * count(*) FILTER (WHERE d.ratio > 1 AND d.ratio <= 1.5),
                sign * count(*) FILTER (WHERE d.ratio > 1.5 AND d.ratio <= 2),
                sign * count(*) FILTER (WHERE d.ratio > 2 AND d.ratio <= 5),
                sign * count(*) FILTER (WHERE d.ratio > 5)
            FROM sale_delta d JOIN release_tag rt ON rt.release_id = d.release_id
            GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (tag_id, day, item_type, format, currency) DO UPDATE SET sales = t.sales + excluded.sales,
                revenue = t.revenue + excluded.revenue, priced = t.priced + excluded.priced,
                paid_more = t.paid_more + excluded.paid_more, paid_exactly = t.paid_exactly + excluded.paid_exactly,
                overpaid = t.overpaid + excluded.overpaid, overpaid_more = t.overpaid_more + excluded.overpaid_more,
                overpaid_more_known = t.overpaid_more_known + excluded.overpaid_more_known,
                free = t.free + excluded.free, free_paid = t.free_paid + excluded.free_paid,
                free_paid_usd = t.free_paid_usd + excluded.free_paid_usd,
                free_paid_known = t.free_paid_known + excluded.free_paid_known,
                ratio_band_0 = t.ratio_band_0 + excluded.ratio_band_0,
                ratio_band_1 = t.ratio_band_1 + excluded.ratio_band_1,
                ratio_band_2 = t.ratio_band_2 + excluded.ratio_band_2,
                ratio_band_3 = t.ratio_band_3 + excluded.ratio_band_3,
                ratio_band_4 = t.ratio_band_4 + excluded.ratio_band_4,
                ratio_band_5 = t.ratio_band_5 + excluded.ratio_band_5;
            INSERT INTO summary_genre_analysis_country_day AS t
            SELECT rt.tag_id, (d.sold_at AT TIME ZONE 'UTC')::date, coalesce(d.country, ''), sign * count(*),
                sign * coalesce(sum(d.paid), 0),
                sign * count(*) FILTER (WHERE d.asked_local > 0 AND d.paid_local IS NOT NULL),
                sign * count(*) FILTER (WHERE d.asked_local > 0 AND d.paid_local > d.asked_local)
            FROM sale_delta d JOIN release_tag rt ON rt.release_id = d.release_id
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (tag_id, day, country) DO UPDATE SET sales = t.sales + excluded.sales,
                revenue = t.revenue + excluded.revenue, priced = t.priced + excluded.priced,
                paid_more = t.paid_more + excluded.paid_more;
            INSERT INTO summary_genre_ratio_day AS t
            SELECT rt.tag_id, (d.sold_at AT TIME ZONE 'UTC')::date, d.ratio, sign * count(*)
            FROM sale_delta d JOIN release_tag rt ON rt.release_id = d.release_id
            WHERE d.ratio IS NOT NULL
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (tag_id, day, ratio) DO UPDATE SET sales = t.sales + excluded.sales;
            IF sign < 0 THEN
                DELETE FROM summary_genre_analysis_day WHERE sales = 0;
                DELETE FROM summary_genre_analysis_country_day WHERE sales = 0;
                DELETE FROM summary_genre_ratio_day WHERE sales = 0;
            END IF;
        END
        $$;

        -- The other genre summaries' function moves the genres' analysis too.
        ALTER FUNCTION summary_add_genres(integer) RENAME TO summary_add_genres_but_analysis;
        CREATE FUNCTION summary_add_genres(sign integer) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM summary_add_genre_analysis(sign);
            PERFORM summary_add_genres_but_analysis(sign);
        END
        $$;

        -- The sales stored before (an earlier migration's sale_delta is gone when they run at once).
        DROP TABLE IF EXISTS pg_temp.sale_delta;
        CREATE TEMPORARY TABLE sale_delta ON COMMIT DROP AS
            SELECT sold_at, release_id, item_type, amount_paid_usd AS paid, overpaid_usd AS overpaid,
                paid_to_price_ratio AS ratio, currency, buyer_country_code AS country, amount_paid AS paid_local,
                price_asked AS asked_local, item_description AS description
            FROM sale;
        SELECT summary_add_genre_analysis(1);
        """
}
