/// The settings of the pipeline, read from the environment and checked at start-up.
///
/// Run on a laptop (no `AWS_LAMBDA_RUNTIME_API`), every setting has an embedded default that needs no cloud:
/// a folder as the object store, the local PostgreSQL cluster that `scripts/postgres` starts, an outbox folder
/// for mail and notifications. On Lambda there are no defaults: a missing setting is an error that names it.
public struct Settings: Sendable, Equatable {
    /// Where raw objects and reports live: a folder or an S3 bucket and prefix.
    public var objectStore: ObjectStoreLocation
    /// The PostgreSQL connection URL (`postgresql://user@host:port/db`); on AWS the password comes from the
    /// secret named by `databaseSecretID`, never from here.
    public var databaseURL: String
    /// The Secrets Manager secret holding the database password (`DATABASE_SECRET_ARN`), on AWS.
    public var databaseSecretID: String?
    /// How mail goes out: SES, or `.eml` files in a folder.
    public var mailer: MailerTarget
    /// The sender of every email.
    public var mailFrom: String
    /// Where alert notifications go: an SNS topic, or JSON files in a folder.
    public var notifier: NotifierTarget
    /// Bandcamp's base URL; a local replay server's in tests and offline runs.
    public var bandcampBaseURL: String
    /// Host mappings for libcurl (`HOST:PORT:CONNECT-HOST:CONNECT-PORT`, comma-separated in
    /// `BANDCAMP_CONNECT_TO`), so that release pages on other hosts reach a local stand-in.
    public var bandcampConnectTo: [String]
    /// `https` for release pages; `http` only to reach a local stand-in through `BANDCAMP_CONNECT_TO`
    /// (`BANDCAMP_PAGE_SCHEME`).
    public var bandcampPageScheme: String
    /// Days of windows a scheduled sweep of Load looks at (`LOAD_SWEEP_DAYS`, 1 to 3,660; 2 when unset).
    public var loadSweepDays: Int
    /// Rows a backfill chunk commits at a time (`BACKFILL_CHUNK_ROWS`, 1 to 10,000,000; 50,000 when unset).
    public var backfillChunkRows: Int
    /// The UTC hour the alerts' daily digests go out (`ALERT_DIGEST_HOUR`, 0 to 23; 7 when unset).
    public var alertDigestHour: Int
    /// Where the report's fonts are (`REPORT_FONT_DIR`); else the fonts layer's `/opt/fonts`, else Debian's
    /// folders.
    public var reportFontFolder: String?
    /// The unsubscribe page the emails link to (`UNSUBSCRIBE_URL`, an http(s) URL); no link when unset.
    public var unsubscribeURL: String?
    /// The dashboard's address the emails link to (`DASHBOARD_URL`, an http(s) URL, kept without a trailing
    /// slash); no dashboard links when unset.
    public var dashboardURL: String?
    /// The dashboard's sign-in secret in Secrets Manager (`DASHBOARD_SECRET_ARN`), required on Lambda.
    public var dashboardSecretID: String?
    /// Locally, a file with the dashboard's sign-in (`DASHBOARD_CREDENTIALS_FILE`); open pages without either.
    public var dashboardCredentialsFile: String?

    /// What each function needs; only those settings are checked.
    public enum Need: Sendable, CaseIterable {
        case objectStore, database, mail, notifications, bandcamp
        /// Load's scheduled sweep.
        case loadSweep
        /// The backfill's chunks.
        case backfill
        /// The alerts' digest hour.
        case alertDigest
        /// The report's fonts.
        case reportFonts
        /// The links emails carry: the unsubscribe page and the dashboard.
        case emailLinks
        /// The dashboard's sign-in.
        case dashboardSignIn
    }

    /// The local defaults, relative to a working directory (the repository when run by the scripts).
    public struct LocalDefaults: Sendable {
        /// The folder for local state (`.local` in the working directory).
        public var stateDirectory: String

        /// Defaults under a state folder.
        public init(stateDirectory: String) {
            self.stateDirectory = stateDirectory
        }

        var objectStore: String { "file://\(stateDirectory)/objects" }
        var outbox: String { "file://\(stateDirectory)/outbox" }
        var databaseURL: String { "postgresql://bandcamp_tracker@127.0.0.1:54329/bandcamp_tracker" }
    }

