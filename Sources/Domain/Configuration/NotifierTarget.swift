/// Where alert notifications go.
public enum NotifierTarget: Sendable, Equatable {
    /// An SNS topic.
    case sns(topicARN: String)
    /// JSON files in a folder.
    case outbox(path: String)

    init(parsing text: String) throws {
        if text.hasPrefix("arn:aws:sns:") || text.hasPrefix("arn:aws-") && text.contains(":sns:") {
            self = .sns(topicARN: text)
        } else if text.hasPrefix("file:///") {
            self = .outbox(path: String(text.dropFirst("file://".count)))
        } else {
            throw ValueError("'\(text)' is neither an SNS topic ARN nor file:///path")
        }
    }
}
