import HTTPClient
import Logging
import Markup

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The time by which work must be done: the invocation's deadline less a margin. Retries stop before it.
public enum AWSDeadline {
    /// The deadline for the AWS calls made in this task, if any.
    @TaskLocal public static var current: ContinuousClock.Instant?

    /// Runs an invocation's work with its AWS calls bounded by the invocation's `deadline`, less two seconds
    /// left to answer in.
    public static func within<T: Sendable>(
        _ deadline: ContinuousClock.Instant, _ body: () async throws -> T
    ) async throws -> T {
        try await $current.withValue(deadline - .seconds(2), operation: body)
    }
}

/// One call to an AWS service before signing.
public struct AWSRequest: Sendable {
    /// The method.
    public var method: String
    /// The path as sent (already percent-encoded), starting with `/`.
    public var path: String
    /// Query parameters, not yet encoded.
    public var query: [(String, String)]
    /// Header fields (Host and the signature's are added).
    public var headers: [(String, String)]
    /// The body.
    public var body: [UInt8]
    /// The base URL (scheme and authority) when not the service's endpoint (S3's virtual hosts).
    public var baseURL: String?

    /// A request.
    public init(
        method: String, path: String = "/", query: [(String, String)] = [], headers: [(String, String)] = [],
        body: [UInt8] = [], baseURL: String? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.baseURL = baseURL
    }
}

/// Signs, sends and retries calls to AWS over libcurl, and turns error answers into `AWSError`s.
public final class AWSClient: Sendable {
    /// Credentials, region, endpoints.
    public let configuration: AWSConfiguration
    /// The retry policy.
    public let retryPolicy: RetryPolicy
    private let http: HTTPClient
    private let logger: Logger

    /// A client.
    public init(
        configuration: AWSConfiguration, http: HTTPClient = HTTPClient(), retryPolicy: RetryPolicy = RetryPolicy(),
        logger: Logger = Logger(label: "aws")
    ) {
        self.configuration = configuration
        self.http = http
        self.retryPolicy = retryPolicy
        self.logger = logger
    }

    /// Sends a call and returns its successful (2xx) response.
    /// - Parameters:
    ///   - request: The call.
    ///   - service: The service.
    ///   - operation: The operation's name, for errors and logs.
    ///   - resource: What is acted on, for errors and logs.
    /// - Throws: `AWSError`, after retries where they may help.
    public func send(_ request: AWSRequest, service: AWSService, operation: String, resource: String) async throws
        -> HTTPResponse
    {
        let deadline = AWSDeadline.current
        let outcome: RetryOutcome<HTTPResponse, AWSError> = try await retryPolicy.run(
            deadline: deadline, leastTime: .milliseconds(50), room: .milliseconds(100)
        ) { _, timeout in
            let error: AWSError
            do {
                let response = try await http.execute(signed(request, service: service, timeout: timeout))
                if response.isSuccess { return .done(response) }
                error = AWSError.parse(response, service: service.name, operation: operation, resource: resource)
            } catch let failure as HTTPClientError {
                if failure.code == .cancelled { throw CancellationError() }
                error = AWSError(
                    code: .unreachable, serviceCode: failure.code == .timedOut ? "Timeout" : "Unreachable",
                    status: nil, service: service.name, operation: operation, resource: resource,
                    message: failure.description, transport: failure)
            }
            guard error.isRetryable else { throw error }
            return .retry(error)
        } onRetry: { error, attempt, delay in
            logger.warning(
                "retrying after \(error.serviceCode)",
                metadata: ["operation": "\(service.name) \(operation)", "attempt": "\(attempt)", "delay": "\(delay)"])
        }
        return try outcome.value { error, _ in
            error
                ?? AWSError(
                    code: .unreachable, serviceCode: "DeadlineExceeded", status: nil, service: service.name,
                    operation: operation, resource: resource,
                    message: "no time was left before the invocation's deadline")
        }
    }

