/// What a function does and the events it takes, each with an example: its `--help` on a laptop.
public struct FunctionHelp: Sendable {
    /// An event: what it asks for, and an example (a JSON event, or a file of `events/`).
    public struct Event: Sendable {
        public var what: String
        public var example: String

        public init(_ what: String, example: String) {
            self.what = what
            self.example = example
        }
    }

    public var summary: String
    public var events: [Event]

    public init(_ summary: String, events: [Event]) {
        self.summary = summary
        self.events = events
    }

    /// The help's own sections, wrapped to `columns`.
    func text(columns: Int = 100) -> String {
        var lines = ["WHAT IT DOES:"] + Self.wrap(summary, indent: "  ", columns: columns) + ["", "EVENTS:"]
        for event in events {
            lines += Self.wrap(event.what, indent: "  ", columns: columns)
            lines.append("      " + event.example)
        }
        return lines.joined(separator: "\n")
    }

    static func wrap(_ text: String, indent: String, columns: Int) -> [String] {
        var lines: [String] = []
        var line = indent
        for word in text.split(separator: " ") {
            if line.count + word.count + 1 > columns, line != indent {
                lines.append(line)
                line = indent
            }
            line += (line == indent ? "" : " ") + word
        }
        if line != indent { lines.append(line) }
        return lines
    }
}
