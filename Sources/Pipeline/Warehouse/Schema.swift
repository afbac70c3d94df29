import Postgres

/// The warehouse's schema, as versioned migrations. Applied at cold start (and by `LoadFunction --migrate`),
/// never by hand; a migration is never edited once released: a change is a new migration.
public enum WarehouseSchema {
    /// The version the database's schema is at (`nil` before any migration).
    public static func version(_ db: PostgresConnection) async throws -> Int? {
        try await db.query("SELECT max(version) FROM schema_migration").scalar()
    }

    /// Every migration, in order.
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "sales warehouse and load ledger", sql: version1),
        Migration(version: 2, name: "subscribers and daily reports", sql: version2),
        Migration(version: 3, name: "alert subscriptions, alerts and their deliveries", sql: version3),
        Migration(version: 4, name: "sign-up requests (double opt-in) and rate-limited attempts", sql: version4),
        Migration(version: 5, name: "backfills of the Components dataset, in resumable chunks", sql: version5),
        Migration(version: 6, name: "Spotify charts", sql: version6),
        Migration(version: 7, name: "summaries of the sales, kept exact by every write", sql: version7),
        Migration(
            version: 8, name: "each release's, artist's and genre's last sale; the windows' sizes",
            sql: lastSales + "\n" + windowSizes),
        Migration(version: 9, name: "the hours the trend rules were evaluated at", sql: alertRuns),
        Migration(version: 10, name: "the rolling windows' first build by plain inserts", sql: windowBuild),
        Migration(version: 11, name: "the rolling windows by the artists' location lines", sql: placeWindows),
        Migration(version: 12, name: "each artist's first sale", sql: firstSales),
        Migration(version: 13, name: "the rolling windows by buyer country", sql: sliceWindows(.country)),
        Migration(version: 14, name: "the rolling windows by item type", sql: sliceWindows(.itemType)),
        Migration(version: 15, name: "each day's sales by genre and item type", sql: genreTypeDays),
        Migration(version: 16, name: "each day's amounts paid by genre", sql: genreAmountDays),
        Migration(
            version: 17, name: "each day's paid-to-price ratios by buyer country and item type", sql: ratioSliceDays),
        Migration(version: 18, name: "a count of the writes to the summaries", sql: summaryWrites),
        Migration(version: 19, name: "one genre's day summaries by index", sql: genreIndexes),
        Migration(
            version: 20, name: "the country and item type windows grouped once for every window", sql: sliceWindowApply),
        Migration(
            version: 21, name: "the rolling windows' ranking indexes made after their first build", sql: windowIndexes),
        Migration(
            version: 22, name: "the rolling windows' keys made after their first build", sql: windowKeys),
        Migration(
            version: 23, name: "the country and item type windows summed once for the same days", sql: sliceWindowShared
        ),
        Migration(version: 24, name: "the rolling windows by pairs of genres", sql: genrePairWindows),
        Migration(version: 25, name: "each day's analysis by genre", sql: genreAnalysisDays),
        Migration(
            version: 26, name: "the rolling windows by pairs of genres and buyer country", sql: genrePairCountryWindows),
        Migration(
            version: 27, name: "the rolling windows by genre, seller and release", sql: genreArtistReleaseWindows),
        Migration(version: 28, name: "Discover's lists of small artists kept for the preset ranges", sql: smallLists),
    ]

    /// The migrator of these migrations.
    public static var migrator: Migrator { Migrator(migrations) }

    static let version1 = """
        -- Buyers' countries, by ISO 3166-1 alpha-2 code; the name as the feed writes it.
        CREATE TABLE country (
            code char(2) PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),
            name text NOT NULL
        );

        -- Who sells: the Bandcamp page (https://host, an artist's or a label's) and the artist name the feed gives
        -- for the sale (a label's page sells many artists).
        CREATE TABLE artist (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            page_url text NOT NULL CHECK (page_url LIKE 'https://%'),
            name text NOT NULL,
            first_seen_at timestamptz NOT NULL DEFAULT now(),
            UNIQUE (page_url, name)
        );
        CREATE INDEX artist_name_search ON artist (lower(name) text_pattern_ops);

        -- Tags: one canonical key (Bandcamp's slug), the display name as first seen.
        CREATE TABLE tag (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            key text NOT NULL UNIQUE CHECK (key <> ''),
            name text NOT NULL
        );

        -- A release: an album or track page (or a bundle's artist page), https://host/path.
        CREATE TABLE release (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            url text NOT NULL UNIQUE CHECK (url LIKE 'https://%'),
            artist_id bigint NOT NULL REFERENCES artist,
            -- From the feed.
            title text,
            album_title text,
            image_url text,
            first_sold_at timestamptz,
            -- From the release's page (Extract's enrichment); page_status says whether it has been read.
            page_status text NOT NULL DEFAULT 'unread' CHECK (page_status IN ('unread', 'read', 'gone')),
            page_http_status integer,
            kind text,
            page_title text,
            record_label text,
            album_url text,
            release_date date,
            -- Where the artist is: the location line, and its tag (kept apart from genres).
            location text,
            place_tag_id bigint REFERENCES tag,
            tag_source text,
            page_read_at timestamptz
        );
        CREATE INDEX release_artist ON release (artist_id);
        CREATE INDEX release_place ON release (place_tag_id) WHERE place_tag_id IS NOT NULL;

        -- A release's genres, in the page's order.
        CREATE TABLE release_tag (
            release_id bigint NOT NULL REFERENCES release ON DELETE CASCADE,
            tag_id bigint NOT NULL REFERENCES tag,
            position smallint NOT NULL,
            PRIMARY KEY (release_id, tag_id)
        );
        CREATE INDEX release_tag_by_tag ON release_tag (tag_id, release_id);

        -- Every raw object Load has handled, by key and ETag: loaded or failed (with why).
        CREATE TABLE load_ledger (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            object_key text NOT NULL UNIQUE,
            kind text NOT NULL CHECK (kind IN ('salesfeed', 'release')),
            etag text NOT NULL,
            size bigint NOT NULL DEFAULT 0,
            status text NOT NULL CHECK (status IN ('loaded', 'failed')),
            -- Items in the object; rows new to the warehouse; items already there; items refused.
            items integer NOT NULL DEFAULT 0,
            inserted integer NOT NULL DEFAULT 0,
            duplicates integer NOT NULL DEFAULT 0,
            rejected integer NOT NULL DEFAULT 0,
            reason text,
            attempts integer NOT NULL DEFAULT 1,
            loaded_at timestamptz NOT NULL DEFAULT now(),
            duration_ms integer NOT NULL DEFAULT 0,
            CHECK (status = 'loaded' OR reason IS NOT NULL)
        );
        CREATE INDEX load_ledger_failed ON load_ledger (loaded_at) WHERE status = 'failed';

        -- Items of loaded objects that could not be sales, and why.
        CREATE TABLE load_reject (
            ledger_id bigint NOT NULL REFERENCES load_ledger ON DELETE CASCADE,
            event_index integer NOT NULL,
            item_index integer NOT NULL,
            reason text NOT NULL,
            PRIMARY KEY (ledger_id, event_index, item_index)
        );

        -- The feed's windows that were loaded: which spans of time the warehouse has (and so which it lacks).
        CREATE TABLE feed_window (
            ledger_id bigint PRIMARY KEY REFERENCES load_ledger ON DELETE CASCADE,
            start_at timestamptz NOT NULL,
            end_at timestamptz NOT NULL,
            events integer NOT NULL,
            items integer NOT NULL,
            CHECK (end_at >= start_at)
        );
        CREATE INDEX feed_window_span ON feed_window (start_at, end_at);

        CREATE TYPE item_type AS ENUM ('album', 'track', 'physical', 'bundle');

        -- One row per item sold. sale_key is the sale's identity (SHA-256 of the release URL, the full-precision
        -- utc_date, the item's type and description, and its place among identical items of its event): the same
        -- sale from two windows, runs or objects is one row.
        CREATE TABLE sale (
            sale_key bytea PRIMARY KEY CHECK (length(sale_key) = 32),
            sold_at timestamptz NOT NULL,
            utc_date numeric NOT NULL,
            release_id bigint NOT NULL REFERENCES release,
            artist_id bigint NOT NULL REFERENCES artist,
            item_type item_type NOT NULL,
            item_description text,
            -- The seller's currency (ISO 4217), and the amounts in it.
            currency char(3),
            amount_paid numeric,
            price_asked numeric,
            -- In USD: paid (the feed's own figure), asked (at the same rate), paid above the price.
            amount_paid_usd numeric,
            price_asked_usd numeric,
            overpaid_usd numeric,
            paid_to_price_ratio numeric,
            buyer_country_code char(2) REFERENCES country,
            additional_count integer NOT NULL DEFAULT 0,
            -- The raw object that first brought it.
            ledger_id bigint NOT NULL REFERENCES load_ledger
        );
        CREATE INDEX sale_by_time ON sale (sold_at);
        CREATE INDEX sale_by_release ON sale (release_id, sold_at);
        CREATE INDEX sale_by_artist ON sale (artist_id, sold_at);
        CREATE INDEX sale_by_country ON sale (buyer_country_code, sold_at);
        """

    static let version2 = """
        -- People who receive what we send. An address is one subscriber however it is capitalised; 'pending' until
        -- the address is confirmed (double opt-in), 'unsubscribed' keeps the row so the address is not mailed.
        CREATE TABLE subscriber (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            email text NOT NULL CHECK (email ~ '^[^@\\s]+@[^@\\s]+$'),
            name text,
            status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'unsubscribed')),
            daily_report boolean NOT NULL DEFAULT true,
            -- The secret of the unsubscribe link (and of the confirmation link while pending).
            token text NOT NULL UNIQUE DEFAULT md5(gen_random_uuid()::text || clock_timestamp()::text),
            created_at timestamptz NOT NULL DEFAULT now(),
            confirmed_at timestamptz,
            unsubscribed_at timestamptz
        );
        CREATE UNIQUE INDEX subscriber_email ON subscriber (lower(email));

        -- Each daily report built: where it is, what it said in brief, and how complete the feed was that day.
        CREATE TABLE daily_report (
            report_date date PRIMARY KEY,
            object_key text NOT NULL,
            built_at timestamptz NOT NULL DEFAULT now(),
            sales integer NOT NULL,
            revenue_usd numeric NOT NULL,
            coverage numeric NOT NULL CHECK (coverage BETWEEN 0 AND 1),
            pages integer NOT NULL,
            bytes integer NOT NULL,
            builds integer NOT NULL DEFAULT 1
        );

        -- Who was sent which day's report: claimed ('sending') before the mail goes, 'sent' with the mailer's id
        -- after, so a rerun mails nobody twice (unless asked to resend).
        CREATE TABLE report_delivery (
            report_date date NOT NULL REFERENCES daily_report ON DELETE CASCADE,
            subscriber_id bigint NOT NULL REFERENCES subscriber ON DELETE CASCADE,
            status text NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
            message_id text,
            error text,
            attempts integer NOT NULL DEFAULT 1,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (report_date, subscriber_id)
        );
        """

    static let version3 = """
        -- What a subscriber follows: everything, a genre (its signals, and those of artists selling in it), or an
        -- artist; which kinds of signal; by email (as they happen, or a daily digest) or on the SNS topic.
        CREATE TABLE alert_subscription (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            subscriber_id bigint NOT NULL REFERENCES subscriber ON DELETE CASCADE,
            scope text NOT NULL CHECK (scope IN ('everything', 'genre', 'artist')),
            tag_id bigint REFERENCES tag,
            artist_id bigint REFERENCES artist,
            kinds text[] NOT NULL DEFAULT '{trending,emerging}'
                CHECK (cardinality(kinds) > 0 AND kinds <@ '{trending,emerging}'),
            channel text NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'sns')),
            frequency text NOT NULL DEFAULT 'immediate' CHECK (frequency IN ('immediate', 'daily')),
            created_at timestamptz NOT NULL DEFAULT now(),
            CHECK ((scope = 'genre') = (tag_id IS NOT NULL) AND (scope = 'artist') = (artist_id IS NOT NULL)),
            -- The topic has no digest: its subscribers' endpoints get each alert.
            CHECK (channel = 'email' OR frequency = 'immediate')
        );
        CREATE UNIQUE INDEX alert_subscription_once
            ON alert_subscription (subscriber_id, scope, coalesce(tag_id, 0), coalesce(artist_id, 0), channel);

        -- Every signal a rule raised, at the end of its recent window, with the statistics behind it and what
        -- the message showed (top releases, countries, genres). A rerun at the same time updates, never adds.
        CREATE TABLE alert (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            rule text NOT NULL,
            entity_type text NOT NULL CHECK (entity_type IN ('genre', 'artist')),
            -- tag.id for genres, artist.id for artists.
            entity_id bigint NOT NULL,
            kind text NOT NULL CHECK (kind IN ('trending', 'emerging')),
            evaluated_at timestamptz NOT NULL,
            window_hours integer NOT NULL,
            baseline_hours integer NOT NULL,
            minimum_ratio float8 NOT NULL,
            current_sales integer NOT NULL,
            previous_sales integer NOT NULL,
            baseline_sales integer NOT NULL,
            site_current_sales integer NOT NULL,
            site_baseline_sales integer NOT NULL,
            ratio float8,
            estimate float8 NOT NULL,
            lower_bound float8 NOT NULL,
            p_value float8 NOT NULL,
            q_value float8 NOT NULL,
            previous_q_value float8 NOT NULL,
            dispersion float8 NOT NULL,
            per_day_now float8 NOT NULL,
            per_day_before float8 NOT NULL,
            acceleration float8 NOT NULL,
            releases integer NOT NULL,
            countries integer NOT NULL,
            artists integer NOT NULL,
            rank integer NOT NULL,
            details jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            UNIQUE (rule, entity_id, evaluated_at)
        );
        CREATE INDEX alert_by_time ON alert (evaluated_at);
        CREATE INDEX alert_by_entity ON alert (entity_type, entity_id, evaluated_at);

        -- Who was told of which alert, how, and whether it went. The rule, entity and time are copied from the
        -- alert so that "at most one per (rule, entity, subscriber, channel) per 24 hours" is one index probe.
        -- 'queued' waits for the daily digest; 'pending' for this run; 'sending' is claimed (a crash leaves it,
        -- and the next run sends it again).
        CREATE TABLE alert_delivery (
            alert_id bigint NOT NULL REFERENCES alert ON DELETE CASCADE,
            subscriber_id bigint NOT NULL REFERENCES subscriber ON DELETE CASCADE,
            channel text NOT NULL CHECK (channel IN ('email', 'sns')),
            frequency text NOT NULL CHECK (frequency IN ('immediate', 'daily')),
            rule text NOT NULL,
            entity_id bigint NOT NULL,
            evaluated_at timestamptz NOT NULL,
            status text NOT NULL CHECK (status IN ('queued', 'pending', 'sending', 'sent', 'failed')),
            message_id text,
            error text,
            attempts integer NOT NULL DEFAULT 0,
            created_at timestamptz NOT NULL DEFAULT now(),
            sent_at timestamptz,
            PRIMARY KEY (alert_id, subscriber_id, channel)
        );
        CREATE INDEX alert_delivery_recent ON alert_delivery (subscriber_id, rule, entity_id, channel, evaluated_at);
        CREATE INDEX alert_delivery_unsent ON alert_delivery (status) WHERE status <> 'sent';
        """

    static let version4 = """
        -- A sign-up from the dashboard, waiting for its address to be confirmed (double opt-in): what was asked for
        -- is applied only when the link of the confirmation email is followed, and only once. The token is the
        -- link's secret; a request expires after 7 days.
        CREATE TABLE subscription_request (
            token text PRIMARY KEY CHECK (length(token) >= 32),
            email text NOT NULL CHECK (email ~ '^[^@\\s]+@[^@\\s]+$'),
            name text,
            daily_report boolean NOT NULL,
            everything boolean NOT NULL,
            tag_ids bigint[] NOT NULL DEFAULT '{}',
            artist_ids bigint[] NOT NULL DEFAULT '{}',
            frequency text NOT NULL DEFAULT 'immediate' CHECK (frequency IN ('immediate', 'daily')),
            created_at timestamptz NOT NULL DEFAULT now(),
            mailed_at timestamptz,
            confirmed_at timestamptz,
            CHECK (daily_report OR everything OR cardinality(tag_ids) + cardinality(artist_ids) > 0)
        );
        CREATE INDEX subscription_request_by_email ON subscription_request (lower(email), created_at);

        -- Sign-in and sign-up attempts, by a hash of where they came from (never the address itself), so that
        -- every instance of the function counts the same attempts. Rows older than a day are removed.
        CREATE TABLE request_attempt (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            kind text NOT NULL CHECK (kind IN ('sign-in', 'sign-up')),
            source_hash text NOT NULL,
            succeeded boolean NOT NULL,
            attempted_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX request_attempt_recent ON request_attempt (kind, attempted_at, source_hash);
        """

    static let version5 = """
        -- A backfill is a ledger row too (kind 'components'): 'loading' while its chunks are being loaded, then
        -- 'loaded'; its sales name it as the object that brought them.
        ALTER TABLE load_ledger DROP CONSTRAINT load_ledger_kind_check,
            ADD CONSTRAINT load_ledger_kind_check CHECK (kind IN ('salesfeed', 'release', 'components'));
        ALTER TABLE load_ledger DROP CONSTRAINT load_ledger_status_check,
            ADD CONSTRAINT load_ledger_status_check CHECK (status IN ('loaded', 'failed', 'loading')),
            DROP CONSTRAINT load_ledger_check, ADD CONSTRAINT load_ledger_check CHECK (status <> 'failed' OR reason IS NOT NULL);
        ALTER TABLE load_ledger ALTER COLUMN items TYPE bigint, ALTER COLUMN inserted TYPE bigint,
            ALTER COLUMN duplicates TYPE bigint, ALTER COLUMN rejected TYPE bigint;

        -- How far a backfill has come: each chunk of rows is loaded in one transaction with this row, so a
        -- timeout, a crash or a retry goes on from the last chunk committed, never loading a row twice.
        CREATE TABLE backfill_progress (
            ledger_id bigint PRIMARY KEY REFERENCES load_ledger ON DELETE CASCADE,
            -- The CSV's header, read from its first line.
            header text[],
            -- The byte offset of the first record not yet loaded, and the data records before it.
            next_offset bigint NOT NULL DEFAULT 0 CHECK (next_offset >= 0),
            records bigint NOT NULL DEFAULT 0,
            chunks integer NOT NULL DEFAULT 0,
            first_sale_at timestamptz,
            last_sale_at timestamptz,
            started_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            finished_at timestamptz
        );

        -- item_price is already the total asked when more tracks were bought with an item (addl_count): in real
        -- items it equals what was paid for all of them, which the price times 1 + addl_count made an underpayment
        -- no buyer can make. The sales loaded under that rule are worked out again.
        UPDATE sale SET price_asked = a.asked, price_asked_usd = a.asked_usd,
            overpaid_usd = CASE WHEN sale.amount_paid_usd IS NOT NULL AND a.asked_usd IS NOT NULL
                THEN round(greatest(0, sale.amount_paid_usd - a.asked_usd), 6) END,
            paid_to_price_ratio = round(sale.amount_paid / nullif(a.asked, 0), 6)
        FROM (
            SELECT sale_key, trim_scale(price_asked / (1 + additional_count)) AS asked,
                round(CASE WHEN amount_paid > 0 THEN price_asked / (1 + additional_count) * amount_paid_usd / amount_paid
                           WHEN price_asked = 0 THEN 0 END, 6) AS asked_usd
            FROM sale WHERE additional_count > 0
        ) a
        WHERE sale.sale_key = a.sale_key;
        """

    static let version6 = """
        ALTER TABLE load_ledger DROP CONSTRAINT load_ledger_kind_check,
            ADD CONSTRAINT load_ledger_kind_check CHECK (kind IN ('salesfeed', 'release', 'components', 'charts'));

        -- Spotify's tracks and artists as the chart exports name them (artists by their name: the exports give no
        -- artist id; key is the name in lower case, white space collapsed, as Bandcamp artists are matched).
        CREATE TABLE chart_track (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            spotify_id text NOT NULL UNIQUE CHECK (spotify_id ~ '^[A-Za-z0-9]{22}$'),
            name text NOT NULL
        );
        CREATE TABLE chart_artist (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            key text NOT NULL UNIQUE CHECK (key <> ''),
            name text NOT NULL
        );
        CREATE TABLE chart_track_artist (
            track_id bigint NOT NULL REFERENCES chart_track ON DELETE CASCADE,
            artist_id bigint NOT NULL REFERENCES chart_artist,
            position smallint NOT NULL,
            PRIMARY KEY (track_id, artist_id)
        );
        CREATE INDEX chart_track_artist_by_artist ON chart_track_artist (artist_id);

        -- One chart of one date: a region's (or the world's) daily or weekly top 200 or viral 50. Imported again,
        -- its entries are replaced: one chart per (region, period, kind, date) however often its file comes.
        CREATE TABLE chart (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            region text NOT NULL CHECK (region = 'global' OR region ~ '^[a-z]{2}$'),
            period text NOT NULL CHECK (period IN ('daily', 'weekly')),
            kind text NOT NULL CHECK (kind IN ('top200', 'viral50')),
            chart_date date NOT NULL,
            ledger_id bigint NOT NULL REFERENCES load_ledger,
            source_shape text NOT NULL,
            entries integer NOT NULL,
            imported_at timestamptz NOT NULL DEFAULT now(),
            UNIQUE (region, period, kind, chart_date)
        );
        CREATE INDEX chart_by_date ON chart (period, chart_date);

        CREATE TABLE chart_entry (
            chart_id bigint NOT NULL REFERENCES chart ON DELETE CASCADE,
            rank smallint NOT NULL CHECK (rank > 0),
            track_id bigint NOT NULL REFERENCES chart_track,
            streams bigint CHECK (streams >= 0),
            peak_rank smallint,
            -- NULL for a new entry.
            previous_rank smallint,
            -- Days or weeks on the chart, this one included.
            periods_on_chart integer,
            source text,
            PRIMARY KEY (chart_id, rank)
        );
        CREATE INDEX chart_entry_by_track ON chart_entry (track_id, chart_id);
        """

    static let version7 = """
        -- Summaries of `sale` that the read side answers from: kept exact by the transactions that write sales
        -- (Load, the backfill) and release tags (a release's page), which take summary_lock() first, and rebuilt
        -- from `sale` by {"command":"rebuild-summaries"}. Days and hours are UTC; '' is an unknown country.

        -- Every sale by day, buyer country and item type, with what the rankings, shares and bands need.
        CREATE TABLE summary_day (
            day date NOT NULL,
            country text NOT NULL,
            item_type item_type NOT NULL,
            sales bigint NOT NULL,
            revenue numeric NOT NULL,
            -- With a price and a known overpayment; of those, paid more than asked.
            priced_known bigint NOT NULL,
            priced_more bigint NOT NULL,
            -- With a known overpayment (a price of 0 included); of those, paid more.
            overpaid_known bigint NOT NULL,
            overpaid_more bigint NOT NULL,
            -- Paid ÷ asked: nothing asked, under, as asked, up to +50%, up to double, over double.
            band_free bigint NOT NULL,
            band_under bigint NOT NULL,
            band_asked bigint NOT NULL,
            band_half bigint NOT NULL,
            band_double bigint NOT NULL,
            band_over bigint NOT NULL,
            -- The ratios of the sales with a price: how many, and their sum (their mean is the one over the other).
            ratio_known bigint NOT NULL,
            ratio_sum numeric NOT NULL,
            PRIMARY KEY (day, country, item_type)
        );

        -- The site's sales by hour.
        CREATE TABLE summary_hour (
            hour timestamptz PRIMARY KEY,
            sales bigint NOT NULL,
            revenue numeric NOT NULL
        );

        -- Sales by day and artist, and by day and release.
        CREATE TABLE summary_artist_day (
            day date NOT NULL,
            artist_id bigint NOT NULL,
            sales bigint NOT NULL,
            revenue numeric NOT NULL,
            PRIMARY KEY (day, artist_id)
        );
        -- (A release's sales are the seller's in the feed: nearly always one artist, the release's own.)
        CREATE TABLE summary_release_day (
            day date NOT NULL,
            release_id bigint NOT NULL,
            artist_id bigint NOT NULL,
            sales bigint NOT NULL,
            revenue numeric NOT NULL,
            PRIMARY KEY (day, release_id, artist_id)
        );

        -- How many paid each amount (to the cent) each day: the medians.
        CREATE TABLE summary_amount_day (
            day date NOT NULL,
            cents bigint NOT NULL,
            sales bigint NOT NULL,
            PRIMARY KEY (day, cents)
        );

        -- Sales by genre (a sale counts for each genre of its release): by day, by hour, by day and country.
        CREATE TABLE summary_genre_day (
            day date NOT NULL,
            tag_id bigint NOT NULL,
            sales bigint NOT NULL,
            revenue numeric NOT NULL,
            PRIMARY KEY (day, tag_id)
        );
        CREATE TABLE summary_genre_hour (
            hour timestamptz NOT NULL,
            tag_id bigint NOT NULL,
            sales bigint NOT NULL,
            PRIMARY KEY (hour, tag_id)
        );
        CREATE TABLE summary_genre_country_day (
            day date NOT NULL,
            tag_id bigint NOT NULL,
            country text NOT NULL,
            sales bigint NOT NULL,
            revenue numeric NOT NULL,
            PRIMARY KEY (day, tag_id, country)
        );

        -- Components' analysis: by day, item type, physical format ('' for the others), seller currency and buyer
        -- country ('' unknown), paying more than asked in the seller's currency, name your price, and the bands of
        -- paid ÷ price (up to 0.999999, 1, 1.5, 2, 5, above).
        CREATE TABLE summary_analysis_day (
            day date NOT NULL,
            item_type item_type NOT NULL,
            format text NOT NULL,
            currency text NOT NULL,
            country text NOT NULL,
            sales bigint NOT NULL,
            revenue numeric NOT NULL,
            -- With a price and an amount paid; of those, paid more, and paid exactly the price.
            priced bigint NOT NULL,
            paid_more bigint NOT NULL,
            paid_exactly bigint NOT NULL,
            -- Paid above the price (USD) by sales with a price; by those that paid more, and how many are known.
            overpaid numeric NOT NULL,
            overpaid_more numeric NOT NULL,
            overpaid_more_known bigint NOT NULL,
            -- Nothing asked; of those, paid something, what they paid (USD) and how many of those amounts are known.
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
            PRIMARY KEY (day, item_type, format, currency, country)
        );

        -- How many sales had each paid ÷ price, by day: the ratio's percentiles.
        CREATE TABLE summary_ratio_day (
            day date NOT NULL,
            ratio numeric NOT NULL,
            sales bigint NOT NULL,
            PRIMARY KEY (day, ratio)
        );

        \(physicalFormat)

        -- Adds the analysis summaries of the sales in sale_delta.
        CREATE FUNCTION summary_add_analysis() RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO summary_analysis_day AS t (day, item_type, format, currency, country, sales, revenue, priced,
                paid_more, paid_exactly, overpaid, overpaid_more, overpaid_more_known, free, free_paid, free_paid_usd,
                free_paid_known, ratio_band_0, ratio_band_1, ratio_band_2, ratio_band_3, ratio_band_4, ratio_band_5)
            SELECT (d.sold_at AT TIME ZONE 'UTC')::date, d.item_type,
                CASE WHEN d.item_type = 'physical' THEN physical_format(d.description) ELSE '' END,
                coalesce(d.currency, ''), coalesce(d.country, ''), count(*), coalesce(sum(d.paid), 0),
                count(*) FILTER (WHERE d.asked_local > 0 AND d.paid_local IS NOT NULL),
                count(*) FILTER (WHERE d.asked_local > 0 AND d.paid_local > d.asked_local),
                count(*) FILTER (WHERE d.asked_local > 0 AND d.paid_local = d.asked_local),
                coalesce(sum(d.overpaid) FILTER (WHERE d.asked_local > 0), 0),
                coalesce(sum(d.overpaid) FILTER (WHERE d.asked_local > 0 AND d.paid_local > d.asked_local), 0),
                count(d.overpaid) FILTER (WHERE d.asked_local > 0 AND d.paid_local > d.asked_local),
                count(*) FILTER (WHERE d.asked_local = 0),
                count(*) FILTER (WHERE d.asked_local = 0 AND d.paid_local > 0),
                coalesce(sum(d.paid) FILTER (WHERE d.asked_local = 0 AND d.paid_local > 0), 0),
                count(d.paid) FILTER (WHERE d.asked_local = 0 AND d.paid_local > 0),
                count(*) FILTER (WHERE d.ratio <= 0.999999),
                count(*) FILTER (WHERE d.ratio > 0.999999 AND d.ratio <= 1),
                count(*) FILTER (WHERE d.ratio > 1 AND d.ratio <= 1.5),
                count(*) FILTER (WHERE d.ratio > 1.5 AND d.ratio <= 2),
                count(*) FILTER (WHERE d.ratio > 2 AND d.ratio <= 5),
                count(*) FILTER (WHERE d.ratio > 5)
            FROM sale_delta d GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (day, item_type, format, currency, country) DO UPDATE SET sales = t.sales + excluded.sales,
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
            INSERT INTO summary_ratio_day AS t (day, ratio, sales)
            SELECT (d.sold_at AT TIME ZONE 'UTC')::date, d.ratio, count(*)
            FROM sale_delta d WHERE d.ratio IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT (day, ratio) DO UPDATE SET sales = t.sales + excluded.sales;
        END
        $$;

        -- The dashboard's preset ranges (summary_window_span) up to the latest day with a sale (period 0) and the
        -- as many days before them (period 1): each release's and artist's sales and revenue in them, so that a
        -- range's distinct counts and leaders are rows of their own rather than a grouping of its days. New sales
        -- inside the windows are added to them; when the latest day moves on, the days that leave a window are
        -- taken from it and those that enter it are added, from the day summaries.
        CREATE TABLE summary_window_span (days integer PRIMARY KEY CHECK (days > 0));
        INSERT INTO summary_window_span VALUES (7), (30), (90), (365);
        CREATE TABLE summary_window (
            single boolean PRIMARY KEY DEFAULT true CHECK (single),
            -- The latest day with a sale (NULL before the first).
            ends date
        );
        INSERT INTO summary_window DEFAULT VALUES;
        CREATE TABLE summary_window_release (
            span integer NOT NULL,
            period smallint NOT NULL,
            release_id bigint NOT NULL,
            sales bigint NOT NULL,
            revenue numeric NOT NULL,
            PRIMARY KEY (span, period, release_id)
        );
        CREATE INDEX summary_window_release_rank
            ON summary_window_release (span, period, sales DESC, round(revenue, 2) DESC, release_id);
        CREATE INDEX summary_window_release_empty ON summary_window_release (span) WHERE sales = 0;
        CREATE TABLE summary_window_artist (
            span integer NOT NULL,
            period smallint NOT NULL,
            artist_id bigint NOT NULL,
            sales bigint NOT NULL,
            revenue numeric NOT NULL,
            PRIMARY KEY (span, period, artist_id)
        );
        CREATE INDEX summary_window_artist_rank
            ON summary_window_artist (span, period, sales DESC, round(revenue, 2) DESC, artist_id);
        CREATE INDEX summary_window_artist_empty ON summary_window_artist (span) WHERE sales = 0;
        -- By genre and artist (a sale counts for each genre of its release, by its tags as they are now).
        CREATE TABLE summary_window_genre_artist (
            span integer NOT NULL,
            period smallint NOT NULL,
            tag_id bigint NOT NULL,
            artist_id bigint NOT NULL,
            sales bigint NOT NULL,
            revenue numeric NOT NULL,
            PRIMARY KEY (span, period, tag_id, artist_id)
        );
        CREATE INDEX summary_window_genre_artist_rank
            ON summary_window_genre_artist (span, period, tag_id, sales DESC, revenue DESC, artist_id);
        CREATE INDEX summary_window_genre_artist_empty ON summary_window_genre_artist (span) WHERE sales = 0;

        -- The period of the window that holds exactly the `days` days up to `last`, if one does.
        CREATE FUNCTION summary_window_period(last date, days integer) RETURNS smallint LANGUAGE sql STABLE AS $$
            SELECT p.period::smallint FROM summary_window w, summary_window_span s, (VALUES (0), (1)) p (period)
            WHERE s.days = $2 AND w.ends - $1 = s.days * p.period
        $$;

        -- Each window's first and last day when the latest day is `ends` (NULL days when it is NULL).
        CREATE FUNCTION summary_window_days(ends date)
            RETURNS TABLE (span integer, period smallint, first date, last date) LANGUAGE sql STABLE AS $$
            SELECT s.days, p.period::smallint, $1 - s.days * (p.period + 1) + 1, $1 - s.days * p.period
            FROM summary_window_span s, (VALUES (0), (1)) p (period)
        $$;

        -- The days each window loses (sign -1) and gains (sign 1) when the latest day moves from `old` to `new`.
        CREATE FUNCTION summary_window_changes(old date, new date)
            RETURNS TABLE (span integer, period smallint, day date, sign integer) LANGUAGE sql STABLE AS $$
            SELECT n.span, n.period, o.first + i, -1
            FROM summary_window_days($2) n JOIN summary_window_days($1) o USING (span, period),
                generate_series(0, least(o.last, n.first - 1) - o.first) i
            UNION ALL
            SELECT n.span, n.period, greatest(n.first, o.last + 1) + i, 1
            FROM summary_window_days($2) n JOIN summary_window_days($1) o USING (span, period),
                generate_series(0, n.last - greatest(n.first, o.last + 1)) i
        $$;

        -- Moves the windows from ending on `old` (NULL: none yet) to ending on `new`, from the day summaries.
        CREATE FUNCTION summary_window_move(old date, new date) RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
            -- The days that change, as an array: the day summaries are then read by index for those days alone
            -- (joined with the set-returning function itself, the planner guesses thousands of days and scans).
            days date[] := ARRAY(SELECT DISTINCT c.day FROM summary_window_changes(old, new) c);
        BEGIN
            INSERT INTO summary_window_release AS t (span, period, release_id, sales, revenue)
            WITH c AS MATERIALIZED (SELECT * FROM summary_window_changes(old, new))
            SELECT c.span, c.period, r.release_id, sum(c.sign * r.sales), sum(c.sign * r.revenue)
            FROM summary_release_day r JOIN c ON c.day = r.day
            WHERE r.day = ANY (days)
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (span, period, release_id) DO UPDATE
                SET sales = t.sales + excluded.sales, revenue = t.revenue + excluded.revenue;
            INSERT INTO summary_window_artist AS t (span, period, artist_id, sales, revenue)
            WITH c AS MATERIALIZED (SELECT * FROM summary_window_changes(old, new))
            SELECT c.span, c.period, a.artist_id, sum(c.sign * a.sales), sum(c.sign * a.revenue)
            FROM summary_artist_day a JOIN c ON c.day = a.day
            WHERE a.day = ANY (days)
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (span, period, artist_id) DO UPDATE
                SET sales = t.sales + excluded.sales, revenue = t.revenue + excluded.revenue;
            INSERT INTO summary_window_genre_artist AS t (span, period, tag_id, artist_id, sales, revenue)
            WITH c AS MATERIALIZED (SELECT * FROM summary_window_changes(old, new)),
                r AS MATERIALIZED (SELECT * FROM summary_release_day r WHERE r.day = ANY (days))
            SELECT c.span, c.period, rt.tag_id, r.artist_id, sum(c.sign * r.sales), sum(c.sign * r.revenue)
            FROM r JOIN c ON c.day = r.day JOIN release_tag rt ON rt.release_id = r.release_id
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (span, period, tag_id, artist_id) DO UPDATE
                SET sales = t.sales + excluded.sales, revenue = t.revenue + excluded.revenue;
            DELETE FROM summary_window_release WHERE sales = 0;
            DELETE FROM summary_window_artist WHERE sales = 0;
            DELETE FROM summary_window_genre_artist WHERE sales = 0;
            UPDATE summary_window SET ends = new;
        END
        $$;

        -- Collects the sales in sale_delta by day, release and seller into window_delta, for the windows.
        CREATE FUNCTION summary_collect_windows() RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            CREATE TEMPORARY TABLE IF NOT EXISTS window_delta (
                day date, release_id bigint, artist_id bigint, sales bigint, revenue numeric
            ) ON COMMIT DROP;
            INSERT INTO window_delta
            SELECT (d.sold_at AT TIME ZONE 'UTC')::date, d.release_id, d.artist_id, count(*), coalesce(sum(d.paid), 0)
            FROM sale_delta d GROUP BY 1, 2, 3;
        END
        $$;

        -- Adds (sign 1) or takes away (sign -1) the sales in sale_delta from the genre-artist windows, by their
        -- releases' tags as they are now: what a release page's new tags change.
        CREATE FUNCTION summary_add_window_genres(sign integer) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            -- The windows as they end now (none before the first sale).
            INSERT INTO summary_window_genre_artist AS t (span, period, tag_id, artist_id, sales, revenue)
            SELECT w.span, w.period, rt.tag_id, d.artist_id, sign * count(*), sign * coalesce(sum(d.paid), 0)
            FROM sale_delta d JOIN release_tag rt ON rt.release_id = d.release_id
                JOIN summary_window_days((SELECT e.ends FROM summary_window e)) w
                    ON (d.sold_at AT TIME ZONE 'UTC')::date BETWEEN w.first AND w.last
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (span, period, tag_id, artist_id) DO UPDATE
                SET sales = t.sales + excluded.sales, revenue = t.revenue + excluded.revenue;
            DELETE FROM summary_window_genre_artist WHERE sales = 0;
        END
        $$;

        -- What this transaction collected in window_delta, in each window that ends on `ends` (plpgsql: the
        -- temporary table is there only when it runs).
        CREATE FUNCTION summary_window_collected(ends date)
            RETURNS TABLE (span integer, period smallint, release_id bigint, artist_id bigint, sales bigint,
                revenue numeric) LANGUAGE plpgsql AS $$
        BEGIN
            RETURN QUERY
            SELECT w.span, w.period, d.release_id, d.artist_id, d.sales, d.revenue
            FROM window_delta d JOIN summary_window_days(ends) w ON d.day BETWEEN w.first AND w.last;
        END
        $$;

        -- Adds what this transaction collected in window_delta to the windows, once before it commits (a load's
        -- stages each add to the day summaries; a release is then counted into each window once, not once a
        -- stage), then moves the windows if a sale is later than their end.
        CREATE FUNCTION summary_add_windows() RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
            window_end date := (SELECT w.ends FROM summary_window w);
            latest date;
        BEGIN
            IF to_regclass('pg_temp.window_delta') IS NULL THEN
                RETURN;
            END IF;
            latest := (SELECT max(d.day) FROM window_delta d);
            IF window_end IS NOT NULL THEN
                INSERT INTO summary_window_release AS t (span, period, release_id, sales, revenue)
                SELECT r.span, r.period, r.release_id, sum(r.sales), sum(r.revenue)
                FROM summary_window_collected(window_end) r GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                ON CONFLICT (span, period, release_id) DO UPDATE
                    SET sales = t.sales + excluded.sales, revenue = t.revenue + excluded.revenue;
                INSERT INTO summary_window_artist AS t (span, period, artist_id, sales, revenue)
                SELECT r.span, r.period, r.artist_id, sum(r.sales), sum(r.revenue)
                FROM summary_window_collected(window_end) r GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                ON CONFLICT (span, period, artist_id) DO UPDATE
                    SET sales = t.sales + excluded.sales, revenue = t.revenue + excluded.revenue;
                INSERT INTO summary_window_genre_artist AS t (span, period, tag_id, artist_id, sales, revenue)
                SELECT r.span, r.period, rt.tag_id, r.artist_id, sum(r.sales), sum(r.revenue)
                FROM summary_window_collected(window_end) r JOIN release_tag rt ON rt.release_id = r.release_id
                GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
                ON CONFLICT (span, period, tag_id, artist_id) DO UPDATE
                    SET sales = t.sales + excluded.sales, revenue = t.revenue + excluded.revenue;
            END IF;
            IF latest > window_end OR (window_end IS NULL AND latest IS NOT NULL) THEN
                PERFORM summary_window_move(window_end, latest);
            END IF;
            TRUNCATE window_delta;
        END
        $$;

        -- Taken by every transaction that writes sales or release tags, before it does: they follow one another,
        -- so each one's summaries see the sales and tags of those committed before it.
        CREATE FUNCTION summary_lock() RETURNS void LANGUAGE sql AS $$ SELECT pg_advisory_xact_lock(7202612) $$;

        -- Adds (sign 1) or takes away (sign -1) the genre summaries of the sales in the temporary table
        -- sale_delta, by their releases' tags as they are now.
        CREATE FUNCTION summary_add_genres(sign integer) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO summary_genre_day AS t (day, tag_id, sales, revenue)
            SELECT (d.sold_at AT TIME ZONE 'UTC')::date, rt.tag_id, sign * count(*), sign * coalesce(sum(d.paid), 0)
            FROM sale_delta d JOIN release_tag rt ON rt.release_id = d.release_id
            GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT (day, tag_id) DO UPDATE
                SET sales = t.sales + excluded.sales, revenue = t.revenue + excluded.revenue;
            INSERT INTO summary_genre_hour AS t (hour, tag_id, sales)
            SELECT date_trunc('hour', d.sold_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', rt.tag_id, sign * count(*)
            FROM sale_delta d JOIN release_tag rt ON rt.release_id = d.release_id
            GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT (hour, tag_id) DO UPDATE SET sales = t.sales + excluded.sales;
            INSERT INTO summary_genre_country_day AS t (day, tag_id, country, sales, revenue)
            SELECT (d.sold_at AT TIME ZONE 'UTC')::date, rt.tag_id, coalesce(d.country, ''), sign * count(*),
                sign * coalesce(sum(d.paid), 0)
            FROM sale_delta d JOIN release_tag rt ON rt.release_id = d.release_id
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (day, tag_id, country) DO UPDATE
                SET sales = t.sales + excluded.sales, revenue = t.revenue + excluded.revenue;
            IF sign < 0 THEN
                -- Rows nothing counts in any more.
                DELETE FROM summary_genre_day WHERE sales = 0;
                DELETE FROM summary_genre_hour WHERE sales = 0;
                DELETE FROM summary_genre_country_day WHERE sales = 0;
            END IF;
        END
        $$;

        -- Adds the summaries of the sales in the temporary table sale_delta (sales new to the warehouse).
        CREATE FUNCTION summary_add() RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO summary_day AS t (day, country, item_type, sales, revenue, priced_known, priced_more,
                overpaid_known, overpaid_more, band_free, band_under, band_asked, band_half, band_double, band_over,
                ratio_known, ratio_sum)
            SELECT (d.sold_at AT TIME ZONE 'UTC')::date, coalesce(d.country, ''), d.item_type, count(*),
                coalesce(sum(d.paid), 0),
                count(*) FILTER (WHERE d.asked > 0 AND d.overpaid IS NOT NULL),
                count(*) FILTER (WHERE d.asked > 0 AND d.overpaid > 0),
                count(d.overpaid), count(*) FILTER (WHERE d.overpaid > 0),
                count(*) FILTER (WHERE d.asked = 0),
                count(*) FILTER (WHERE d.ratio < 0.995),
                count(*) FILTER (WHERE d.ratio >= 0.995 AND d.ratio <= 1.005),
                count(*) FILTER (WHERE d.ratio > 1.005 AND d.ratio <= 1.5),
                count(*) FILTER (WHERE d.ratio > 1.5 AND d.ratio <= 2),
                count(*) FILTER (WHERE d.ratio > 2),
                count(d.ratio) FILTER (WHERE d.asked > 0), coalesce(sum(d.ratio) FILTER (WHERE d.asked > 0), 0)
            FROM sale_delta d GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (day, country, item_type) DO UPDATE SET sales = t.sales + excluded.sales,
                revenue = t.revenue + excluded.revenue, priced_known = t.priced_known + excluded.priced_known,
                priced_more = t.priced_more + excluded.priced_more,
                overpaid_known = t.overpaid_known + excluded.overpaid_known,
                overpaid_more = t.overpaid_more + excluded.overpaid_more, band_free = t.band_free + excluded.band_free,
                band_under = t.band_under + excluded.band_under, band_asked = t.band_asked + excluded.band_asked,
                band_half = t.band_half + excluded.band_half, band_double = t.band_double + excluded.band_double,
                band_over = t.band_over + excluded.band_over, ratio_known = t.ratio_known + excluded.ratio_known,
                ratio_sum = t.ratio_sum + excluded.ratio_sum;
            INSERT INTO summary_hour AS t (hour, sales, revenue)
            SELECT date_trunc('hour', d.sold_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', count(*), coalesce(sum(d.paid), 0)
            FROM sale_delta d GROUP BY 1 ORDER BY 1
            ON CONFLICT (hour) DO UPDATE SET sales = t.sales + excluded.sales, revenue = t.revenue + excluded.revenue;
            INSERT INTO summary_artist_day AS t (day, artist_id, sales, revenue)
            SELECT (d.sold_at AT TIME ZONE 'UTC')::date, d.artist_id, count(*), coalesce(sum(d.paid), 0)
            FROM sale_delta d GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT (day, artist_id) DO UPDATE SET sales = t.sales + excluded.sales, revenue = t.revenue + excluded.revenue;
            INSERT INTO summary_release_day AS t (day, release_id, artist_id, sales, revenue)
            SELECT (d.sold_at AT TIME ZONE 'UTC')::date, d.release_id, d.artist_id, count(*), coalesce(sum(d.paid), 0)
            FROM sale_delta d GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (day, release_id, artist_id) DO UPDATE SET sales = t.sales + excluded.sales, revenue = t.revenue + excluded.revenue;
            INSERT INTO summary_amount_day AS t (day, cents, sales)
            SELECT (d.sold_at AT TIME ZONE 'UTC')::date, round(d.paid * 100)::bigint, count(*)
            FROM sale_delta d WHERE d.paid IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT (day, cents) DO UPDATE SET sales = t.sales + excluded.sales;
            PERFORM summary_add_analysis();
            PERFORM summary_add_genres(1);
            PERFORM summary_collect_windows();
        END
        $$;

        -- The summaries of the sales already stored.
        CREATE TEMPORARY TABLE sale_delta ON COMMIT DROP AS
            SELECT sold_at, release_id, artist_id, buyer_country_code AS country, item_type,
                amount_paid_usd AS paid, price_asked_usd AS asked, overpaid_usd AS overpaid,
                paid_to_price_ratio AS ratio, currency, amount_paid AS paid_local, price_asked AS asked_local,
                item_description AS description
            FROM sale;
        SELECT summary_add();
        SELECT summary_add_windows();
        """

    /// The physical format an item's description names (case-insensitive, the first that matches): vinyl, CD,
    /// cassette, apparel and merchandise, or other. Patterns in dollar quotes: they hold quotes and backslashes.
    static let physicalFormat = #"""
        CREATE FUNCTION physical_format(description text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT CASE
                WHEN description ~* $p$vinyl|\mlps?\M|\d\s*x\s*lp|\m(7|10|12)\s*("|''|”|in\M|inch)|\mlathe$p$ THEN 'vinyl'
                WHEN description ~* $p$\mcds?\M|compact dis[ck]|digicd|digipa[ck]k|jewel ?case|\mcd-?r\M$p$ THEN 'cd'
                WHEN description ~* $p$cassette|\mtapes?\M|\mcs\M$p$ THEN 'cassette'
                WHEN description ~* $p$shirt|\mtees?\M|baseball t\M|hoodie|sweater|longsleeve|\mtote|\mbag\M|\mhat\M|beanie|\mcap\M|poster|sticker|\mpin\M|patch|mug$p$ THEN 'merch'
                ELSE 'other'
            END
        $$;
        """#
}
