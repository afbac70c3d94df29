import AWS
import Configuration
import Synchronization
import Tracker

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The adapters the settings name: AWS's where they say S3, SES or SNS, the local ones otherwise. An AWS client
/// is made only when one of them needs it, so a laptop run needs no AWS credentials.
public struct AdapterFactory: Sendable {
    private let shared: SharedClient

    /// A factory.
    /// - Parameters:
    ///   - environment: The process environment (credentials, region, endpoint overrides).
    ///   - makeAWSClient: How to make the AWS client, when needed (tests give their own).
    public init(environment: [String: String], makeAWSClient: (@Sendable () throws -> AWSClient)? = nil) {
        shared = SharedClient(
            make: makeAWSClient ?? { AWSClient(configuration: try AWSConfiguration(environment: environment)) })
    }

    private func awsClient() throws -> AWSClient {
        try shared.get()
    }

    /// The object store at a location.
    /// - Throws: `AWSConfigurationError` when it is S3 and AWS is not configured.
    public func objectStore(_ location: ObjectStoreLocation) throws -> any ObjectStore {
        switch location {
        case .folder(let path): FolderObjectStore(root: path)
        case .s3(let bucket, let prefix): S3ObjectStore(bucket: bucket, prefix: prefix, client: try awsClient())
        }
    }

    /// The mailer a target names.
    public func mailer(_ target: MailerTarget) throws -> any Mailer {
        switch target {
        case .outbox(let path): OutboxMailer(folder: path)
        case .ses: SESMailer(client: try awsClient())
        }
    }

    /// The notifier a target names.
    public func notifier(_ target: NotifierTarget) throws -> any Notifier {
        switch target {
        case .outbox(let path): OutboxNotifier(folder: path)
        case .sns(let topicARN): SNSNotifier(topicARN: topicARN, client: try awsClient())
        }
    }
}

extension AdapterFactory {
    /// How the database password is found: from the Secrets Manager secret the settings name (RDS's managed
    /// master secret: JSON with a `password`, or a plain string), or none (a local cluster, trust or .pgpass).
    /// Read each time it is called, so a rotated password is picked up on the next connection.
    public func databasePassword(secretID: String?) -> @Sendable () async throws -> String? {
        guard let secretID else { return { nil } }
        let shared = self.shared
        return {
            let value = try await SecretsManagerClient(client: try shared.get()).getSecretString(secretID)
            return Self.password(fromSecret: value)
        }
    }

    /// A Secrets Manager secret's string (e.g. the dashboard's credentials), read now.
    public func secretString(_ secretID: String) async throws -> String {
        try await SecretsManagerClient(client: try awsClient()).getSecretString(secretID)
    }

    /// The password in a secret's string: RDS's `{"username": …, "password": …}`, or the string itself.
    static func password(fromSecret value: String) -> String {
        struct RDSSecret: Decodable { var password: String }
        if let secret = try? JSONDecoder().decode(RDSSecret.self, from: Data(value.utf8)) { return secret.password }
        return value
    }
}

/// One AWS client for every adapter, made on first need (its connections are shared and reused).
private final class SharedClient: Sendable {
    private let make: @Sendable () throws -> AWSClient
    private let client = Mutex<AWSClient?>(nil)

    init(make: @escaping @Sendable () throws -> AWSClient) {
        self.make = make
    }

    func get() throws -> AWSClient {
        try client.withLock { current in
            if let current { return current }
            let made = try make()
            current = made
            return made
        }
    }
}