    /// Reads and checks the settings a function needs.
    /// - Parameters:
    ///   - environment: The process environment.
    ///   - needs: The settings the calling function uses.
    ///   - localDefaults: Defaults for a laptop run, or `nil` on Lambda (no defaults).
    /// - Throws: `ConfigurationError` listing every setting that is missing or malformed, each by name.
    public init(environment: [String: String], needs: Set<Need>, localDefaults: LocalDefaults?) throws {
        let check = SettingsCheck(environment: environment, needs: needs)

        let objectStore = check.parse(
            "OBJECT_STORE_URL", default: localDefaults?.objectStore, .objectStore,
            what: "the object store as file:///path or s3://bucket/prefix", ObjectStoreLocation.init(parsing:))

        let databaseURL = check.require(
            "DATABASE_URL", default: localDefaults?.databaseURL, .database,
            what: "the PostgreSQL URL, postgresql://user@host:port/database")
        if let databaseURL, !(databaseURL.hasPrefix("postgresql://") || databaseURL.hasPrefix("postgres://")) {
            check.report("DATABASE_URL", "must start with postgresql:// or postgres://")
        }
        if localDefaults == nil, let databaseURL,
            let mode = Self.queryValue("sslmode", in: databaseURL),
            !["require", "verify-ca", "verify-full"].contains(mode)
        {
            check.report("DATABASE_URL", "sslmode=\(mode) on AWS; TLS is required (require, verify-ca or verify-full)")
        }
        if localDefaults == nil, let databaseURL, Self.urlHasPassword(databaseURL) {
            check.report("DATABASE_URL", "carries a password; on AWS the password comes from DATABASE_SECRET_ARN")
        }

        let mailer = check.parse(
            "MAILER_URL", default: localDefaults?.outbox, .mail, what: "ses: or an outbox folder as file:///path",
            MailerTarget.init(parsing:))
        let mailFrom =
            check.require(
                "MAIL_FROM", default: localDefaults.map { _ in "bandcamp-tracker@localhost" }, .mail,
                what: "the sender address, e.g. reports@example.com") ?? ""
        if !mailFrom.isEmpty, !Self.looksLikeEmailAddress(mailFrom) {
            check.report("MAIL_FROM", "'\(mailFrom)' is not an email address")
        }

        let notifier = check.parse(
            "NOTIFIER_URL", default: localDefaults?.outbox, .notifications,
            what: "an SNS topic ARN (arn:aws:sns:…) or an outbox folder as file:///path", NotifierTarget.init(parsing:))

        let bandcamp = check.require(
            "BANDCAMP_BASE_URL", default: "https://bandcamp.com", .bandcamp, what: "Bandcamp's base URL")
        if let bandcamp, !(bandcamp.hasPrefix("https://") || bandcamp.hasPrefix("http://")) {
            check.report("BANDCAMP_BASE_URL", "must be an http:// or https:// URL")
        }
        let connectTo = (environment["BANDCAMP_CONNECT_TO"] ?? "").split(separator: ",").map {
            String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        }.filter { !$0.isEmpty }
        for mapping in connectTo where mapping.split(separator: ":", omittingEmptySubsequences: false).count != 4 {
            check.report("BANDCAMP_CONNECT_TO", "'\(mapping)' is not HOST:PORT:CONNECT-HOST:CONNECT-PORT")
        }

        let pageScheme = environment["BANDCAMP_PAGE_SCHEME"].flatMap { $0.isEmpty ? nil : $0 } ?? "https"
        if pageScheme != "https" && pageScheme != "http" {
            check.report("BANDCAMP_PAGE_SCHEME", "must be https or http, not '\(pageScheme)'")
        }

        let loadSweepDays = check.number(
            "LOAD_SWEEP_DAYS", .loadSweep, default: 2, in: 1...3660, what: "a number of days")
        let backfillChunkRows = check.number(
            "BACKFILL_CHUNK_ROWS", .backfill, default: 50_000, in: 1...10_000_000, what: "a number of rows")
        let alertDigestHour = check.number(
            "ALERT_DIGEST_HOUR", .alertDigest, default: 7, in: 0...23, what: "an hour (UTC)")
        let unsubscribeURL = check.optionalURL("UNSUBSCRIBE_URL", .emailLinks)
        let dashboardURL = check.optionalURL("DASHBOARD_URL", .emailLinks).map(Self.withoutTrailingSlashes)
        let dashboardSecretID = check.optional("DASHBOARD_SECRET_ARN", .dashboardSignIn)
        if localDefaults == nil, needs.contains(.dashboardSignIn), dashboardSecretID == nil {
            check.report("DASHBOARD_SECRET_ARN", "is needed on Lambda: the dashboard's sign-in secret")
        }

        guard check.problems.isEmpty else { throw ConfigurationError(problems: check.problems) }
        self.loadSweepDays = loadSweepDays
        self.backfillChunkRows = backfillChunkRows
        self.alertDigestHour = alertDigestHour
        self.reportFontFolder = check.optional("REPORT_FONT_DIR", .reportFonts)
        self.unsubscribeURL = unsubscribeURL
        self.dashboardURL = dashboardURL
        self.dashboardSecretID = dashboardSecretID
        self.dashboardCredentialsFile =
            localDefaults == nil ? nil : check.optional("DASHBOARD_CREDENTIALS_FILE", .dashboardSignIn)
        self.objectStore = objectStore ?? .folder(path: "/")
        self.databaseURL = localDefaults == nil ? databaseURL.map(Self.requiringTLS) ?? "" : databaseURL ?? ""
        self.databaseSecretID = environment["DATABASE_SECRET_ARN"].flatMap { $0.isEmpty ? nil : $0 }
        self.mailer = mailer ?? .ses
        self.mailFrom = mailFrom
        self.notifier = notifier ?? .outbox(path: "/")
        self.bandcampBaseURL = bandcamp.map(Self.withoutTrailingSlashes) ?? ""
        self.bandcampConnectTo = connectTo
        self.bandcampPageScheme = pageScheme
    }

