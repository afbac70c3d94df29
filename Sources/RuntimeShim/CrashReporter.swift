#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Leaves the reason for a crash in the log before the process dies, so that Lambda's log shows more than
/// `Runtime.ExitError`: the signal and the request that was being handled. (Swift's own `Fatal error: …`
/// line goes to stderr, unbuffered, before the trap that brings us here.)
///
/// The handler only calls `write(2)` on buffers prepared in advance: nothing in it allocates or locks.
public enum CrashReporter {
    private static let capacity = 160
    private static let signals: [(Int32, String)] = [
        (SIGSEGV, "SIGSEGV"), (SIGBUS, "SIGBUS"), (SIGILL, "SIGILL"), (SIGTRAP, "SIGTRAP"),
        (SIGABRT, "SIGABRT"), (SIGFPE, "SIGFPE"),
    ]
    /// One prepared message a signal number (0 to 63), and the request id after it.
    nonisolated(unsafe) private static let messages = UnsafeMutablePointer<UInt8>.allocate(capacity: 64 * capacity)
    nonisolated(unsafe) private static let messageLengths = UnsafeMutablePointer<Int>.allocate(capacity: 64)
    nonisolated(unsafe) private static let requestID = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    nonisolated(unsafe) private static let requestIDLength = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    /// The handlers in place before ours (Swift's backtracer, where it runs), put back before re-raising.
    nonisolated(unsafe) fileprivate static let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 64)

    /// Installs the handlers; once per process, at start-up.
    /// - Parameter descriptor: Where to write (stdout on Lambda, stderr locally).
    public static func install(descriptor: Int32) {
        messageLengths.initialize(repeating: 0, count: 64)
        requestIDLength.initialize(to: 0)
        crashDescriptor.initialize(to: descriptor)
        for (number, name) in signals {
            let text = Array("bandcamp-tracker: the process crashed with \(name) while handling request ".utf8)
            let slot = messages + Int(number) * capacity
            for (index, byte) in text.prefix(capacity).enumerated() { slot[index] = byte }
            messageLengths[Int(number)] = min(text.count, capacity)

            var action = sigaction()
            #if canImport(Glibc)
                action.__sigaction_handler.sa_handler = reportCrash
            #else
                action.__sigaction_u.__sa_handler = reportCrash
            #endif
            action.sa_flags = 0
            sigemptyset(&action.sa_mask)
            sigaction(number, &action, previous + Int(number))
        }
    }

    /// Records the request under way (or none), for a crash report.
    static func setRequestID(_ id: String?) {
        let bytes = Array((id ?? "(none)").utf8.prefix(capacity - 1)) + [UInt8(ascii: "\n")]
        requestIDLength.pointee = 0
        for (index, byte) in bytes.enumerated() { requestID[index] = byte }
        requestIDLength.pointee = bytes.count
    }

    fileprivate static func write(signal number: Int32) {
        let index = Int(number)
        guard index >= 0, index < 64, messageLengths[index] > 0 else { return }
        _ = Glibc.write(crashDescriptor.pointee, messages + index * capacity, messageLengths[index])
        let length = requestIDLength.pointee
        if length > 0 {
            _ = Glibc.write(crashDescriptor.pointee, requestID, length)
        } else {
            _ = Glibc.write(crashDescriptor.pointee, "(none)\n", 7)
        }
    }
}

nonisolated(unsafe) private let crashDescriptor = UnsafeMutablePointer<Int32>.allocate(capacity: 1)

/// Puts the earlier handler back (the default, or Swift's backtracer) and raises the signal again: it is held
/// until this returns, then ends the process whether the trap re-runs (ud2) or not (int3).
private func reportCrash(_ number: Int32) {
    CrashReporter.write(signal: number)
    sigaction(number, CrashReporter.previous + Int(number), nil)
    raise(number)
}
