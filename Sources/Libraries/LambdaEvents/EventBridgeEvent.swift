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