    static func urlHasPassword(_ url: String) -> Bool {
        if queryValue("password", in: url) != nil { return true }
        guard let schemeEnd = url.firstRange(of: "://") else { return false }
        let authority = url[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" }
        guard let at = authority.lastIndex(of: "@") else { return false }
        return authority[..<at].contains(":")
    }

    /// The database URL as logs may show it: a password in it (after the user, or as `password=`) is `***`.
    public var redactedDatabaseURL: String { Self.redacted(databaseURL) }

    /// A URL with any password in it replaced by `***`.
    static func redacted(_ url: String) -> String {
        var text = url
        if let schemeEnd = text.firstRange(of: "://") {
            let authority = text[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" }
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                text.replaceSubrange(text.index(after: colon)..<at, with: "***")
            }
        }
        guard let question = text.firstIndex(of: "?") else { return text }
        let query = text[text.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false).map {
            pair in
            pair.lowercased().hasPrefix("password=") ? "password=***" : String(pair)
        }
        return text[...question] + query.joined(separator: "&")
    }

    static func looksLikeEmailAddress(_ text: String) -> Bool {
        // "Name <address>" is allowed, as SES takes it.
        let address = text.split(separator: "<").last.map { $0.split(separator: ">").first ?? "" } ?? ""
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            || parts.count == 2
                && parts[1] == "localhost"
    }
}

extension Settings {
    /// Whether these variables are those of a real Lambda environment (a function name and a Runtime API),
    /// where no local default may stand in for a missing setting.
    public static func isOnLambda(_ environment: [String: String]) -> Bool {
        environment["AWS_LAMBDA_RUNTIME_API"] != nil && environment["AWS_LAMBDA_FUNCTION_NAME"] != nil
    }

    /// The settings a function needs, with local defaults unless on Lambda. Local state lives in
    /// `$BANDCAMP_TRACKER_HOME/.local` (the scripts set it to the repository), or `.local` in the working
    /// directory.
    /// - Throws: `ConfigurationError` naming every missing or malformed variable.
    public static func load(
        environment: [String: String], needs: Set<Need>, workingDirectory: String
    ) throws -> Settings {
        let home = environment["BANDCAMP_TRACKER_HOME"] ?? workingDirectory
        let defaults = isOnLambda(environment) ? nil : LocalDefaults(stateDirectory: home + "/.local")
        return try Settings(environment: environment, needs: needs, localDefaults: defaults)
    }
}

extension Settings {
    /// A query parameter of a URL, if present.
    static func queryValue(_ name: String, in url: String) -> String? {
        guard let query = url.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.first == Substring(name) { return parts.count > 1 ? String(parts[1]) : "" }
        }
        return nil
    }

    /// A base URL without its trailing slashes (paths are appended to it).
    static func withoutTrailingSlashes(_ url: String) -> String {
        String(url.reversed().drop { $0 == "/" }.reversed())
    }

    /// On AWS the connection is encrypted: `sslmode=require` unless the URL asks for more (`verify-full` with
    /// `sslrootcert` pointing at the RDS certificate bundle).
    static func requiringTLS(_ url: String) -> String {
        guard queryValue("sslmode", in: url) == nil else { return url }
        return url + (url.contains("?") ? "&" : "?") + "sslmode=require"
    }
}