    /// The request signed for now, as the HTTP client sends it.
    func signed(_ request: AWSRequest, service: AWSService, timeout: Duration) -> HTTPRequest {
        var (base, signable, signer) = prepare(request, service: service, headers: request.headers, body: request.body)
        signer.signHeaders(&signable, date: .now(), options: service.signingOptions)
        let url = base + signable.path + (signable.query.isEmpty ? "" : "?" + signable.query)
        return HTTPRequest(
            method: request.method, url: url, headers: HTTPHeaders(signable.headers.map { ($0.name, $0.value) }),
            body: request.method == "GET" || request.method == "HEAD"
                || request.method == "DELETE" && request.body.isEmpty
                ? nil : request.body,
            timeout: timeout)
    }

    /// A presigned URL for a request (S3 GETs).
    public func presignedURL(_ request: AWSRequest, service: AWSService, expires: Int) -> String {
        var (base, signable, signer) = prepare(request, service: service, headers: [], body: [])
        var options = service.signingOptions
        options.payload = .unsigned
        signer.presign(&signable, date: .now(), expires: expires, options: options)
        return base + signable.path + "?" + signable.query
    }

    /// The base URL, the request as the signer sees it (with its Host), and the signer for the service.
    private func prepare(_ request: AWSRequest, service: AWSService, headers: [(String, String)], body: [UInt8])
        -> (String, SignableRequest, SigV4Signer)
    {
        let base = request.baseURL ?? configuration.endpoint(for: service).url
        let authority = String(base.drop { $0 != "/" }.dropFirst(2).prefix { $0 != "/" })
        let signable = SignableRequest(
            method: request.method, path: request.path, query: Self.formEncoded(request.query),
            headers: [(name: "Host", value: authority)] + headers.map { (name: $0.0, value: $0.1) }, body: body)
        let signer = SigV4Signer(
            credentials: configuration.credentials, region: configuration.signingRegion(for: service),
            service: service.signingName)
        return (base, signable, signer)
    }

    /// `name=value&…` with AWS's encoding: a query string, or a form body.
    static func formEncoded(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(SigV4Signer.uriEncode($0.0))=\(SigV4Signer.uriEncode($0.1))" }.joined(separator: "&")
    }

    /// A call in the query protocol (SNS, IAM): a form-encoded POST of `Action`, `Version` and parameters,
    /// answered in XML.
    /// - Returns: The response's root element.
    public func query(
        service: AWSService, action: String, version: String, parameters: [(String, String)], resource: String
    ) async throws -> XMLElement {
        let form = Self.formEncoded([("Action", action), ("Version", version)] + parameters)
        let response = try await send(
            AWSRequest(
                method: "POST", headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                body: Array(form.utf8)),
            service: service, operation: action, resource: resource)
        do {
            return try XMLElement.parse(response.body)
        } catch {
            throw AWSError(
                code: .malformedResponse, serviceCode: "MalformedResponse", status: response.status,
                service: service.name, operation: action, resource: resource, message: "\(error)")
        }
    }

    /// A call in the JSON 1.1 protocol (Secrets Manager): a POST with `X-Amz-Target`, answered in JSON.
    public func json<Output: Decodable>(
        service: AWSService, target: String, body: some Encodable, resource: String, as output: Output.Type
    ) async throws -> Output {
        let operation = String(target.split(separator: ".").last ?? "")
        let response = try await send(
            AWSRequest(
                method: "POST",
                headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", target)],
                body: Array(try AWSJSON.encoder().encode(body))),
            service: service, operation: operation, resource: resource)
        return try decode(output, from: response, service: service, operation: operation, resource: resource)
    }

    /// A JSON body decoded, or an `AWSError` `.malformedResponse` that says why not.
    func decode<Output: Decodable>(
        _ type: Output.Type, from response: HTTPResponse, service: AWSService, operation: String, resource: String
    ) throws -> Output {
        do {
            return try AWSJSON.decoder().decode(type, from: Data(response.body))
        } catch {
            throw AWSError(
                code: .malformedResponse, serviceCode: "MalformedResponse", status: response.status,
                service: service.name, operation: operation, resource: resource,
                message: "the response is not the JSON expected: \(error)")
        }
    }
}
