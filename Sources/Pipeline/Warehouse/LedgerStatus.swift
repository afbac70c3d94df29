import Postgres

/// Where an object stands in `load_ledger`.
public enum LedgerStatus: String, Sendable, Codable, PostgresDecodable, PostgresEncodable {
    /// Every item of it is in the warehouse (or rejected with a reason).
    case loaded
    /// A backfill between chunks.
    case loading
    /// It could not be loaded; `reason` says why.
    case failed
}

/// What kind of object a ledger row is of (`load_ledger.kind`).
public enum ObjectKind: String, Sendable, Codable, PostgresDecodable, PostgresEncodable {
    /// A window of the sales feed (`raw/salesfeed/…`).
    case salesfeed
    /// A release page (`raw/releases/…`).
    case release
    /// Components' CSV (`backfill/…`).
    case components
    /// A chart export (`charts/…`).
    case charts
}
