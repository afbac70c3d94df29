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
                "SELECT email, status <> 'unsubscribed' FROM subscriber WHERE token = $1", [token]
            )
            .rows.first, let email = row[0]
        else { return nil }
        return (email, row[1] == "t")
    }

    /// Unsubscribes the subscriber of a token from everything (the daily report and every alert); the row stays,
    /// so that the address is never mailed again.
    public static func unsubscribe(token: String, db: PostgresConnection) async throws -> UnsubscribeOutcome {
        if let email = try await db.query(
            """
            UPDATE subscriber SET status = 'unsubscribed', unsubscribed_at = now()
            WHERE token = $1 AND status <> 'unsubscribed' RETURNING email
            """, [token]
        ).scalar {
            return .unsubscribed(email)
        }
        return try await find(token: token, db: db).map { .already($0.email) } ?? .unknown
    }
}
