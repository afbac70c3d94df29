import AWS
import Foundation

/// Resources the tests create in moto with calls our product never makes (buckets, topics, identities,
/// secrets, IAM users): signed and sent through the same client, so they exercise it too.
extension AWSClient {
    /// Creates a bucket in the client's region.
    public func createBucket(_ name: String) async throws {
        let region = configuration.region
        let body =
            "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            + "<LocationConstraint>\(region)</LocationConstraint></CreateBucketConfiguration>"
        try await Self.creating(already: "BucketAlreadyOwnedByYou") {
            _ = try await send(
                AWSRequest(method: "PUT", path: "/\(name)", body: Array(body.utf8)), service: .s3,
                operation: "CreateBucket", resource: "s3://\(name)")
        }
    }

    /// Runs a create; its `already` error means a retry of a create that succeeded (the first answer came too late
    /// on a busy machine, and the client sent it again): what it made is there, and the test's.
    private static func creating(already: String, _ create: () async throws -> Void) async throws {
        do {
            try await create()
        } catch let error as AWSError where error.serviceCode == already {
        }
    }

    /// Verifies a sender address in SES.
    public func verifyEmailIdentity(_ address: String) async throws {
        try await Self.creating(already: "AlreadyExistsException") {
            _ = try await send(
                AWSRequest(
                    method: "POST", path: "/v2/email/identities", headers: [("Content-Type", "application/json")],
                    body: Array(#"{"EmailIdentity":"\#(address)"}"#.utf8)),
                service: .sesv2, operation: "CreateEmailIdentity", resource: address)
        }
    }

    /// Creates an SNS topic and returns its ARN.
    public func createTopic(_ name: String) async throws -> String {
        let root = try await query(
            service: .sns, action: "CreateTopic", version: "2010-03-31", parameters: [("Name", name)], resource: name)
        return root.first("TopicArn")?.text ?? ""
    }

    /// Creates a secret.
    public func createSecret(name: String, value: String) async throws {
        struct Request: Encodable {
            var name: String
            var secretString: String
        }
        struct Reply: Decodable { var name: String }
        try await Self.creating(already: "ResourceExistsException") {
            _ = try await json(
                service: .secretsManager, target: "secretsmanager.CreateSecret",
                body: Request(name: name, secretString: value), resource: name, as: Reply.self)
        }
    }

    /// Creates an IAM user allowed to do anything, and returns its access key and secret.
    public func createAdministrator(_ name: String) async throws -> (String, String) {
        try await Self.creating(already: "EntityAlreadyExists") {
            _ = try await query(
                service: .iam, action: "CreateUser", version: "2010-05-08", parameters: [("UserName", name)],
                resource: name)
        }
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
        _ = try await query(
            service: .iam, action: "PutUserPolicy", version: "2010-05-08",
            parameters: [("UserName", name), ("PolicyName", "everything"), ("PolicyDocument", policy)],
            resource: name)
        let key = try await query(
            service: .iam, action: "CreateAccessKey", version: "2010-05-08", parameters: [("UserName", name)],
            resource: name)
        return (key.first("AccessKeyId")?.text ?? "", key.first("SecretAccessKey")?.text ?? "")
    }
}
