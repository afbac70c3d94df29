import Postgres

/// The warehouse's schema, as versioned migrations. Applied at cold start (and by `LoadFunction --migrate`),
/// never by hand; a migration is never edited once released: a change is a new migration.
public enum WarehouseSchema {
    /// Every migration, in order.
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "sales warehouse and load ledger", sql: version1),
        Migration(version: 2, name: "subscribers and daily reports", sql: version2),
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
}
