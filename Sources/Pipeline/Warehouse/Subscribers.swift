import Postgres

/// What unsubscribing by a token found.
public enum UnsubscribeOutcome: Sendable, Equatable {
    /// Unsubscribed now (the address).
    case unsubscribed(String)
    /// Already unsubscribed before (the address).
    case already(String)
    /// No subscriber has this token.
    case unknown
}

/// Subscribers, by the secret token of their links.
public enum Subscribers {
    /// The address a token belongs to, and whether it is still subscribed.
    public static func find(token: String, db: PostgresConnection) async throws -> (email: String, active: Bool)? {
        guard
            let row = try await db.query(
                "SELECT email, status <> 'unsubscribed' AS active FROM subscriber WHERE token = \(token)"
            ).first
        else { return nil }
        return (try row.decode("email"), try row.decode("active"))
    }

    /// Unsubscribes the subscriber of a token from everything (the daily report and every alert); the row stays,
    /// so that the address is never mailed again.
    public static func unsubscribe(token: String, db: PostgresConnection) async throws -> UnsubscribeOutcome {
        if let email = try await db.query(
            """
            UPDATE subscriber SET status = 'unsubscribed', unsubscribed_at = now()
            WHERE token = \(token) AND status <> 'unsubscribed' RETURNING email
            """
        ).scalarIfPresent(String.self) {
            return .unsubscribed(email)
        }
        return try await find(token: token, db: db).map { .already($0.email) } ?? .unknown
    }
}
