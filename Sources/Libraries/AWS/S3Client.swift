import HTTPClient
import Markup

/// An object as stored in S3.
public struct S3Object: Sendable {
    /// The bytes.
    public var body: [UInt8]
    /// Its description.
    public var info: S3ObjectInfo
}

/// What S3 says of an object without its bytes.
public struct S3ObjectInfo: Sendable, Equatable {
    /// The key.
    public var key: String
    /// The size in bytes.
    public var size: Int
    /// The ETag without its quotes.
    public var etag: String
    /// `Content-Type`, when known (HEAD and GET).
    public var contentType: String?
    /// `Content-Encoding`, when set (HEAD and GET).
    public var contentEncoding: String?
    /// `Last-Modified` as S3 wrote it.
    public var lastModified: String?
}

/// A page of a listing.
public struct S3ListPage: Sendable, Equatable {
    /// The objects, in key order (UTF-8 binary).
    public var objects: [S3ObjectInfo]
    /// Where the next page starts, when there is one.
    public var nextContinuationToken: String?
}

/// Amazon S3: objects put, got, described, listed and deleted, and presigned GET URLs.
///
/// Keys may hold any character: each is percent-encoded once in the path, as S3 signs it. With an endpoint
/// override (a local peer) buckets are addressed in the path; on AWS as virtual hosts.
public struct S3Client: Sendable {
    private let client: AWSClient

    /// A client.
    public init(client: AWSClient) {
        self.client = client
    }

    private func address(_ bucket: String, _ key: String?) -> (baseURL: String?, path: String) {
        let encodedKey = key.map { SigV4Signer.uriEncode($0, keepSlash: true) } ?? ""
        let (endpoint, isOverride) = client.configuration.endpoint(for: .s3)
        if isOverride || bucket.contains(".") {
            return (endpoint, "/\(bucket)/\(encodedKey)")
        }
        return ("https://\(bucket).s3.\(client.configuration.region).amazonaws.com", "/\(encodedKey)")
    }

    /// Stores an object.
    /// - Returns: Its ETag, without quotes.
    @discardableResult
    public func putObject(
        bucket: String, key: String, body: [UInt8], contentType: String, contentEncoding: String? = nil
    ) async throws -> String {
        let (base, path) = address(bucket, key)
        var headers = [("Content-Type", contentType)]
        if let contentEncoding { headers.append(("Content-Encoding", contentEncoding)) }
        let response = try await client.send(
            AWSRequest(method: "PUT", path: path, headers: headers, body: body, baseURL: base),
            service: .s3, operation: "PutObject", resource: "s3://\(bucket)/\(key)")
        return Self.unquote(response.headers["ETag"] ?? "")
    }

    /// Reads an object.
    /// - Throws: `AWSError` `.noSuchKey` when there is none.
    public func getObject(bucket: String, key: String) async throws -> S3Object {
        let (base, path) = address(bucket, key)
        let response = try await client.send(
            AWSRequest(method: "GET", path: path, baseURL: base),
            service: .s3, operation: "GetObject", resource: "s3://\(bucket)/\(key)")
        return S3Object(body: response.body, info: Self.info(key: key, response.headers, size: response.body.count))
    }

    /// Reads part of an object (HTTP `Range`): from `offset`, at most `length` bytes, only while its ETag is
    /// still `ifMatch` when given.
    /// - Returns: The bytes (fewer at the end; none past it), and the whole object's description (its size, not
    ///   the part's).
    /// - Throws: `AWSError` `.noSuchKey`; status 412 when the object has changed.
    public func getObjectRange(bucket: String, key: String, offset: Int, length: Int, ifMatch: String?)
        async throws -> (body: [UInt8], info: S3ObjectInfo)
    {
        let (base, path) = address(bucket, key)
        var headers = [("Range", "bytes=\(offset)-\(offset + max(1, length) - 1)")]
        if let ifMatch { headers.append(("If-Match", "\"\(ifMatch)\"")) }
        do {
            let response = try await client.send(
                AWSRequest(method: "GET", path: path, headers: headers, baseURL: base),
                service: .s3, operation: "GetObject", resource: "s3://\(bucket)/\(key)")
            // Content-Range: bytes 0-99/1234 (206), or the whole object (200) from a server that ignores Range.
            let total =
                response.headers["Content-Range"].flatMap { Int($0.split(separator: "/").last ?? "") }
                ?? response.body.count
            let info = Self.info(key: key, response.headers, size: total)
            if response.headers["Content-Range"] == nil, offset > 0 {
                return (Array(response.body.dropFirst(offset).prefix(length)), info)
            }
            return (response.body, info)
        } catch let error as AWSError where error.status == 416 {
            // Past the end (or an empty object): nothing more to read.
            guard let info = try await headObject(bucket: bucket, key: key) else { throw error }
            return ([], info)
        }
    }

