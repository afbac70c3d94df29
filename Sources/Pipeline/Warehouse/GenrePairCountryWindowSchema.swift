extension WarehouseSchema {
    /// The rolling windows by pairs of genres and buyer country: each window's sales, bought from each country, of
    /// the releases that carry both genres (a genre paired with itself: all of its sales). The genres page of one
    /// genre maps where its releases sell by the other genres they carry; over a preset range that is then a
    /// hundred-odd rows of one window rather than the genre's releases in the country-release window, each joined
    /// with its tags (a genre of 7% of a year's sales: 0.35 s for 30 days, 3 s for the year). Only sales are kept:
    /// the map shows nothing else. Kept where the country windows are: the rows a load or a move collects for them
    /// are spread over the pairs of their releases' genres before they are added; a first build sums the
    /// country-release windows; a release page's new tags move its sales, as in the pair windows.
    static let genrePairCountryWindows = """
        CREATE TABLE summary_window_genre_pair_country (
            span integer NOT NULL,
            period smallint NOT NULL,
            tag_id bigint NOT NULL,
            other_id bigint NOT NULL,
            country text NOT NULL,
            sales bigint NOT NULL,
            PRIMARY KEY (span, period, tag_id, other_id, country)
        );
        CREATE INDEX summary_window_genre_pair_country_empty ON summary_window_genre_pair_country (span)
            WHERE sales = 0;

        -- The windows summed from the country-release windows, into a table with none of their rows (those
        -- windows hold each release once a window and country, where `sale` holds it once a sale).
        CREATE FUNCTION summary_window_genre_pair_country_build() RETURNS void LANGUAGE sql AS $$
            INSERT INTO summary_window_genre_pair_country (span, period, tag_id, other_id, country, sales)
            SELECT w.span, w.period, a.tag_id, b.tag_id, w.country, sum(w.sales)
            FROM summary_window_country_release w JOIN release_tag a ON a.release_id = w.release_id
                JOIN release_tag b ON b.release_id = w.release_id
            GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5;
        $$;
        SELECT summary_window_genre_pair_country_build() FROM summary_window w WHERE w.ends IS NOT NULL;

        -- The country windows' rows as before, and the same collected sales (country_delta, by day, country,
        -- release, seller and cents) added to the pair-country windows first, as country_days maps their days
        -- (with its sign: -1, the day leaves the window) to the windows; the country windows' apply empties both.
        -- Their first build (`fresh`) is summed from the country-release windows it made.
        ALTER FUNCTION summary_window_country_apply(boolean) RENAME TO summary_window_country_apply_but_pairs;
        CREATE FUNCTION summary_window_country_apply(fresh boolean) RETURNS void LANGUAGE plpgsql
            SET work_mem = '64MB' AS $$
        BEGIN
            IF fresh THEN
                PERFORM summary_window_country_apply_but_pairs(fresh);
                PERFORM summary_window_genre_pair_country_build();
                RETURN;
            END IF;
            ANALYZE country_delta, country_days;
            INSERT INTO summary_window_genre_pair_country AS t (span, period, tag_id, other_id, country, sales)
            SELECT m.span, m.period, a.tag_id, b.tag_id, d.country, sum(m.sign * d.sales)
            FROM (SELECT x.day, x.country, x.release_id, sum(x.sales) AS sales FROM country_delta x GROUP BY 1, 2, 3) d
                JOIN country_days m ON m.day = d.day
                JOIN release_tag a ON a.release_id = d.release_id JOIN release_tag b ON b.release_id = d.release_id
            GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (span, period, tag_id, other_id, country) DO UPDATE SET sales = t.sales + excluded.sales;
            DELETE FROM summary_window_genre_pair_country WHERE sales = 0;
            PERFORM summary_window_country_apply_but_pairs(fresh);
        END
        $$;

        -- Adds (sign 1) or takes away (sign -1) the sales in sale_delta from the pair-country windows too, by their
        -- releases' tags as they are now (a sale whose country is unknown is in none).
        ALTER FUNCTION summary_add_window_genres(integer) RENAME TO summary_add_window_genres_but_pair_countries;
        CREATE FUNCTION summary_add_window_genres(sign integer) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO summary_window_genre_pair_country AS t (span, period, tag_id, other_id, country, sales)
            SELECT w.span, w.period, a.tag_id, b.tag_id, d.country, sign * count(*)
            FROM sale_delta d JOIN release_tag a ON a.release_id = d.release_id
                JOIN release_tag b ON b.release_id = d.release_id
                JOIN summary_window_days((SELECT e.ends FROM summary_window e)) w
                    ON (d.sold_at AT TIME ZONE 'UTC')::date BETWEEN w.first AND w.last
            WHERE d.country IS NOT NULL
            GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (span, period, tag_id, other_id, country) DO UPDATE SET sales = t.sales + excluded.sales;
            DELETE FROM summary_window_genre_pair_country WHERE sales = 0;
            PERFORM summary_add_window_genres_but_pair_countries(sign);
        END
        $$;
        """
}
