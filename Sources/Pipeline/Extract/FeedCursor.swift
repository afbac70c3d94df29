import Adapters

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Where the next run starts: the end of the last window safely stored. Kept in the object store (S3 on
/// AWS), written only after the window's raw object.
public struct FeedCursor: Codable, Sendable, Equatable {
    /// The next window's start, seconds since 1970.
    public var nextStart: Int64
    /// Windows stored since the cursor was made.
    public var windowsStored: Int
    /// When it was last moved, seconds since 1970.
    public var updatedAt: Int64

    /// The object's key.
    public static let key = "state/salesfeed/cursor.json"

    /// The stored cursor, or `nil` when there is none yet.
    /// - Throws: when the store fails or the object is not a cursor (never guessed over).
    public static func load(from store: any ObjectStore) async throws -> FeedCursor? {
        guard let object = try await store.getIfPresent(key) else { return nil }
        do {
            return try JSONDecoder().decode(FeedCursor.self, from: Data(object.body))
        } catch {
            throw CursorError(description: "\(store.location)\(key) is not a feed cursor: \(error)")
        }
    }

    /// Stores the cursor.
    public func save(to store: any ObjectStore) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        _ = try await store.put(
            Self.key, body: Array(try encoder.encode(self)), contentType: "application/json", contentEncoding: nil)
    }
}

/// A cursor object that cannot be read.
public struct CursorError: Error, Sendable, CustomStringConvertible {
    public var description: String
}
