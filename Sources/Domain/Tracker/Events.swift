/// An event as EventBridge delivers it to a Lambda function.
public struct EventBridgeEvent<Detail: Decodable & Sendable>: Decodable, Sendable {
    /// Always "0".
    public var version: String
    /// A unique id of the event.
    public var id: String
    /// e.g. "Scheduled Event", "Object Created".
    public var detailType: String
    /// e.g. "aws.events", "aws.s3".
    public var source: String
    /// The account id.
    public var account: String
    /// When the event happened, ISO 8601 (e.g. "2025-06-10T19:00:00Z").
    public var time: String
    /// The region.
    public var region: String
    /// ARNs of the resources involved (the rule, or the bucket).
    public var resources: [String]
    /// The event's own detail.
    public var detail: Detail

    enum CodingKeys: String, CodingKey {
        case version, id
        case detailType = "detail-type"
        case source, account, time, region, resources, detail
    }
}

/// The empty detail (`{}`) of a scheduled event; any fields are ignored.
public struct ScheduledEventDetail: Decodable, Sendable, Equatable {
    public init() {}
    public init(from decoder: any Decoder) throws {}
}

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

/// What EventBridge starts a function on the object store with: S3's "Object Created" (the key and ETag) or its
/// schedule. Load, Backfill and Charts take both, and commands of their own otherwise.
public enum StorageTrigger: Sendable, Equatable {
    case objectCreated(key: String, etag: String?)
    case scheduled

    private enum Keys: String, CodingKey {
        case detailType = "detail-type"
    }

    /// The trigger of an EventBridge event, or `nil` when the JSON is no EventBridge event (a command).
    /// - Parameter function: The function's name, for the error on another kind of event.
    /// - Throws: `DecodingError` for an event of another `detail-type`, or a malformed one.
    public static func decode(from decoder: any Decoder, function: String) throws -> StorageTrigger? {
        let container = try decoder.container(keyedBy: Keys.self)
        guard let detailType = try container.decodeIfPresent(String.self, forKey: .detailType) else { return nil }
        switch detailType {
        case "Object Created":
            let object = try EventBridgeEvent<S3ObjectCreatedDetail>(from: decoder).detail.object
            return .objectCreated(key: object.key, etag: object.etag)
        case "Scheduled Event":
            return .scheduled
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .detailType, in: container,
                debugDescription: "\(function) takes 'Object Created' and 'Scheduled Event' events, not '\(detailType)'"
            )
        }
    }
}
