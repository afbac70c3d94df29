import Crypto
import Postgres
import ReadModel
import Tracker

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Who may sign in to the dashboard: one account, from a Secrets Manager secret on AWS
/// (`{"username": "…", "password": "…"}`), and the key its session cookies are signed with (derived from both,
/// so that changing the password signs everybody out).
public struct DashboardCredentials: Sendable {
    public let username: String
    private let passwordDigest: SHA256Digest
    let sessionKey: SymmetricKey

    /// Credentials; the password is kept only as a digest.
    public init(username: String, password: String) {
        self.username = username
        passwordDigest = SHA256.hash(data: Array(password.utf8))
        sessionKey = SymmetricKey(
            data: SHA256.hash(data: Array("bandcamp-tracker dashboard session v1\u{0}\(username)\u{0}\(password)".utf8))
        )
    }

    /// Credentials from a secret's JSON.
    /// - Throws: `DashboardCredentialsError` saying what is missing (never a value of the secret).
    public init(secret: String) throws {
        struct Secret: Decodable {
            var username: String?
            var password: String?
        }
        guard let parsed = try? JSONDecoder().decode(Secret.self, from: Data(secret.utf8)) else {
            throw DashboardCredentialsError(
                description: "the dashboard's secret is not JSON of the shape {\"username\": …, \"password\": …}")
        }
        guard let username = parsed.username, !username.isEmpty, let password = parsed.password else {
            throw DashboardCredentialsError(description: "the dashboard's secret lacks a username or a password")
        }
        guard password.count >= 12 else {
            throw DashboardCredentialsError(description: "the dashboard's password is shorter than 12 characters")
        }
        self.init(username: username, password: password)
    }

    /// Whether a username and password are these, compared in time that does not depend on where they differ.
    func accepts(username: String, password: String) -> Bool {
        let userMatches = constantTimeEqual(
            Array(SHA256.hash(data: Array(username.utf8))), Array(SHA256.hash(data: Array(self.username.utf8))))
        let passwordMatches = constantTimeEqual(
            Array(SHA256.hash(data: Array(password.utf8))), Array(passwordDigest))
        return userMatches && passwordMatches
    }
}

/// The dashboard's secret is unusable.
public struct DashboardCredentialsError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Signed session cookies: `bt_session=v1.<expiry>.<HMAC-SHA256 of the username and expiry>`, HttpOnly, Secure,
/// SameSite=Lax, valid for 12 hours. Nothing is stored: the signature is the proof.
struct SessionCookie {
    static let name = "bt_session"
    static let lifetime: Int64 = 12 * 3600

    let credentials: DashboardCredentials
    /// The cookie's name, how long it lasts, and what its signature is for (a session's is no device's).
    var cookieName = Self.name
    var lifetime = Self.lifetime
    var purpose = "v1"

    /// A browser that signed in before: a year's cookie that exempts it from the limit on failures from
    /// everywhere (the per-place limit still holds), so that guesses from many places cannot lock the owner out.
    static func device(_ credentials: DashboardCredentials) -> SessionCookie {
        SessionCookie(credentials: credentials, cookieName: "bt_device", lifetime: 365 * 86_400, purpose: "device")
    }

    /// A cookie for a session starting at `now`.
    func issue(now: Int64, secure: Bool) -> String {
        let expiry = now + lifetime
        return "\(cookieName)=v1.\(expiry).\(signature(expiry))" + attributes(maxAge: lifetime, secure: secure)
    }

    /// The cookie that ends a session.
    func clear(secure: Bool) -> String {
        "\(cookieName)=" + attributes(maxAge: 0, secure: secure)
    }

    /// Whether a cookie's value is a session of these credentials that has not expired.
    func isValid(_ value: String?, now: Int64) -> Bool {
        guard let value else { return false }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let expiry = Int64(parts[1]), expiry > now,
            expiry <= now + lifetime
        else { return false }
        return constantTimeEqual(Array(parts[2].utf8), Array(signature(expiry).utf8))
    }

    private func signature(_ expiry: Int64) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Array("\(purpose)|\(credentials.username)|\(expiry)".utf8), using: credentials.sessionKey)
        return Hex.encode(mac)
    }

    /// Secure is left out only when served over plain HTTP on this machine.
    private func attributes(maxAge: Int64, secure: Bool) -> String {
        "; Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
    }
}

/// Bytes compared without returning early.
func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for index in a.indices { difference |= a[index] ^ b[index] }
    return difference == 0
}

/// Limits on attempts, counted in the database (every instance of the function sees the same counts).
struct AttemptLimits {
    enum Kind: String {
        case signIn = "sign-in"
        case signUp = "sign-up"
    }

    /// Failed sign-ins allowed from one place, and from everywhere, in the window.
    static let signInFailuresPerSource = 5
    static let signInFailuresOverall = 100
    /// Sign-ups allowed from one place in the window (each sends a confirmation email).
    static let signUpsPerSource = 10
    static let window: Int64 = 15 * 60

    let db: PostgresConnection

    /// A hash of the source address: enough to count by, not to tell who.
    static func sourceHash(_ address: String) -> String {
        Hex.encode(SHA256.hash(data: Array("bandcamp-tracker attempts\u{0}\(address)".utf8)))
    }

    /// Seconds to wait before another attempt of this kind from this source, or nil when it may go ahead.
    /// - Parameter trusted: A browser that signed in before (its device cookie): not held by the limit on
    ///   failures from everywhere.
    func retryAfter(_ kind: Kind, source: String, trusted: Bool = false) async throws -> Int64? {
        let counted = kind == .signIn ? "NOT succeeded" : "true"
        let row =
            try await db.query(
                """
                SELECT count(*) FILTER (WHERE source_hash = \(Self.sourceHash(source))) AS by_source,
                    count(*) AS overall,
                    floor(date_part('epoch', min(attempted_at) FILTER (WHERE source_hash = \(Self.sourceHash(source)))))::bigint
                        AS oldest_by_source,
                    floor(date_part('epoch', min(attempted_at)))::bigint AS oldest,
                    floor(date_part('epoch', now()))::bigint AS now
                FROM request_attempt
                WHERE kind = \(kind.rawValue) AND attempted_at > now() - make_interval(secs => \(Self.window)::int)
                    AND \(unescaped: counted)
                """
            ).single()
        let bySource: Int = try row.decode("by_source")
        let overall: Int = try row.decode("overall")
        let now: Int64 = try row.decode("now")
        let perSource = kind == .signIn ? Self.signInFailuresPerSource : Self.signUpsPerSource
        if bySource >= perSource, let oldest: Int64 = try row.decode("oldest_by_source") {
            return max(1, oldest + Self.window - now)
        }
        if kind == .signIn, !trusted, overall >= Self.signInFailuresOverall,
            let oldest: Int64 = try row.decode("oldest")
        {
            return max(1, oldest + Self.window - now)
        }
        return nil
    }

    /// Records an attempt (and forgets those over a day old).
    func record(_ kind: Kind, source: String, succeeded: Bool) async throws {
        try await db.query(
            """
            INSERT INTO request_attempt (kind, source_hash, succeeded)
            VALUES (\(kind.rawValue), \(Self.sourceHash(source)), \(succeeded))
            """)
        try await db.query("DELETE FROM request_attempt WHERE attempted_at < now() - interval '1 day'")
    }
}
