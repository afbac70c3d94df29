/// The answer of a pipeline step whose work has not landed yet: a clear, typed error, never a crash.
public struct NotImplementedYet: Error, Sendable, Equatable, CustomStringConvertible {
    /// The step, e.g. `ExtractFunction`.
    public var step: String
    /// The issue that brings the step's work.
    public var issue: Int

    /// An error for a step.
    public init(step: String, issue: Int) {
        self.step = step
        self.issue = issue
    }

    public var description: String {
        "\(step) is not implemented yet: its work lands with issue #\(issue); the event was read and nothing was changed"
    }
}
