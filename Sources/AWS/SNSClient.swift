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
                let json = "[" + values.map { jsonQuoted($0) }.joined(separator: ",") + "]"
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

/// A JSON string literal.
func jsonQuoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case let control where control.value < 0x20:
            let hex = String(control.value, radix: 16)
            result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}
