/// Settings that are missing or malformed, each named, all at once.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One setting's problem.
    public struct Problem: Sendable, Equatable {
        /// The environment variable.
        public var variable: String
        /// What is wrong with it.
        public var message: String

        public init(variable: String, message: String) {
            self.variable = variable
            self.message = message
        }
    }

    /// Every problem found.
    public var problems: [Problem]

    public init(problems: [Problem]) {
        self.problems = problems
    }

    public var description: String {
        "invalid configuration: " + problems.map { "\($0.variable) \($0.message)" }.joined(separator: "; ")
    }
}
