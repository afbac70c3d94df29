#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn`, so that its start time is known to the nanosecond and its
/// peak memory can be read from `wait4` when it ends.
public struct ChildProcess: Sendable {
    /// The process id.
    public let pid: pid_t
    /// When `posix_spawn` was called, on the monotonic clock (nanoseconds).
    public let startNanoseconds: UInt64

    /// Starts an executable.
    /// - Parameters:
    ///   - path: The executable.
    ///   - arguments: Its arguments (without the program name).
    ///   - environment: Its whole environment.
    /// - Throws: `ChildProcessError` when it cannot be started.
    public init(path: String, arguments: [String] = [], environment: [String: String]) throws {
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        // The child starts with no signal blocked and every signal at its default, whatever the spawning
        // thread had (libdispatch's threads block signals, and a child would inherit that).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var child: pid_t = 0
        let start = RuntimeAPIEmulator.monotonicNanoseconds()
        let status = posix_spawn(&child, path, nil, &attributes, argv, envp)
        guard status == 0 else {
            throw ChildProcessError(message: "cannot start \(path): \(String(cString: strerror(status)))")
        }
        pid = child
        startNanoseconds = start
    }

    /// Sends a signal.
    public func signal(_ number: Int32) {
        kill(pid, number)
    }

    /// Waits for the end on a thread of its own.
    /// - Returns: The wait status and the peak resident set size in bytes.
    public func wait() async -> (status: Int32, peakRSSBytes: Int) {
        let pid = self.pid
        return await withCheckedContinuation { continuation in
            var thread = pthread_t()
            let box = Unmanaged.passRetained(
                WaitBox(pid: pid) { continuation.resume(returning: $0) }
            ).toOpaque()
            pthread_create(
                &thread, nil,
                { argument in
                    let box = Unmanaged<WaitBox>.fromOpaque(argument!).takeRetainedValue()
                    var status: Int32 = 0
                    var usage = rusage()
                    while wait4(box.pid, &status, 0, &usage) < 0 && errno == EINTR {}
                    box.done((status, Int(usage.ru_maxrss) * 1024))
                    return nil
                }, box)
            pthread_detach(thread)
        }
    }
}

private final class WaitBox: @unchecked Sendable {
    let pid: pid_t
    let done: @Sendable ((Int32, Int)) -> Void
    init(pid: pid_t, done: @escaping @Sendable ((Int32, Int)) -> Void) {
        self.pid = pid
        self.done = done
    }
}

/// A child process that could not be started.
public struct ChildProcessError: Error, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    public var description: String { message }
}
