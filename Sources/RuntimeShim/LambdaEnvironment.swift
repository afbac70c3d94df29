#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What Lambda tells a function about itself through the environment.
public struct LambdaEnvironment: Sendable {
    /// `host:port` of the Runtime API (`AWS_LAMBDA_RUNTIME_API`); `nil` when not running on Lambda.
    public var runtimeAPI: String?
    /// `AWS_LAMBDA_FUNCTION_NAME`.
    public var functionName: String
    /// `AWS_LAMBDA_FUNCTION_VERSION`.
    public var functionVersion: String
    /// `AWS_LAMBDA_FUNCTION_MEMORY_SIZE`, in MB.
    public var memoryLimitInMB: Int?
    /// `AWS_LAMBDA_LOG_GROUP_NAME`.
    public var logGroupName: String
    /// `AWS_LAMBDA_LOG_STREAM_NAME`.
    public var logStreamName: String
    /// `AWS_REGION`.
    public var region: String?
    /// `AWS_LAMBDA_INITIALIZATION_TYPE` (`on-demand`, `provisioned-concurrency`, `snap-start`).
    public var initializationType: String?
    /// `AWS_LAMBDA_LOG_FORMAT`: `Text` (default) or `JSON`.
    public var logFormat: LambdaLogFormat
    /// `AWS_LAMBDA_LOG_LEVEL`, when set.
    public var logLevel: String?
    /// The whole environment, for the function's own settings.
    public var variables: [String: String]

    /// The environment read from a dictionary of variables.
    /// - Parameters:
    ///   - variables: The variables, e.g. `LambdaEnvironment.processVariables()`.
    ///   - defaultFunctionName: The name to use when `AWS_LAMBDA_FUNCTION_NAME` is unset (local runs).
    public init(_ variables: [String: String], defaultFunctionName: String = "function") {
        self.variables = variables
        runtimeAPI = variables["AWS_LAMBDA_RUNTIME_API"].flatMap { $0.isEmpty ? nil : $0 }
        functionName = variables["AWS_LAMBDA_FUNCTION_NAME"] ?? defaultFunctionName
        functionVersion = variables["AWS_LAMBDA_FUNCTION_VERSION"] ?? "$LATEST"
        memoryLimitInMB = variables["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"].flatMap { Int($0) }
        logGroupName = variables["AWS_LAMBDA_LOG_GROUP_NAME"] ?? "/aws/lambda/\(functionName)"
        logStreamName = variables["AWS_LAMBDA_LOG_STREAM_NAME"] ?? "local"
        region = variables["AWS_REGION"] ?? variables["AWS_DEFAULT_REGION"]
        initializationType = variables["AWS_LAMBDA_INITIALIZATION_TYPE"]
        logFormat = variables["AWS_LAMBDA_LOG_FORMAT"]?.uppercased() == "JSON" ? .json : .text
        logLevel = variables["AWS_LAMBDA_LOG_LEVEL"]
    }

    /// Whether the process runs under a Runtime API (on Lambda or an emulator), not a local invocation.
    public var isRuntimeAPIMode: Bool { runtimeAPI != nil }

    /// The process's working directory (on Lambda, the function's task root).
    public var workingDirectory: String {
        guard let path = getcwd(nil, 0) else { return "/tmp" }
        defer { free(path) }
        return String(cString: path)
    }

    /// The variables of this process.
    public static func processVariables() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}
