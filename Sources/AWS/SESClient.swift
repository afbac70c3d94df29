#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Amazon SES (API v2): `SendEmail`, simple (subject, text, HTML) or raw MIME (attachments).
public struct SESClient: Sendable {
    private let client: AWSClient

    /// A client.
    public init(client: AWSClient) {
        self.client = client
    }

    /// Sends a simple email: SES builds the MIME message.
    /// - Returns: SES's message id.
    @discardableResult
    public func sendEmail(from: String, to: [String], subject: String, text: String, html: String? = nil)
        async throws -> String
    {
        var body = SendEmailRequest.Body(Text: .init(Data: text, Charset: "UTF-8"))
        if let html { body.Html = .init(Data: html, Charset: "UTF-8") }
        let request = SendEmailRequest(
            FromEmailAddress: from, Destination: .init(ToAddresses: to),
            Content: .init(
                Simple: .init(Subject: .init(Data: subject, Charset: "UTF-8"), Body: body), Raw: nil))
        return try await send(request, to: to)
    }

    /// Sends a whole MIME message as written (with attachments, say).
    /// - Returns: SES's message id.
    @discardableResult
    public func sendRawEmail(from: String, to: [String], message: [UInt8]) async throws -> String {
        let request = SendEmailRequest(
            FromEmailAddress: from, Destination: .init(ToAddresses: to),
            Content: .init(Simple: nil, Raw: .init(Data: Data(message).base64EncodedString())))
        return try await send(request, to: to)
    }

    private func send(_ request: SendEmailRequest, to: [String]) async throws -> String {
        let resource = to.count == 1 ? to[0] : "\(to.count) recipients"
        let response = try await client.send(
            AWSRequest(
                method: "POST", path: "/v2/email/outbound-emails", headers: [("Content-Type", "application/json")],
                body: Array(try JSONEncoder().encode(request))),
            service: .sesv2, operation: "SendEmail", resource: resource)
        struct Reply: Decodable { var MessageId: String }
        return try client.decode(
            Reply.self, from: response, service: .sesv2, operation: "SendEmail", resource: resource
        )
        .MessageId
    }
}

/// The request body of SendEmail, in the service's own field names.
struct SendEmailRequest: Encodable {
    struct Destination: Encodable { var ToAddresses: [String] }
    struct Text: Encodable {
        var Data: String
        var Charset: String
    }
    struct Body: Encodable {
        var Text: Text
        var Html: Text?
    }
    struct Simple: Encodable {
        var Subject: Text
        var Body: Body
    }
    struct Raw: Encodable { var Data: String }
    struct Content: Encodable {
        var Simple: Simple?
        var Raw: Raw?
    }

    var FromEmailAddress: String
    var Destination: Destination
    var Content: Content
}