    /// Describes an object.
    /// - Returns: `nil` when there is none.
    public func headObject(bucket: String, key: String) async throws -> S3ObjectInfo? {
        let (base, path) = address(bucket, key)
        do {
            let response = try await client.send(
                AWSRequest(method: "HEAD", path: path, baseURL: base),
                service: .s3, operation: "HeadObject", resource: "s3://\(bucket)/\(key)")
            return Self.info(key: key, response.headers, size: nil)
        } catch let error as AWSError where error.status == 404 {
            return nil
        }
    }

    /// One page of the keys under a prefix, after a key or continuing a listing.
    public func listObjectsV2(
        bucket: String, prefix: String = "", startAfter: String? = nil, continuationToken: String? = nil,
        maxKeys: Int = 1000
    ) async throws -> S3ListPage {
        let (base, path) = address(bucket, nil)
        var query = [("list-type", "2"), ("encoding-type", "url"), ("max-keys", String(maxKeys))]
        if !prefix.isEmpty { query.append(("prefix", prefix)) }
        if let startAfter { query.append(("start-after", startAfter)) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        let resource = "s3://\(bucket)/\(prefix)"
        let response = try await client.send(
            AWSRequest(method: "GET", path: path, query: query, baseURL: base),
            service: .s3, operation: "ListObjectsV2", resource: resource)
        do {
            let root = try XMLElement.parse(response.body)
            let encoded = root["EncodingType"] == "url"
            let objects = root.children("Contents").map { item in
                let key = item["Key"] ?? ""
                return S3ObjectInfo(
                    key: encoded ? SigV4Signer.percentDecode(key.replacingPlusWithSpace()) : key,
                    size: Int(item["Size"] ?? "") ?? 0, etag: Self.unquote(item["ETag"] ?? ""), contentType: nil,
                    contentEncoding: nil, lastModified: item["LastModified"])
            }
            let truncated = root["IsTruncated"] == "true"
            return S3ListPage(
                objects: objects, nextContinuationToken: truncated ? root["NextContinuationToken"] : nil)
        } catch let error as MarkupError {
            throw AWSError(
                code: .malformedResponse, serviceCode: "MalformedResponse", status: response.status, service: "S3",
                operation: "ListObjectsV2", resource: resource, message: error.description)
        }
    }

    /// Deletes an object (no error when there is none, as S3 does).
    public func deleteObject(bucket: String, key: String) async throws {
        let (base, path) = address(bucket, key)
        _ = try await client.send(
            AWSRequest(method: "DELETE", path: path, baseURL: base),
            service: .s3, operation: "DeleteObject", resource: "s3://\(bucket)/\(key)")
    }

    /// A URL that lets anyone GET the object for `expires` seconds (at most 7 days).
    public func presignedGetURL(bucket: String, key: String, expires: Int) -> String {
        let (base, path) = address(bucket, key)
        return client.presignedURL(
            AWSRequest(method: "GET", path: path, baseURL: base), service: .s3, expires: min(expires, 604_800))
    }

    static func info(key: String, _ headers: HTTPHeaders, size: Int?) -> S3ObjectInfo {
        S3ObjectInfo(
            key: key, size: size ?? Int(headers["Content-Length"] ?? "") ?? 0,
            etag: unquote(headers["ETag"] ?? ""), contentType: headers["Content-Type"],
            contentEncoding: headers["Content-Encoding"], lastModified: headers["Last-Modified"])
    }

    static func unquote(_ etag: String) -> String {
        String(etag.drop { $0 == "\"" }.reversed().drop { $0 == "\"" }.reversed())
    }
}

extension String {
    /// S3's URL-encoded listings write spaces as `+`.
    fileprivate func replacingPlusWithSpace() -> String {
        String(map { $0 == "+" ? " " : $0 })
    }
}
