/// Why a run of Extract ended. Written in its summary as the words of `description`.
public enum StopReason: Sendable, Equatable, Encodable, CustomStringConvertible {
    /// The feed's complete part has been reached: the next window is not finished yet.
    case caughtUp
    /// Too little time was left for another window.
    case deadline
    /// The run stored as many windows as it may.
    case windowLimit
    /// The feed could not be read (after its retries); the next run tries again from the cursor.
    case feedFailed(String)
    /// The feed answered with a window that does not move the cursor on.
    case feedWentBack(cursor: Int64, windowEnd: Int64)
    /// The run has not ended.
    case running

    public var description: String {
        switch self {
        case .caughtUp: "caught up"
        case .deadline: "deadline"
        case .windowLimit: "window limit"
        case .feedFailed(let reason): reason
        case .feedWentBack(let cursor, let end): "the feed answered \(cursor) with a window ending at \(end)"
        case .running: ""
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
