/// How mail is sent.
public enum MailerTarget: Sendable, Equatable {
    /// Amazon SES (v2 SendEmail).
    case ses
    /// `.eml` files in a folder.
    case outbox(path: String)

    init(parsing text: String) throws {
        if text == "ses:" || text == "ses" {
            self = .ses
        } else if text.hasPrefix("file:///") {
            self = .outbox(path: String(text.dropFirst("file://".count)))
        } else {
            throw ValueError("'\(text)' is neither ses: nor file:///path")
        }
    }
}
