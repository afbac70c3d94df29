import Adapters

/// What loading one raw object did.
public struct LoadOutcome: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        /// Loaded now.
        case loaded
        /// Loaded before, with the same ETag: nothing done.
        case alreadyLoaded = "already-loaded"
        /// The object is malformed: recorded as failed, with the reason, in the ledger.
        case failed
        /// Not a raw object Load knows (another prefix): left alone.
        case ignored
    }

    public var key: String
    public var status: Status
    public var etag: String?
    /// Items in the object (sales), or 1 for a release page.
    public var items: Int = 0
    /// Rows new to the warehouse.
    public var inserted: Int = 0
    /// Items already in the warehouse (from an overlapping window or another object).
    public var duplicates: Int = 0
    /// Items that cannot be sales (kept in `load_reject` with the reason).
    public var rejected: Int = 0
    /// Why it failed.
    public var reason: String?
}

/// An object that cannot be loaded because of what is in it (not because of the database or the store).
public struct MalformedObject: Error, Sendable, CustomStringConvertible {
    public var description: String
}
