#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Amazon SNS: `Publish` to a topic, with message attributes that subscriptions can filter on.
public struct SNSClient: Sendable {
    /// A message attribute's value.
    public enum AttributeValue: Sendable, Equatable {
        case string(String)
        case number(String)
        case stringArray([String])
    }

    private let client: AWSClient

    /// A client.
    public init(client: AWSClient) {
        self.client = client
    }

    /// Publishes a message.
    /// - Returns: SNS's message id.
    @discardableResult
    public func publish(
        topicARN: String, message: String, subject: String? = nil, attributes: [String: AttributeValue] = [:]
    ) async throws -> String {
        var parameters = [("TopicArn", topicARN), ("Message", message)]
        if let subject { parameters.append(("Subject", subject)) }
        for (index, name) in attributes.keys.sorted().enumerated() {
            let prefix = "MessageAttributes.entry.\(index + 1)"
            parameters.append(("\(prefix).Name", name))
            switch attributes[name]! {
            case .string(let value):
                parameters += [("\(prefix).Value.DataType", "String"), ("\(prefix).Value.StringValue", value)]
            case .number(let value):
                parameters += [("\(prefix).Value.DataType", "Number"), ("\(prefix).Value.StringValue", value)]
            case .stringArray(let values):
                let json = String(decoding: try JSONEncoder().encode(values), as: UTF8.self)
                parameters += [("\(prefix).Value.DataType", "String.Array"), ("\(prefix).Value.StringValue", json)]
            }
        }
        let root = try await client.query(
            service: .sns, action: "Publish", version: "2010-03-31", parameters: parameters, resource: topicARN)
        guard let id = root.first("MessageId")?.text else {
            throw AWSError(
                code: .malformedResponse, serviceCode: "MalformedResponse", status: 200, service: "SNS",
                operation: "Publish", resource: topicARN, message: "the response has no MessageId")
        }
        return id
    }
}
