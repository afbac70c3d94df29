import LocalHTTPServer
import PercentEncoding
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A local implementation of the Lambda Runtime API (2018-06-01) and of the part of the Extensions API that a
/// runtime registering an internal extension uses, for tests, benchmarks and running a function on a laptop.
///
/// Events are queued with `enqueue`; the function takes them with `/next`; what it posts back is recorded and
/// can be awaited. Faults can be switched on: a status for `/next`, a status for the next posts.
public final class RuntimeAPIEmulator: Sendable {
    /// What the function posted for one invocation (or at start-up).
    public enum Outcome: Sendable, Equatable {
        /// `POST …/response`.
        case response(body: [UInt8])
        /// `POST …/error`, with the `Lambda-Runtime-Function-Error-Type` header and the JSON body.
        case error(type: String?, body: [UInt8])
    }

    /// One request the function made, as recorded.
    public struct Call: Sendable {
        /// The method.
        public var method: String
        /// The path.
        public var path: String
        /// The header fields.
        public var headers: [(name: String, value: String)]
        /// The body.
        public var body: [UInt8]
        /// When it arrived, on the monotonic clock (nanoseconds).
        public var arrivalNanoseconds: UInt64
    }

    /// An event waiting to be taken by `/next`.
    public struct PendingEvent: Sendable {
        /// The request id.
        public var requestID: String
        /// The event's bytes.
        public var payload: [UInt8]
        /// The response headers of `/next`; the request id, deadline and ARN are always among them.
        public var headers: [(String, String)]
    }

    private let server: LocalHTTPServer
    private let state: EmulatorState

    private init(server: LocalHTTPServer, state: EmulatorState) {
        self.server = server
        self.state = state
    }

    /// `host:port`, the value for `AWS_LAMBDA_RUNTIME_API`.
    public var endpoint: String { "\(server.host):\(server.port)" }

    /// Starts an emulator on 127.0.0.1 on a free port (or the given one).
    public static func start(port: Int = 0) async throws -> RuntimeAPIEmulator {
        let state = EmulatorState()
        let server = try await LocalHTTPServer.start(port: port) { request in
            await state.answer(request)
        }
        return RuntimeAPIEmulator(server: server, state: state)
    }

    /// Stops the server; a function waiting on `/next` sees its connection closed.
    public func shutdown() async {
        await state.close()
        await server.shutdown()
    }

    /// Queues an event.
    /// - Parameters:
    ///   - payload: The event's bytes.
    ///   - requestID: The request id (random when not given).
    ///   - timeout: The deadline, from now.
    ///   - traceID: `Lambda-Runtime-Trace-Id`, or `nil` to leave it out as some emulators do.
    ///   - clientContext: `Lambda-Runtime-Client-Context`, if any.
    ///   - cognitoIdentity: `Lambda-Runtime-Cognito-Identity`, if any.
    ///   - functionARN: `Lambda-Runtime-Invoked-Function-Arn`.
    /// - Returns: The request id.
    @discardableResult
    public func enqueue(
        _ payload: [UInt8],
        requestID: String? = nil,
        timeout: Duration = .seconds(30),
        traceID: String? = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
        clientContext: String? = nil,
        cognitoIdentity: String? = nil,
        functionARN: String = "arn:aws:lambda:eu-west-2:123456789012:function:local"
    ) async -> String {
        let id = requestID ?? Self.newRequestID()
        let (seconds, attoseconds) = timeout.components
        let deadline = Self.wallMilliseconds() + seconds * 1000 + attoseconds / 1_000_000_000_000_000
        var headers: [(String, String)] = [
            ("Lambda-Runtime-Aws-Request-Id", id),
            ("Lambda-Runtime-Deadline-Ms", String(deadline)),
            ("Lambda-Runtime-Invoked-Function-Arn", functionARN),
            ("Content-Type", "application/json"),
        ]
        if let traceID { headers.append(("Lambda-Runtime-Trace-Id", traceID)) }
        if let clientContext { headers.append(("Lambda-Runtime-Client-Context", clientContext)) }
        if let cognitoIdentity { headers.append(("Lambda-Runtime-Cognito-Identity", cognitoIdentity)) }
        await state.enqueue(PendingEvent(requestID: id, payload: payload, headers: headers))
        return id
    }

    /// Queues an event and waits for what the function posts for it.
    public func invoke(_ payload: [UInt8], timeout: Duration = .seconds(30)) async -> Outcome {
        let id = await enqueue(payload, timeout: timeout)
        return await outcome(of: id)
    }

