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

    /// What each function needs; only those settings are checked.
    public enum Need: Sendable, CaseIterable {
        case objectStore, database, mail, notifications, bandcamp
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
            String($0).trimmingSpaces()
        }.filter { !$0.isEmpty }
        for mapping in connectTo where mapping.split(separator: ":", omittingEmptySubsequences: false).count != 4 {
            check.report("BANDCAMP_CONNECT_TO", "'\(mapping)' is not HOST:PORT:CONNECT-HOST:CONNECT-PORT")
        }

        let pageScheme = environment["BANDCAMP_PAGE_SCHEME"].flatMap { $0.isEmpty ? nil : $0 } ?? "https"
        if pageScheme != "https" && pageScheme != "http" {
            check.report("BANDCAMP_PAGE_SCHEME", "must be https or http, not '\(pageScheme)'")
        }

        guard check.problems.isEmpty else { throw ConfigurationError(problems: check.problems) }
        self.objectStore = objectStore ?? .folder(path: "/")
        self.databaseURL = localDefaults == nil ? databaseURL.map(Self.requiringTLS) ?? "" : databaseURL ?? ""
        self.databaseSecretID = environment["DATABASE_SECRET_ARN"].flatMap { $0.isEmpty ? nil : $0 }
        self.mailer = mailer ?? .ses
        self.mailFrom = mailFrom
        self.notifier = notifier ?? .outbox(path: "/")
        self.bandcampBaseURL = bandcamp.map { String($0.reversed().drop { $0 == "/" }.reversed()) } ?? ""
        self.bandcampConnectTo = connectTo
        self.bandcampPageScheme = pageScheme
    }

    static func urlHasPassword(_ url: String) -> Bool {
        guard let schemeEnd = url.firstRange(of: "://") else { return false }
        let authority = url[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" }
        guard let at = authority.lastIndex(of: "@") else { return false }
        return authority[..<at].contains(":")
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

/// Settings that are missing or malformed, each named, all at once.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One setting's problem.
    public struct Problem: Sendable, Equatable {
        /// The environment variable.
        public var variable: String
        /// What is wrong with it.
        public var message: String

        public init(variable: String, message: String) {
            self.variable = variable
            self.message = message
        }
    }

    /// Every problem found.
    public var problems: [Problem]

    public init(problems: [Problem]) {
        self.problems = problems
    }

    public var description: String {
        "invalid configuration: " + problems.map { "\($0.variable) \($0.message)" }.joined(separator: "; ")
    }
}

/// Where objects are kept.
public enum ObjectStoreLocation: Sendable, Equatable {
    /// A folder on this machine.
    case folder(path: String)
    /// An S3 bucket, with a key prefix ("" or ending in "/").
    case s3(bucket: String, prefix: String)

    /// A location from `file:///path` or `s3://bucket/prefix`.
    init(parsing text: String) throws {
        if text.hasPrefix("file://") {
            let path = String(text.dropFirst("file://".count))
            guard path.hasPrefix("/") else {
                throw ValueError("'\(text)' must be an absolute file URL, file:///path")
            }
            self = .folder(path: path)
        } else if text.hasPrefix("s3://") {
            let rest = text.dropFirst("s3://".count)
            let bucket = String(rest.prefix { $0 != "/" })
            guard Self.isValidBucketName(bucket) else {
                throw ValueError("'\(bucket)' is not a valid S3 bucket name")
            }
            var prefix = String(rest.dropFirst(bucket.count).drop { $0 == "/" })
            if !prefix.isEmpty && !prefix.hasSuffix("/") { prefix += "/" }
            self = .s3(bucket: bucket, prefix: prefix)
        } else {
            throw ValueError("'\(text)' is neither file:///path nor s3://bucket/prefix")
        }
    }

    static func isValidBucketName(_ name: String) -> Bool {
        let allowed = name.allSatisfy { $0.isLowercase && $0.isASCII || $0.isNumber || $0 == "-" || $0 == "." }
        return (3...63).contains(name.count) && allowed && name.first != "-" && name.last != "-"
    }
}

/// How mail is sent.
public enum MailerTarget: Sendable, Equatable {
    /// Amazon SES (v2 SendEmail).
    case ses
    /// `.eml` files in a folder.
    case outbox(path: String)

    init(parsing text: String) throws {
        if text == "ses:" || text == "ses" {
            self = .ses
        } else if text.hasPrefix("file:///") {
            self = .outbox(path: String(text.dropFirst("file://".count)))
        } else {
            throw ValueError("'\(text)' is neither ses: nor file:///path")
        }
    }
}

/// Where alert notifications go.
public enum NotifierTarget: Sendable, Equatable {
    /// An SNS topic.
    case sns(topicARN: String)
    /// JSON files in a folder.
    case outbox(path: String)

    init(parsing text: String) throws {
        if text.hasPrefix("arn:aws:sns:") || text.hasPrefix("arn:aws-") && text.contains(":sns:") {
            self = .sns(topicARN: text)
        } else if text.hasPrefix("file:///") {
            self = .outbox(path: String(text.dropFirst("file://".count)))
        } else {
            throw ValueError("'\(text)' is neither an SNS topic ARN nor file:///path")
        }
    }
}

/// Collects the problems of every setting, so that one error can name them all.
private final class SettingsCheck {
    let environment: [String: String]
    let needs: Set<Settings.Need>
    private(set) var problems: [ConfigurationError.Problem] = []

    init(environment: [String: String], needs: Set<Settings.Need>) {
        self.environment = environment
        self.needs = needs
    }

    func report(_ variable: String, _ message: String) {
        problems.append(.init(variable: variable, message: message))
    }

    /// The value of a needed setting, or its default; `nil` (and a problem) when it has neither.
    func require(_ name: String, default local: String?, _ need: Settings.Need, what: String) -> String? {
        guard needs.contains(need) else { return nil }
        if let set = environment[name], !set.isEmpty { return set }
        if let local { return local }
        report(name, "is not set; it must give \(what)")
        return nil
    }

    /// A needed setting parsed into a value; `nil` (and a problem) when missing or malformed.
    func parse<Value>(
        _ name: String, default local: String?, _ need: Settings.Need, what: String, _ parse: (String) throws -> Value
    ) -> Value? {
        guard let text = require(name, default: local, need, what: what) else { return nil }
        do {
            return try parse(text)
        } catch {
            report(name, (error as? ValueError)?.message ?? "\(error)")
            return nil
        }
    }
}

struct ValueError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

extension String {
    /// The text without spaces at either end.
    public func trimmingSpaces() -> String {
        let bytes = utf8
        guard bytes.first == 0x20 || bytes.last == 0x20 else { return self }
        return String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    /// The text with white space of any kind (newlines, tabs) trimmed at the ends and made one space between
    /// words: how names from pages and the feed are kept.
    public func collapsingWhitespace() -> String {
        // Most names need nothing done: a scan of the bytes says so without making a new string.
        if !mayNeedCollapsing { return self }
        return split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Whether the text may start or end with white space or hold a run of it, or white space other than one
    /// ASCII space: Unicode's (no-break space, en space, ideographic space…) is told by its UTF-8 lead bytes.
    private var mayNeedCollapsing: Bool {
        var previous: UInt8 = 0x20  // as if a space came before: a leading space needs work
        for byte in utf8 {
            switch byte {
            case 0x09...0x0D: return true
            case 0x20: if previous == 0x20 { return true }
            case 0x85, 0xA0, 0x9A, 0x80, 0x81:
                if previous == 0xC2 || previous == 0xE1 || previous == 0xE2 || previous == 0xE3 { return true }
            default: break
            }
            previous = byte
        }
        return previous == 0x20
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

    /// On AWS the connection is encrypted: `sslmode=require` unless the URL asks for more (`verify-full` with
    /// `sslrootcert` pointing at the RDS certificate bundle).
    static func requiringTLS(_ url: String) -> String {
        guard queryValue("sslmode", in: url) == nil else { return url }
        return url + (url.contains("?") ? "&" : "?") + "sslmode=require"
    }
}
