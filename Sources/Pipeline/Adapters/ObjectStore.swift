/// What a store says of an object without its bytes.
public struct ObjectInfo: Sendable, Equatable {
    /// The key, relative to the store's root or prefix.
    public var key: String
    /// The size in bytes.
    public var size: Int
    /// The ETag (the MD5 of the bytes, hex, for single-part objects), without quotes.
    public var etag: String
    /// `Content-Type`, when known.
    public var contentType: String?
    /// `Content-Encoding`, when set.
    public var contentEncoding: String?

    /// An object's description.
    public init(key: String, size: Int, etag: String, contentType: String? = nil, contentEncoding: String? = nil) {
        self.key = key
        self.size = size
        self.etag = etag
        self.contentType = contentType
        self.contentEncoding = contentEncoding
    }
}

/// An object with its bytes.
public struct StoredObject: Sendable {
    /// Its description.
    public var info: ObjectInfo
    /// The bytes.
    public var body: [UInt8]
}

/// Where raw objects and reports are kept: S3 on AWS, a folder on a laptop. Same keys, same behaviour.
///
/// Keys are `/`-separated and may hold any other character (spaces, `+`, `=`, unicode). Listings are in
/// UTF-8 byte order, as S3's are.
public protocol ObjectStore: Sendable {
    /// `s3://bucket/prefix` or `file:///path`, for logs.
    var location: String { get }

    /// Stores an object, replacing any of the same key; readers never see a partial object.
    func put(_ key: String, body: [UInt8], contentType: String, contentEncoding: String?) async throws -> ObjectInfo

    /// Reads an object.
    /// - Throws: `ObjectStoreError` `.notFound` when there is none.
    func get(_ key: String) async throws -> StoredObject

    /// Reads an object piece by piece from a byte offset to its end, `chunkSize` bytes at a time, all of one
    /// version of it, handing each piece to `body` in order: an object of any size in bounded memory, and a long
    /// read taken up again where it stopped. `body` may throw to stop early.
    /// - Parameters:
    ///   - ifMatch: The ETag the object must have (the one an event named, or the one a resumed read began
    ///     with); `nil` for any.
    ///   - offset: The first byte to read (0 for the whole object; past the end reads nothing).
    /// - Returns: The object's description.
    /// - Throws: `ObjectStoreError` `.notFound`, or `.changed` when the object is not (or no longer) the version
    ///   asked for; what `body` throws.
    func read(
        _ key: String, ifMatch: String?, from offset: Int, chunkSize: Int, _ body: ([UInt8]) async throws -> Void
    ) async throws -> ObjectInfo

    /// Describes an object, or `nil` when there is none.
    func head(_ key: String) async throws -> ObjectInfo?

    /// Up to `limit` objects under a prefix, after a key, in key order.
    func list(prefix: String, startAfter: String?, limit: Int) async throws -> [ObjectInfo]

    /// Deletes an object; no error when there is none.
    func delete(_ key: String) async throws

    /// A URL that reads the object without other credentials for a while (a `file://` URL for a folder).
    func presignedURL(for key: String, expiresIn seconds: Int) -> String

    /// Whether `presignedURL` is a link any browser can follow (S3's), not only a program on this machine (a
    /// folder's `file://`).
    var hasWebLinks: Bool { get }
}

/// A failure of an object store, naming the store and the key.
public struct ObjectStoreError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Sendable, Equatable {
        /// There is no object with that key.
        case notFound
        /// The key cannot be used (empty, `.` or `..` segments, reserved names).
        case invalidKey
        /// The object is not the version asked for: it was replaced.
        case changed
        /// The store failed (I/O, the service).
        case failed
    }

    /// What went wrong.
    public var code: Code
    /// The store's location.
    public var location: String
    /// The key.
    public var key: String
    /// The detail.
    public var detail: String
    /// The error behind it (an `AWSError`, say).
    public var underlying: (any Error)?

    /// An error.
    public init(_ code: Code, location: String, key: String, detail: String, underlying: (any Error)? = nil) {
        self.code = code
        self.location = location
        self.key = key
        self.detail = detail
        self.underlying = underlying
    }

    public var description: String {
        "object store \(location), key '\(key)': \(detail)"
    }
}

extension ObjectStore {
    /// Reads a whole object piece by piece (see `read(_:ifMatch:from:chunkSize:_:)`).
    public func read(
        _ key: String, ifMatch: String?, chunkSize: Int, _ body: ([UInt8]) async throws -> Void
    ) async throws -> ObjectInfo {
        try await read(key, ifMatch: ifMatch, from: 0, chunkSize: chunkSize, body)
    }

    /// An object, or `nil` when there is none: one request where `head` then `get` would be two.
    public func getIfPresent(_ key: String) async throws -> StoredObject? {
        do {
            return try await get(key)
        } catch let error as ObjectStoreError where error.code == .notFound {
            return nil
        }
    }

    /// Every object under a prefix, page by page.
    public func listAll(prefix: String, startAfter: String? = nil, pageSize: Int = 1000) async throws -> [ObjectInfo] {
        var result: [ObjectInfo] = []
        var after = startAfter
        while true {
            let page = try await list(prefix: prefix, startAfter: after, limit: pageSize)
            result += page
            guard page.count == pageSize, let last = page.last else { return result }
            after = last.key
        }
    }
}

/// Whether one key sorts before another in UTF-8 byte order, as S3 lists them.
func precedesInKeyOrder(_ a: String, _ b: String) -> Bool {
    Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
}
