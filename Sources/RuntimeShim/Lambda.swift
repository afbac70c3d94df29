import Dispatch
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What a handler's set-up gets, once per cold start.
public struct LambdaInitContext: Sendable {
    /// The function's environment.
    public var environment: LambdaEnvironment
    /// A logger for set-up.
    public var logger: Logger

    /// A context.
    public init(environment: LambdaEnvironment, logger: Logger) {
        self.environment = environment
        self.logger = logger
    }
}

/// The entry point of every function.
public enum Lambda {
    /// Runs a typed handler: on Lambda (or an emulator) when `AWS_LAMBDA_RUNTIME_API` is set, otherwise once,
    /// locally, on an event file. Never returns.
    /// - Parameter makeHandler: Builds the handler once per cold start: connections and clients made here
    ///   are reused by every invocation. An error here is reported as an init error and ends the process.
    /// - Parameter help: What the function does and the events it takes, for `--help`.
    public static func main<Handler: LambdaHandler>(
        help: FunctionHelp? = nil, _ makeHandler: @escaping @Sendable (LambdaInitContext) async throws -> Handler
    ) async -> Never {
        await mainRaw(help: help) { CodableHandlerAdapter(try await makeHandler($0)) }
    }

    /// Runs a raw-bytes handler, as `main` does a typed one. Never returns.
    public static func mainRaw(
        help: FunctionHelp? = nil,
        _ makeHandler: @escaping @Sendable (LambdaInitContext) async throws -> any LambdaRawHandler
    ) async -> Never {
        let executable = CommandLine.arguments.first.map { String($0.split(separator: "/").last ?? "") }
        let environment = LambdaEnvironment(
            LambdaEnvironment.processVariables(), defaultFunctionName: executable ?? "function")
        // On Lambda logs go to stdout; locally stdout carries the response, so logs go to stderr.
        let descriptor: Int32 = environment.isRuntimeAPIMode ? 1 : 2
        let sink = LogSink(fileDescriptor: descriptor)
        let level = LambdaLogHandler.level(named: environment.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            LambdaLogHandler(label: label, format: environment.logFormat, level: level, sink: sink)
        }
        CrashReporter.install(descriptor: descriptor)
        let logger = Logger(label: environment.functionName)

        guard let endpoint = environment.runtimeAPI else {
            let status = await LocalInvocation.run(
                arguments: Array(CommandLine.arguments.dropFirst()), environment: environment, logger: logger,
                help: help, makeHandler: makeHandler)
            exit(status)
        }
        let client: HTTPRuntimeClient
        do {
            client = try HTTPRuntimeClient(endpoint: endpoint)
        } catch {
            logger.critical("\(error)")
            exit(1)
        }
        await serve(client: client, environment: environment, logger: logger, makeHandler: makeHandler)
    }

    private static func serve(
        client: HTTPRuntimeClient,
        environment: LambdaEnvironment,
        logger: Logger,
        makeHandler: @Sendable (LambdaInitContext) async throws -> any LambdaRawHandler
    ) async -> Never {
        let shutdown = GracefulShutdown(logger: logger)
        await shutdown.registerExtension(client: client, name: "\(environment.functionName)-shutdown")

        let handler: any LambdaRawHandler
        do {
            handler = try await makeHandler(LambdaInitContext(environment: environment, logger: logger))
        } catch {
            logger.critical("start-up failed: \(error)")
            do {
                try await client.reportInitError(LambdaErrorReport(error))
            } catch {
                logger.critical("the init error could not be reported: \(error)")
            }
            exit(1)
        }
        shutdown.setHandler(handler)

        let loop = LambdaRunLoop(client: client, handler: handler, environment: environment, logger: logger)
        do {
            try await loop.run()
        } catch {
            logger.critical("the runtime stops: \(error)")
            await handler.shutdown()
            exit(1)
        }
    }
}

/// Closes open connections when Lambda shuts the environment down.
///
/// Lambda sends SIGTERM only to a runtime with a registered extension, so this registers an internal one that
/// subscribes to nothing and waits on its `/event/next` on a thread of its own.
final class GracefulShutdown: Sendable {
    private let logger: Logger
    private let handler = Mutex<(any LambdaRawHandler)?>(nil)
    /// Kept for the life of the process; written once, before any signal can arrive.
    nonisolated(unsafe) private var signalSource: (any DispatchSourceSignal)?

    init(logger: Logger) {
        self.logger = logger
    }

    func registerExtension(client: HTTPRuntimeClient, name: String) async {
        let identifier: String
        do {
            identifier = try await client.registerInternalExtension(name: name)
        } catch {
            logger.debug("no internal extension, so no SIGTERM at shutdown: \(error)")
            return
        }
        signal(SIGTERM, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        source.setEventHandler { [self] in
            logger.info("SIGTERM: closing connections before the environment shuts down")
            let handler = handler.withLock { $0 }
            Task {
                await handler?.shutdown()
                exit(0)
            }
        }
        source.resume()
        signalSource = source
        let thread = ExtensionThread(client: client, identifier: identifier)
        thread.start()
    }

    func setHandler(_ handler: any LambdaRawHandler) {
        self.handler.withLock { $0 = handler }
    }
}

/// A thread that blocks on the Extensions API's `/event/next`, as a registered extension must.
private final class ExtensionThread: Sendable {
    let client: HTTPRuntimeClient
    let identifier: String

    init(client: HTTPRuntimeClient, identifier: String) {
        self.client = client
        self.identifier = identifier
    }

    func start() {
        DetachedThread.start { [self] in client.waitForExtensionEvent(identifier: identifier) }
    }
}

/// A thread of its own (not one of Swift's cooperative pool), for work that blocks: it runs `body` and ends.
enum DetachedThread {
    private final class Body: Sendable {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    static func start(_ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        pthread_create(
            &thread, nil,
            { argument in
                Unmanaged<Body>.fromOpaque(argument!).takeRetainedValue().run()
                return nil
            }, box)
        pthread_detach(thread)
    }
}
