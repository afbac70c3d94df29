import HTTPClient
import Markup

/// An error answer from an AWS service, or a failure to reach it.
///
/// It names the service, the operation and the resource, with AWS's own code and message; it never carries
/// credentials, signatures or request bodies.
public struct AWSError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure, for callers to switch on.
    public enum Code: Sendable, Equatable {
        case noSuchKey
        case noSuchBucket
        case notFound
        case accessDenied
        case signatureDoesNotMatch
        case invalidAccessKeyID
        case expiredToken
        case throttling
        case messageRejected
        case invalidParameter
        case serviceUnavailable
        case internalError
        /// The service's response could not be read.
        case malformedResponse
        /// The service could not be reached (connection, timeout); see `transport`.
        case unreachable
        /// Any other code the service sent.
        case other(String)
    }

    /// The kind of failure.
    public var code: Code
    /// The code as the service wrote it (e.g. `NoSuchKey`, `ThrottlingException`).
    public var serviceCode: String
    /// The HTTP status, when there was a response.
    public var status: Int?
    /// The service, e.g. `S3`.
    public var service: String
    /// The operation, e.g. `GetObject`.
    public var operation: String
    /// What was acted on, e.g. `s3://bucket/key`.
    public var resource: String
    /// The service's message.
    public var message: String
    /// The request id, for AWS support.
    public var requestID: String?
    /// The transport failure behind an `.unreachable` error.
    public var transport: HTTPClientError?

    /// An error.
    public init(
        code: Code, serviceCode: String, status: Int?, service: String, operation: String, resource: String,
        message: String, requestID: String? = nil, transport: HTTPClientError? = nil
    ) {
        self.code = code
        self.serviceCode = serviceCode
        self.status = status
        self.service = service
        self.operation = operation
        self.resource = resource
        self.message = message
        self.requestID = requestID
        self.transport = transport
    }

    /// Whether trying again may help: 5xx, throttling, or an unreachable service.
    public var isRetryable: Bool {
        switch code {
        case .throttling, .serviceUnavailable, .internalError: return true
        case .unreachable: return transport?.isTransient ?? false
        default: return (status ?? 0) >= 500 || status == 429
        }
    }

    public var description: String {
        var text = "\(service) \(operation) \(resource) failed: \(serviceCode)"
        if let status { text += " (HTTP \(status))" }
        if !message.isEmpty { text += ": \(message)" }
        if let requestID { text += " [request id \(requestID)]" }
        return text
    }

    /// The code for a service's error code.
    static func code(for serviceCode: String, status: Int) -> Code {
        switch serviceCode {
        case "NoSuchKey": .noSuchKey
        case "NoSuchBucket": .noSuchBucket
        case "NotFound", "ResourceNotFoundException", "NotFoundException": .notFound
        case "AccessDenied", "AccessDeniedException", "AuthorizationError": .accessDenied
        case "SignatureDoesNotMatch", "InvalidSignatureException": .signatureDoesNotMatch
        case "InvalidAccessKeyId", "InvalidClientTokenId", "UnrecognizedClientException": .invalidAccessKeyID
        case "ExpiredToken", "ExpiredTokenException", "RequestExpired": .expiredToken
        case "Throttling", "ThrottlingException", "ThrottledException", "SlowDown", "RequestLimitExceeded",
            "TooManyRequestsException", "RequestThrottled", "RequestThrottledException",
            "ProvisionedThroughputExceededException", "LimitExceededException":
            .throttling
        case "MessageRejected": .messageRejected
        case "InvalidParameter", "InvalidParameterValue", "InvalidParameterException", "BadRequestException",
            "InvalidRequestException", "ValidationException", "ValidationError":
            .invalidParameter
        case "ServiceUnavailable", "ServiceUnavailableException", "503": .serviceUnavailable
        case "InternalError", "InternalFailure", "InternalServiceError", "InternalServerError": .internalError
        default:
            switch status {
            case 404: .notFound
            case 403: .accessDenied
            case 429: .throttling
            case 503: .serviceUnavailable
            case 500...: .internalError
            default: .other(serviceCode)
            }
        }
    }

    /// The error in a service's response: XML (`<Error>` of S3, `<ErrorResponse>` of query services) or JSON
    /// (`__type` and `message`, or `x-amzn-ErrorType`).
    static func parse(
        _ response: HTTPResponse, service: String, operation: String, resource: String
    ) -> AWSError {
        var serviceCode = ""
        var message = ""
        var requestID = response.headers["x-amzn-RequestId"] ?? response.headers["x-amz-request-id"]
        let body = response.body
        let first = body.first {
            ![UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t")].contains($0)
        }
        if first == UInt8(ascii: "<"), let root = try? XMLElement.parse(body) {
            let error = root.first("Error") ?? root
            serviceCode = error["Code"] ?? ""
            message = error["Message"] ?? ""
            requestID = requestID ?? root["RequestId"] ?? error["RequestId"]
        } else if first == UInt8(ascii: "{"), let object = try? JSONValue.parse(body) {
            serviceCode = object["__type"]?.string ?? object["code"]?.string ?? object["Code"]?.string ?? ""
            message = object["message"]?.string ?? object["Message"]?.string ?? ""
        }
        if let header = response.headers["x-amzn-ErrorType"], serviceCode.isEmpty {
            serviceCode = header
        }
        // "aws.protocols#ResourceNotFoundException" and "ResourceNotFoundException:http://…" both name one code.
        serviceCode = String(serviceCode.split(separator: "#").last ?? "")
        serviceCode = String(serviceCode.split(separator: ":").first ?? "")
        if serviceCode.isEmpty {
            serviceCode = response.status == 404 ? "NotFound" : "HTTP\(response.status)"
        }
        return AWSError(
            code: code(for: serviceCode, status: response.status), serviceCode: serviceCode,
            status: response.status, service: service, operation: operation, resource: resource,
            message: message, requestID: requestID)
    }
}
