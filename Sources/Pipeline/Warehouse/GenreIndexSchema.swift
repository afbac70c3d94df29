extension WarehouseSchema {
    /// One genre's day rows by index: its days and its buyers' countries over a range were read by scanning every
    /// genre's days (keyed by day first), which the overview of one genre over a year did twice (the countries
    /// 260 ms of 12,675 rows among 2.8 million, the days 20 ms).
    static let genreIndexes = """
        -- One genre's rows of a range, in day order; the countries' with the country, read from the index alone.
        CREATE INDEX summary_genre_day_by_genre ON summary_genre_day (tag_id, day);
        CREATE INDEX summary_genre_country_day_by_genre ON summary_genre_country_day (tag_id, day) INCLUDE (country);
        """
}
