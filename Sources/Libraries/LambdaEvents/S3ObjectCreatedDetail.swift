/// The detail of an S3 "Object Created" event delivered by EventBridge.
public struct S3ObjectCreatedDetail: Decodable, Sendable, Equatable {
    /// The bucket.
    public struct Bucket: Decodable, Sendable, Equatable {
        public var name: String
    }

    /// The object.
    public struct Object: Decodable, Sendable, Equatable {
        /// The key, as written (EventBridge does not URL-encode it, unlike S3's own notifications).
        public var key: String
        public var size: Int?
        public var etag: String?
        public var versionID: String?
        public var sequencer: String?

        enum CodingKeys: String, CodingKey {
            case key, size, etag
            case versionID = "version-id"
            case sequencer
        }
    }

    public var version: String
    public var bucket: Bucket
    public var object: Object
    public var requestID: String?
    public var requester: String?
    public var sourceIPAddress: String?
    /// e.g. "PutObject", "CompleteMultipartUpload".
    public var reason: String?

    enum CodingKeys: String, CodingKey {
        case version, bucket, object
        case requestID = "request-id"
        case requester
        case sourceIPAddress = "source-ip-address"
        case reason
    }
}
