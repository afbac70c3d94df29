/// AWS Secrets Manager: `GetSecretValue` (the database password that RDS manages).
public struct SecretsManagerClient: Sendable {
    private let client: AWSClient

    /// A client.
    public init(client: AWSClient) {
        self.client = client
    }

    /// A secret's string value.
    /// - Parameter secretID: The secret's ARN or name.
    /// - Throws: `AWSError` (`.notFound` when there is no such secret); the value never appears in an error.
    public func getSecretString(_ secretID: String) async throws -> String {
        struct Request: Encodable { var secretId: String }
        struct Reply: Decodable { var secretString: String? }
        let reply = try await client.json(
            service: .secretsManager, target: "secretsmanager.GetSecretValue", body: Request(secretId: secretID),
            resource: secretID, as: Reply.self)
        guard let value = reply.secretString else {
            throw AWSError(
                code: .malformedResponse, serviceCode: "NoSecretString", status: 200, service: "SecretsManager",
                operation: "GetSecretValue", resource: secretID, message: "the secret has no string value")
        }
        return value
    }
}
