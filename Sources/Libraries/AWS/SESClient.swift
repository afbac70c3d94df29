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
        var body = SendEmailRequest.Body(text: .init(data: text, charset: "UTF-8"))
        if let html { body.html = .init(data: html, charset: "UTF-8") }
        let request = SendEmailRequest(
            fromEmailAddress: from, destination: .init(toAddresses: to),
            content: .init(simple: .init(subject: .init(data: subject, charset: "UTF-8"), body: body), raw: nil))
        return try await send(request, to: to)
    }

    /// Sends a whole MIME message as written (with attachments, say).
    /// - Returns: SES's message id.
    @discardableResult
    public func sendRawEmail(from: String, to: [String], message: [UInt8]) async throws -> String {
        let request = SendEmailRequest(
            fromEmailAddress: from, destination: .init(toAddresses: to),
            content: .init(simple: nil, raw: .init(data: Data(message).base64EncodedString())))
        return try await send(request, to: to)
    }

    private func send(_ request: SendEmailRequest, to: [String]) async throws -> String {
        let resource = to.count == 1 ? to[0] : "\(to.count) recipients"
        let response = try await client.send(
            AWSRequest(
                method: "POST", path: "/v2/email/outbound-emails", headers: [("Content-Type", "application/json")],
                body: Array(try AWSJSON.encoder().encode(request))),
            service: .sesv2, operation: "SendEmail", resource: resource)
        struct Reply: Decodable { var messageId: String }
        return try client.decode(
            Reply.self, from: response, service: .sesv2, operation: "SendEmail", resource: resource
        )
        .messageId
    }
}

/// The request body of SendEmail (members written in PascalCase on the wire).
struct SendEmailRequest: Encodable {
    struct Destination: Encodable { var toAddresses: [String] }
    struct Text: Encodable {
        var data: String
        var charset: String
    }
    struct Body: Encodable {
        var text: Text
        var html: Text?
    }
    struct Simple: Encodable {
        var subject: Text
        var body: Body
    }
    struct Raw: Encodable { var data: String }
    struct Content: Encodable {
        var simple: Simple?
        var raw: Raw?
    }

    var fromEmailAddress: String
    var destination: Destination
    var content: Content
}