    /// Waits for what the function posts for a request.
    public func outcome(of requestID: String) async -> Outcome {
        await state.outcome(of: requestID)
    }

    /// Waits for the function's init error (the type header and the body).
    public func initError() async -> Outcome {
        await state.initError()
    }

    /// What the function posted for a request, or its init error, as soon as either is there: a function that
    /// failed to start is told from one that is still working.
    public func outcomeOrInitError(of requestID: String, polling interval: Duration = .milliseconds(50)) async
        -> (outcome: Outcome, initFailed: Bool)
    {
        while true {
            if let done = await state.finished(requestID) { return (done, false) }
            if let failed = await state.initFailed() { return (failed, true) }
            try? await Task.sleep(for: interval)
        }
    }

    /// Makes every following `/next` answer with this status (and no event), or answer normally with `nil`.
    public func failNext(status: Int?) async {
        await state.setNextFailure(status)
    }

    /// Makes the next `count` posts of responses or errors answer with this status (400, 403, 413, 500, …).
    public func failPosts(status: Int, count: Int = 1) async {
        await state.setPostFailure(status: status, count: count)
    }

    /// Every request the function has made, in order.
    public func calls() async -> [Call] {
        await state.calls
    }

    /// Waits until the function has made a request to this path (by prefix) for the given time, and returns it.
    public func waitForCall(pathPrefix: String, occurrence: Int = 1) async -> Call {
        await state.waitForCall(pathPrefix: pathPrefix, occurrence: occurrence)
    }

    /// A random request id in UUID form.
    public static func newRequestID() -> String {
        let hex = (0..<32).map { _ in String(Int.random(in: 0..<16), radix: 16) }.joined()
        let c = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(c[$0]) }.joined(separator: "-")
    }

    static func wallMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    /// The monotonic clock in nanoseconds, as `Call.arrivalNanoseconds` uses.
    public static func monotonicNanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}

/// The largest response the real Runtime API takes.
private let responseLimit = 6_291_556

