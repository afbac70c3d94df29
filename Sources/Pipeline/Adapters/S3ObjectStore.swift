import AWS

/// An object store in an S3 bucket, under a key prefix.
public struct S3ObjectStore: ObjectStore {
    /// The bucket.
    public let bucket: String
    /// The key prefix ("" or ending in "/").
    public let prefix: String
    private let s3: S3Client

    /// A store.
    public init(bucket: String, prefix: String, client: AWSClient) {
        self.bucket = bucket
        self.prefix = prefix
        self.s3 = S3Client(client: client)
    }

    public var location: String { "s3://\(bucket)/\(prefix)" }

    public func put(_ key: String, body: [UInt8], contentType: String, contentEncoding: String?) async throws
        -> ObjectInfo
    {
        let etag = try await wrap(key) {
            try await s3.putObject(
                bucket: bucket, key: prefix + key, body: body, contentType: contentType,
                contentEncoding: contentEncoding)
        }
        return ObjectInfo(
            key: key, size: body.count, etag: etag, contentType: contentType, contentEncoding: contentEncoding)
    }

    public func get(_ key: String) async throws -> StoredObject {
        let object = try await wrap(key) { try await s3.getObject(bucket: bucket, key: prefix + key) }
        return StoredObject(info: info(object.info), body: object.body)
    }

    public func read(
        _ key: String, ifMatch: String?, from start: Int, chunkSize: Int, _ body: ([UInt8]) async throws -> Void
    ) async throws -> ObjectInfo {
        var offset = max(0, start)
        var described: S3ObjectInfo?
        while true {
            let piece = try await wrap(key) {
                // After the first piece, every other must be of the same version.
                try await s3.getObjectRange(
                    bucket: bucket, key: prefix + key, offset: offset, length: chunkSize,
                    ifMatch: described?.etag ?? ifMatch)
            }
            described = piece.info
            if piece.body.isEmpty { break }
            offset += piece.body.count
            try await body(piece.body)
            if offset >= piece.info.size { break }
        }
        return info(described!)
    }

    public func head(_ key: String) async throws -> ObjectInfo? {
        try await wrap(key) { try await s3.headObject(bucket: bucket, key: prefix + key) }.map(info)
    }

    public func list(prefix keyPrefix: String, startAfter: String?, limit: Int) async throws -> [ObjectInfo] {
        var result: [ObjectInfo] = []
        var token: String?
        repeat {
            let page = try await wrap(keyPrefix) {
                try await s3.listObjectsV2(
                    bucket: bucket, prefix: prefix + keyPrefix, startAfter: startAfter.map { prefix + $0 },
                    continuationToken: token, maxKeys: min(1000, limit - result.count))
            }
            result += page.objects.map(info)
            token = page.nextContinuationToken
        } while token != nil && result.count < limit
        return result
    }

    public func delete(_ key: String) async throws {
        try await wrap(key) { try await s3.deleteObject(bucket: bucket, key: prefix + key) }
    }

    public func presignedURL(for key: String, expiresIn seconds: Int) -> String {
        s3.presignedGetURL(bucket: bucket, key: prefix + key, expires: seconds)
    }

    public var hasWebLinks: Bool { true }

    private func info(_ object: S3ObjectInfo) -> ObjectInfo {
        ObjectInfo(
            key: String(object.key.dropFirst(prefix.count)), size: object.size, etag: object.etag,
            contentType: object.contentType, contentEncoding: object.contentEncoding)
    }

    private func wrap<T>(_ key: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as AWSError where error.code == .noSuchKey {
            throw ObjectStoreError(.notFound, location: location, key: key, detail: "no such object", underlying: error)
        } catch let error as AWSError where error.status == 412 {
            throw ObjectStoreError(
                .changed, location: location, key: key, detail: "the object is not the version asked for",
                underlying: error)
        } catch let error as AWSError {
            throw ObjectStoreError(.failed, location: location, key: key, detail: "\(error)", underlying: error)
        }
    }
}
