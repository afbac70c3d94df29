/// Collects the problems of every setting, so that one error can name them all.
final class SettingsCheck {
    let environment: [String: String]
    let needs: Set<Settings.Need>
    private(set) var problems: [ConfigurationError.Problem] = []

    init(environment: [String: String], needs: Set<Settings.Need>) {
        self.environment = environment
        self.needs = needs
    }

    func report(_ variable: String, _ message: String) {
        problems.append(.init(variable: variable, message: message))
    }

    /// The value of a needed setting, or its default; `nil` (and a problem) when it has neither.
    func require(_ name: String, default local: String?, _ need: Settings.Need, what: String) -> String? {
        guard needs.contains(need) else { return nil }
        if let set = environment[name], !set.isEmpty { return set }
        if let local { return local }
        report(name, "is not set; it must give \(what)")
        return nil
    }

    /// A needed setting parsed into a value; `nil` (and a problem) when missing or malformed.
    func parse<Value>(
        _ name: String, default local: String?, _ need: Settings.Need, what: String, _ parse: (String) throws -> Value
    ) -> Value? {
        guard let text = require(name, default: local, need, what: what) else { return nil }
        do {
            return try parse(text)
        } catch {
            report(name, (error as? ValueError)?.message ?? "\(error)")
            return nil
        }
    }

    /// A needed setting that may be left out: its value, or `nil` when unset or empty.
    func optional(_ name: String, _ need: Settings.Need) -> String? {
        guard needs.contains(need), let set = environment[name], !set.isEmpty else { return nil }
        return set
    }

    /// A needed http(s) URL that may be left out; a problem when it is set to something else.
    func optionalURL(_ name: String, _ need: Settings.Need) -> String? {
        guard let url = optional(name, need) else { return nil }
        if !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
            report(name, "'\(url)' is not an http:// or https:// URL")
        }
        return url
    }

    /// A needed whole number within a range, or its default when unset; a problem when it is not such a number.
    func number(_ name: String, _ need: Settings.Need, default value: Int, in range: ClosedRange<Int>, what: String)
        -> Int
    {
        guard let text = optional(name, need) else { return value }
        guard let number = Int(text), range.contains(number) else {
            report(name, "'\(text)' is not \(what) from \(range.lowerBound) to \(range.upperBound)")
            return value
        }
        return number
    }
}

struct ValueError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
