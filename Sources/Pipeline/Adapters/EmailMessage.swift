import Tracker

#if canImport(Glibc)
    import Glibc
#endif

/// A file attached to an email.
public struct EmailAttachment: Sendable, Equatable {
    /// The file name the reader sees.
    public var filename: String
    /// Its type, e.g. `application/pdf`.
    public var contentType: String
    /// The bytes.
    public var data: [UInt8]

    /// An attachment.
    public init(filename: String, contentType: String, data: [UInt8]) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }
}

/// An email: a text body, an optional HTML alternative, attachments and extra header fields
/// (`List-Unsubscribe`, say).
public struct EmailMessage: Sendable, Equatable {
    /// The sender, `address` or `Name <address>`.
    public var from: String
    /// The recipients.
    public var to: [String]
    /// The subject.
    public var subject: String
    /// The plain-text body.
    public var text: String
    /// The HTML body, if any.
    public var html: HTML?
    /// Attachments.
    public var attachments: [EmailAttachment]
    /// Extra header fields.
    public var headers: [String: String]

    /// A message.
    public init(
        from: String, to: [String], subject: String, text: String, html: HTML? = nil,
        attachments: [EmailAttachment] = [], headers: [String: String] = [:]
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.attachments = attachments
        self.headers = headers
    }

    /// The link that unsubscribes a subscriber (`base?token=…`), and the RFC 8058 one-click header fields that
    /// carry it; none without a base.
    public static func unsubscribe(base: String?, token: String) -> (link: String?, headers: [String: String]) {
        guard let base else { return (nil, [:]) }
        let link = "\(base)?token=\(token)"
        return (link, ["List-Unsubscribe": "<\(link)>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"])
    }
}

/// Writes an `EmailMessage` as an RFC 5322 / MIME message: UTF-8 throughout, non-ASCII header text as RFC 2047
/// encoded words, bodies in base64, `multipart/alternative` for text and HTML, `multipart/mixed` around them
/// when there are attachments. What SES sends raw and what a mail client opens from the outbox.
public enum MIMEWriter {
    /// The message's bytes.
    /// - Parameters:
    ///   - message: The message.
    ///   - messageID: The `Message-ID` (without angle brackets).
    ///   - date: When it is sent, in seconds since 1970.
    public static func render(_ message: EmailMessage, messageID: String, date: Int) -> [UInt8] {
        var lines: [String] = [
            "From: \(address(message.from))",
            "To: \(message.to.map(address).joined(separator: ", "))",
            "Subject: \(encodedWords(message.subject))",
            "Date: \(rfc5322Date(date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
        ]
        for (name, value) in message.headers.sorted(by: { $0.key < $1.key }) {
            lines.append("\(name): \(encodedWords(value))")
        }
        var body: [String] = []
        let alternative = textParts(message)
        if message.attachments.isEmpty {
            lines += alternative.headers
            body = alternative.body
        } else {
            let boundary = newBoundary()
            lines.append("Content-Type: multipart/mixed; boundary=\"\(boundary)\"")
            body.append("This is a multi-part message in MIME format.")
            body.append("--\(boundary)")
            body += alternative.headers + [""] + alternative.body
            for attachment in message.attachments {
                body.append("--\(boundary)")
                let name = encodedWords(attachment.filename)
                body.append("Content-Type: \(attachment.contentType); name=\"\(name)\"")
                body.append("Content-Disposition: attachment; filename=\"\(name)\"")
                body.append("Content-Transfer-Encoding: base64")
                body.append("")
                body += base64Lines(attachment.data)
            }
            body.append("--\(boundary)--")
        }
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n" + body.joined(separator: "\r\n") + "\r\n").utf8)
    }

    private static func textParts(_ message: EmailMessage) -> (headers: [String], body: [String]) {
        let plain = [
            "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: base64",
        ]
        guard let html = message.html else {
            return (plain, base64Lines(Array(message.text.utf8)))
        }
        let boundary = newBoundary()
        var body = ["--\(boundary)"] + plain + [""] + base64Lines(Array(message.text.utf8))
        body += ["--\(boundary)", "Content-Type: text/html; charset=UTF-8", "Content-Transfer-Encoding: base64", ""]
        body += base64Lines(Array(html.markup.utf8))
        body.append("--\(boundary)--")
        return (["Content-Type: multipart/alternative; boundary=\"\(boundary)\""], body)
    }

    /// `Name <address>` with the name encoded when it is not ASCII.
    static func address(_ text: String) -> String {
        guard let open = text.lastIndex(of: "<") else { return text }
        let name = text[..<open].trimmingCharacters(" \"")
        guard !name.isEmpty else { return String(text[open...]) }
        let shown = name.allSatisfy(\.isASCII) ? "\"\(name)\"" : encodedWords(name)
        return "\(shown) \(text[open...])"
    }

    /// Text as it may stand in a header: itself when ASCII, else RFC 2047 `=?UTF-8?B?…?=` words, folded.
    public static func encodedWords(_ text: String) -> String {
        guard !text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 }) else { return text }
        // At most 45 bytes a word keeps each within 76 characters; words never split a character.
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?\(base64(chunk))?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(base64(chunk))?=") }
        return words.joined(separator: "\r\n ")
    }

    /// Base64 in lines of 76 characters.
    static func base64Lines(_ bytes: [UInt8]) -> [String] {
        let encoded = Array(base64(bytes))
        return stride(from: 0, to: encoded.count, by: 76).map { String(encoded[$0..<min($0 + 76, encoded.count)]) }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    /// Standard base64 with padding.
    public static func base64(_ bytes: [UInt8]) -> String {
        var result = ""
        result.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let a = Int(bytes[index])
            let b = index + 1 < bytes.count ? Int(bytes[index + 1]) : 0
            let c = index + 2 < bytes.count ? Int(bytes[index + 2]) : 0
            result.append(alphabet[a >> 2])
            result.append(alphabet[(a & 3) << 4 | b >> 4])
            result.append(index + 1 < bytes.count ? alphabet[(b & 15) << 2 | c >> 6] : "=")
            result.append(index + 2 < bytes.count ? alphabet[c & 63] : "=")
            index += 3
        }
        return result
    }

    private static func newBoundary() -> String {
        var random = SystemRandomNumberGenerator()
        return "=_bandcamp-tracker_" + String(UInt64.random(in: 0...UInt64.max, using: &random), radix: 36)
    }

    /// `Sat, 21 Nov 2026 21:58:00 +0000`.
    static func rfc5322Date(_ seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(parts.tm_mday) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) +0000"
    }
}

extension StringProtocol {
    func trimmingCharacters(_ characters: String) -> String {
        let set = Set(characters)
        return String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