private actor EmulatorState {
    private var queue: [RuntimeAPIEmulator.PendingEvent] = []
    private var waitingForEvent: [CheckedContinuation<RuntimeAPIEmulator.PendingEvent?, Never>] = []
    private var outstanding: Set<String> = []
    private var outcomes: [String: RuntimeAPIEmulator.Outcome] = [:]
    private var waitingForOutcome: [String: [CheckedContinuation<RuntimeAPIEmulator.Outcome, Never>]] = [:]
    private var initErrorOutcome: RuntimeAPIEmulator.Outcome?
    private var waitingForInitError: [CheckedContinuation<RuntimeAPIEmulator.Outcome, Never>] = []
    private(set) var calls: [RuntimeAPIEmulator.Call] = []
    private var waitingForCall: [(String, Int, CheckedContinuation<RuntimeAPIEmulator.Call, Never>)] = []
    private var nextFailure: Int?
    private var postFailure: (status: Int, count: Int)?
    private var closed = false

    func enqueue(_ event: RuntimeAPIEmulator.PendingEvent) {
        outstanding.insert(event.requestID)
        if !waitingForEvent.isEmpty {
            waitingForEvent.removeFirst().resume(returning: event)
        } else {
            queue.append(event)
        }
    }

    func close() {
        closed = true
        for waiter in waitingForEvent { waiter.resume(returning: nil) }
        waitingForEvent = []
    }

    func setNextFailure(_ status: Int?) { nextFailure = status }
    func setPostFailure(status: Int, count: Int) { postFailure = (status, count) }

    func outcome(of requestID: String) async -> RuntimeAPIEmulator.Outcome {
        if let done = outcomes[requestID] { return done }
        return await withCheckedContinuation { waitingForOutcome[requestID, default: []].append($0) }
    }

    func finished(_ requestID: String) -> RuntimeAPIEmulator.Outcome? { outcomes[requestID] }

    func initFailed() -> RuntimeAPIEmulator.Outcome? { initErrorOutcome }

    func initError() async -> RuntimeAPIEmulator.Outcome {
        if let initErrorOutcome { return initErrorOutcome }
        return await withCheckedContinuation { waitingForInitError.append($0) }
    }

    func waitForCall(pathPrefix: String, occurrence: Int) async -> RuntimeAPIEmulator.Call {
        let matching = calls.filter { $0.path.hasPrefix(pathPrefix) }
        if matching.count >= occurrence { return matching[occurrence - 1] }
        return await withCheckedContinuation { waitingForCall.append((pathPrefix, occurrence, $0)) }
    }

    private func record(_ request: LocalHTTPRequest) {
        let call = RuntimeAPIEmulator.Call(
            method: request.method, path: request.path, headers: request.headers, body: request.body,
            arrivalNanoseconds: RuntimeAPIEmulator.monotonicNanoseconds())
        calls.append(call)
        var still: [(String, Int, CheckedContinuation<RuntimeAPIEmulator.Call, Never>)] = []
        for (prefix, occurrence, waiter) in waitingForCall {
            if call.path.hasPrefix(prefix) && calls.filter({ $0.path.hasPrefix(prefix) }).count == occurrence {
                waiter.resume(returning: call)
            } else {
                still.append((prefix, occurrence, waiter))
            }
        }
        waitingForCall = still
    }

    private func finish(_ requestID: String, _ outcome: RuntimeAPIEmulator.Outcome) {
        outstanding.remove(requestID)
        outcomes[requestID] = outcome
        for waiter in waitingForOutcome.removeValue(forKey: requestID) ?? [] { waiter.resume(returning: outcome) }
    }

    private func takePostFailure() -> Int? {
        guard let failure = postFailure else { return nil }
        postFailure = failure.count > 1 ? (failure.status, failure.count - 1) : nil
        return failure.status
    }

    func answer(_ request: LocalHTTPRequest) async -> LocalHTTPReply {
        record(request)
        let path = request.path
        let parts = path.split(separator: "/").map(String.init)
        let route =
            parts.count == 5 && parts[0...2] == ["2018-06-01", "runtime", "invocation"]
            ? ["2018-06-01", "runtime", "invocation", "{id}", parts[4]] : parts
        switch (request.method, route) {
        case ("GET", ["2018-06-01", "runtime", "invocation", "next"]):
            if let status = nextFailure {
                return .text(status, #"{"errorMessage":"injected failure","errorType":"Emulator.Fault"}"#)
            }
            let event: RuntimeAPIEmulator.PendingEvent?
            if !queue.isEmpty {
                event = queue.removeFirst()
            } else if closed {
                event = nil
            } else {
                event = await withCheckedContinuation { waitingForEvent.append($0) }
            }
            guard let event else { return .closeConnection }
            return .response(status: 200, headers: event.headers, body: event.payload)

        case ("POST", ["2018-06-01", "runtime", "invocation", "{id}", "response"]),
            ("POST", ["2018-06-01", "runtime", "invocation", "{id}", "error"]):
            let id = PercentEncoding.decode(parts[3])
            let kind = parts[4]
            if let status = takePostFailure() {
                return .text(status, #"{"errorMessage":"injected failure","errorType":"Emulator.Fault"}"#)
            }
            guard outstanding.contains(id) else {
                return .text(400, #"{"errorMessage":"unknown or finished request id","errorType":"InvalidRequestID"}"#)
            }
            if kind == "response" {
                guard request.body.count <= responseLimit else {
                    return .text(
                        413, #"{"errorMessage":"response payload too large","errorType":"RequestEntityTooLarge"}"#)
                }
                finish(id, .response(body: request.body))
            } else {
                finish(id, .error(type: request.header("Lambda-Runtime-Function-Error-Type"), body: request.body))
            }
            return .text(202, #"{"status":"OK"}"#)

        case ("POST", ["2018-06-01", "runtime", "init", "error"]):
            let outcome = RuntimeAPIEmulator.Outcome.error(
                type: request.header("Lambda-Runtime-Function-Error-Type"), body: request.body)
            initErrorOutcome = outcome
            for waiter in waitingForInitError { waiter.resume(returning: outcome) }
            waitingForInitError = []
            return .text(202, #"{"status":"OK"}"#)

        case ("POST", ["2020-01-01", "extension", "register"]):
            guard request.header("Lambda-Extension-Name") != nil else {
                return .text(400, #"{"errorMessage":"missing Lambda-Extension-Name","errorType":"InvalidRequest"}"#)
            }
            return .response(
                status: 200,
                headers: [
                    ("Lambda-Extension-Identifier", RuntimeAPIEmulator.newRequestID()),
                    ("Content-Type", "application/json"),
                ],
                body: Array(#"{"functionName":"local","functionVersion":"$LATEST","handler":"bootstrap"}"#.utf8))

        case ("GET", ["2020-01-01", "extension", "event", "next"]):
            // An extension with no events is answered only at shutdown, which this emulator never sends.
            return .hold

        default:
            return .text(404, #"{"errorMessage":"no such resource","errorType":"NotFound"}"#)
        }
    }
}
