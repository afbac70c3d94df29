import AWS
import Foundation
import HTTPClient

/// A moto_server (an AWS API server from PyPI) on 127.0.0.1, started by the tests that need it.
///
/// It runs as a child of the test process and watches it: when the test process is gone, however it ended,
/// moto ends too. (Not PR_SET_PDEATHSIG: that fires when the spawning *thread* ends, and Foundation spawns
/// from a libdispatch worker that may end at any time.) Its output goes to a log file, never to the test's
/// pipes, and it starts with no signal blocked (libdispatch's threads block them, and children inherit that).
public final class MotoServer: Sendable {
    /// `http://127.0.0.1:PORT`.
    public let endpoint: String
    /// The log file.
    public let logPath: String
    private let process: Process

    private init(endpoint: String, logPath: String, process: Process) {
        self.endpoint = endpoint
        self.logPath = logPath
        self.process = process
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// The server this test process shares (auth off).
    public static func shared() async throws -> MotoServer {
        try await SharedMoto.instance.get()
    }

    /// A server of its own, for tests that change its global state (auth).
    public static func launch() async throws -> MotoServer {
        // The port was free when chosen; another server of this test process may take it while Python starts.
        for attempt in 1... {
            do {
                return try await launch(port: try freePort())
            } catch let error as MotoError where error.description.contains("Address already in use") && attempt < 4 {
                continue
            }
        }
        fatalError("unreachable")
    }

    private static func launch(port: Int) async throws -> MotoServer {
        let log = NSTemporaryDirectory() + "moto-\(port).log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let script = """
            import os, signal, sys, threading, time
            signal.pthread_sigmask(signal.SIG_SETMASK, [])
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            parent = os.getppid()
            def watch():
                while os.getppid() == parent:
                    time.sleep(0.5)
                os._exit(0)
            threading.Thread(target=watch, daemon=True).start()
            from moto.server import main
            main(["-H", "127.0.0.1", "-p", sys.argv[1]])
            """
        process.arguments = ["python3", "-c", script, String(port)]
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let server = MotoServer(endpoint: "http://127.0.0.1:\(port)", logPath: log, process: process)
        let http = HTTPClient()
        for _ in 0..<300 {
            if let response = try? await http.execute(
                HTTPRequest(url: "\(server.endpoint)/moto-api/data.json", timeout: .seconds(2))),
                response.status == 200
            {
                await server.warmUp()
                return server
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        throw MotoError(
            "moto_server did not start on port \(port) (is it installed? pip install 'moto[server]'): \(output)")
    }

    /// One call to each service the tests use, one at a time, answered or refused (no bucket, sender, topic or
    /// secret is there): moto loads a service's models on its first call, and when the tests' first calls all came
    /// at once on two busy cores it answered none of them for 30 s and more.
    private func warmUp() async {
        let client = AWSClient(
            configuration: configuration(), retryPolicy: RetryPolicy(maximumAttempts: 1, attemptTimeout: .seconds(120)))
        _ = try? await S3Client(client: client).headObject(bucket: "warm-up", key: "warm-up")
        _ = try? await SESClient(client: client).sendEmail(
            from: "warm-up@unverified.example", to: ["warm-up@example.org"], subject: "warm-up", text: "warm-up")
        _ = try? await SNSClient(client: client).publish(
            topicARN: "arn:aws:sns:eu-west-2:123456789012:warm-up", message: "warm-up")
        _ = try? await SecretsManagerClient(client: client).getSecretString("warm-up")
    }

    /// A configuration that reaches this server with moto's default test credentials.
    public func configuration(
        accessKeyID: String = "testing", secretAccessKey: String = "testing", region: String = "eu-west-2"
    ) -> AWSConfiguration {
        AWSConfiguration(
            credentials: AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey),
            region: region, endpointOverrides: ["AWS_ENDPOINT_URL": endpoint])
    }

    /// A client for this server, with quick retries.
    public func client(accessKeyID: String = "testing", secretAccessKey: String = "testing") -> AWSClient {
        AWSClient(
            configuration: configuration(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey),
            retryPolicy: RetryPolicy(maximumAttempts: 2, baseDelay: .milliseconds(10)))
    }

    /// What moto holds, as `/moto-api/data.json` gives it. moto walks its models unguarded to write it, so a
    /// request from a test running alongside can make it fail with a 500: it is asked again.
    public func data() async throws -> [String: Any] {
        var attempt = 0
        while true {
            attempt += 1
            // Writing every model out holds moto's interpreter for seconds while the whole suite runs on two cores.
            let response = try await HTTPClient().execute(
                HTTPRequest(url: "\(endpoint)/moto-api/data.json", timeout: .seconds(120)))
            if response.status == 200,
                let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
            {
                return object
            }
            guard attempt < 10 else {
                throw MotoError("moto-api/data.json answered \(response.status) ten times; see \(logPath)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Switches moto's signature and permission checking on for every request from now.
    public func enableAuthentication() async throws {
        let response = try await HTTPClient().execute(
            HTTPRequest(
                method: "POST", url: "\(endpoint)/moto-api/reset-auth", headers: ["Content-Type": "text/plain"],
                body: Array("0".utf8)))
        guard response.isSuccess else {
            throw MotoError("reset-auth answered \(response.status): \(String(decoding: response.body, as: UTF8.self))")
        }
    }

    /// A port on 127.0.0.1 that was free a moment ago and has no listener now.
    public static func freePort() throws -> Int {
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(probe) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let status = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(probe, $0, length) == 0 ? getsockname(probe, $0, &length) : -1
            }
        }
        guard status == 0 else { throw MotoError("no free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// The one shared server, started on first use.
private actor SharedMoto {
    static let instance = SharedMoto()
    private var server: Task<MotoServer, any Error>?

    func get() async throws -> MotoServer {
        if let server { return try await server.value }
        let task = Task { try await MotoServer.launch() }
        server = task
        return try await task.value
    }
}

/// moto could not be used.
public struct MotoError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
