/// What differs between the AWS services we call: names, endpoint, signing rules.
public struct AWSService: Sendable, Equatable {
    /// The name used in errors and logs, e.g. `S3`.
    public var name: String
    /// The SigV4 signing name, e.g. `s3`, `ses`.
    public var signingName: String
    /// The first label of the regional endpoint, e.g. `email` for `email.eu-west-2.amazonaws.com`.
    public var endpointPrefix: String
    /// The suffix of the per-service endpoint variable, as the AWS SDKs spell it (`AWS_ENDPOINT_URL_S3`).
    public var environmentKey: String
    /// The signing rules.
    public var signingOptions: SigV4Signer.Options
    /// Whether the service has one global endpoint (IAM), signed for us-east-1.
    public var isGlobal: Bool = false

    /// Amazon S3.
    public static let s3 = AWSService(
        name: "S3", signingName: "s3", endpointPrefix: "s3", environmentKey: "S3", signingOptions: .s3)
    /// Amazon SES, API v2.
    public static let sesv2 = AWSService(
        name: "SES", signingName: "ses", endpointPrefix: "email", environmentKey: "SESV2", signingOptions: .standard)
    /// Amazon SNS.
    public static let sns = AWSService(
        name: "SNS", signingName: "sns", endpointPrefix: "sns", environmentKey: "SNS", signingOptions: .standard)
    /// AWS Secrets Manager.
    public static let secretsManager = AWSService(
        name: "SecretsManager", signingName: "secretsmanager", endpointPrefix: "secretsmanager",
        environmentKey: "SECRETS_MANAGER", signingOptions: .standard)
    /// AWS IAM (used by tests to make users in moto).
    public static let iam = AWSService(
        name: "IAM", signingName: "iam", endpointPrefix: "iam", environmentKey: "IAM", signingOptions: .standard,
        isGlobal: true)
}

/// Where and as whom to call AWS: credentials, region and endpoint overrides, from the environment.
public struct AWSConfiguration: Sendable {
    /// The credentials.
    public var credentials: AWSCredentials
    /// The region, `AWS_REGION` (or `AWS_DEFAULT_REGION`).
    public var region: String
    /// Endpoint overrides: `AWS_ENDPOINT_URL` for every service, `AWS_ENDPOINT_URL_<SERVICE>` for one.
    public var endpointOverrides: [String: String]

    /// A configuration.
    public init(credentials: AWSCredentials, region: String, endpointOverrides: [String: String] = [:]) {
        self.credentials = credentials
        self.region = region
        self.endpointOverrides = endpointOverrides
    }

    /// The configuration the environment gives, as the AWS SDKs read it.
    /// - Throws: `AWSConfigurationError` naming what is missing.
    public init(environment: [String: String]) throws {
        let credentials = try AWSCredentials(environment: environment)
        guard let region = environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"], !region.isEmpty else {
            throw AWSConfigurationError("AWS_REGION is not set: no AWS region")
        }
        var overrides: [String: String] = [:]
        for (key, value) in environment where key.hasPrefix("AWS_ENDPOINT_URL") && !value.isEmpty {
            guard value.hasPrefix("http://") || value.hasPrefix("https://") else {
                throw AWSConfigurationError("\(key) must be an http:// or https:// URL")
            }
            overrides[key] = String(value.reversed().drop { $0 == "/" }.reversed())
        }
        self.init(credentials: credentials, region: region, endpointOverrides: overrides)
    }

    /// The base URL (scheme and authority) for a service, and whether it is an override (a local peer).
    public func endpoint(for service: AWSService) -> (url: String, isOverride: Bool) {
        if let url = endpointOverrides["AWS_ENDPOINT_URL_\(service.environmentKey)"]
            ?? endpointOverrides["AWS_ENDPOINT_URL"]
        {
            return (url, true)
        }
        if service.isGlobal { return ("https://\(service.endpointPrefix).amazonaws.com", false) }
        return ("https://\(service.endpointPrefix).\(region).amazonaws.com", false)
    }

    /// The region a service is signed for.
    public func signingRegion(for service: AWSService) -> String {
        service.isGlobal ? "us-east-1" : region
    }
}
