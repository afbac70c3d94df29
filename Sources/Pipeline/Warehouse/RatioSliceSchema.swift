extension WarehouseSchema {
    /// Each day's paid-to-price ratios by buyer country and item type: the analysis of one country or one item
    /// type over any range from its summaries (`summary_analysis_day` is kept by both already; only the ratio's
    /// percentiles were not), where it read `sale` eight times (the United States' 30 days of a month at a million
    /// sales: 1.8 s).
    static let ratioSliceDays = """
        -- How many sales had each paid ÷ price, by day, buyer country ('' unknown) and item type. Kept with the
        -- other analysis summaries by summary_add_analysis().
        CREATE TABLE summary_ratio_slice_day (
            day date NOT NULL,
            country text NOT NULL,
            item_type item_type NOT NULL,
            ratio numeric NOT NULL,
            sales bigint NOT NULL,
            PRIMARY KEY (day, country, item_type, ratio)
        );
        INSERT INTO summary_ratio_slice_day (day, country, item_type, ratio, sales)
        SELECT (s.sold_at AT TIME ZONE 'UTC')::date, coalesce(s.buyer_country_code, ''), s.item_type,
            s.paid_to_price_ratio, count(*)
        FROM sale s WHERE s.paid_to_price_ratio IS NOT NULL
        GROUP BY 1, 2, 3, 4;

        ALTER FUNCTION summary_add_analysis() RENAME TO summary_add_analysis_but_slices;
        CREATE FUNCTION summary_add_analysis() RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO summary_ratio_slice_day AS t (day, country, item_type, ratio, sales)
            SELECT (d.sold_at AT TIME ZONE 'UTC')::date, coalesce(d.country, ''), d.item_type, d.ratio, count(*)
            FROM sale_delta d WHERE d.ratio IS NOT NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (day, country, item_type, ratio) DO UPDATE SET sales = t.sales + excluded.sales;
            PERFORM summary_add_analysis_but_slices();
        END
        $$;
        """
}
