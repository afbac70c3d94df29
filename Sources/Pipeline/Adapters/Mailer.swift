import AWS
import Tracker

#if canImport(Glibc)
    import Glibc
#endif

/// Sends email: through SES on AWS, into an outbox folder of `.eml` files on a laptop.
public protocol Mailer: Sendable {
    /// Where mail goes, for logs (`ses:` or `file:///path`).
    var location: String { get }

    /// Sends a message.
    /// - Returns: The message's id (SES's, or the outbox file's name).
    func send(_ message: EmailMessage) async throws -> String
}

/// Mail through Amazon SES v2: simple messages as such, and raw MIME when there are attachments or extra
/// header fields.
public struct SESMailer: Mailer {
    private let ses: SESClient

    /// A mailer.
    public init(client: AWSClient) {
        ses = SESClient(client: client)
    }

    public var location: String { "ses:" }

    public func send(_ message: EmailMessage) async throws -> String {
        if message.attachments.isEmpty && message.headers.isEmpty {
            return try await ses.sendEmail(
                from: message.from, to: message.to, subject: message.subject, text: message.text,
                html: message.html?.markup)
        }
        let raw = MIMEWriter.render(message, messageID: Outbox.newID() + "@bandcamp-tracker", date: Int(time(nil)))
        return try await ses.sendRawEmail(from: message.from, to: message.to, message: raw)
    }
}

/// Mail into a folder: each message a real `.eml` file that a mail client opens, written atomically.
public struct OutboxMailer: Mailer {
    /// The outbox folder; messages go to its `mail/` folder.
    public let folder: String

    /// A mailer.
    public init(folder: String) {
        self.folder = folder
    }

    public var location: String { "file://\(folder)/mail" }

    public func send(_ message: EmailMessage) async throws -> String {
        let id = Outbox.newID()
        let now = Int(time(nil))
        let bytes = MIMEWriter.render(message, messageID: "\(id)@bandcamp-tracker.local", date: now)
        return try Outbox.write(
            bytes, folder: "\(folder)/mail", time: now, title: message.subject, id: id, extension: "eml")
    }
}

/// A message that could not be put in the outbox.
public struct OutboxError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Names for outbox files.
enum Outbox {
    /// A random id, 32 hex digits.
    static func newID() -> String {
        Hex.random(bytes: 16)
    }

    /// `20261121T215800Z`, so that files sort by time.
    static func timestamp(_ seconds: Int) -> String {
        AWSDate(secondsSince1970: seconds).timestamp
    }

    /// Writes one file into an outbox folder, named so that files sort by time and say what they are.
    /// - Returns: The file's name.
    static func write(
        _ bytes: [UInt8], folder: String, time: Int, title: String, id: String, extension fileExtension: String
    ) throws -> String {
        let name = "\(timestamp(time))-\(slug(title))-\(id.prefix(8)).\(fileExtension)"
        do {
            try LocalFiles.writeAtomically("\(folder)/\(name)", bytes)
        } catch {
            throw OutboxError(description: "cannot write to the outbox \(folder): \(error)")
        }
        return name
    }

    /// A short, safe file-name part from a subject.
    static func slug(_ text: String) -> String {
        let allowed = text.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" }
        let collapsed = String(allowed).split(separator: "-").joined(separator: "-")
        return collapsed.isEmpty ? "message" : String(collapsed.prefix(40))
    }
}
