/// Arrays as query parameters: the text form PostgreSQL reads for `$1::text[]` or `$1::bigint[]`, every element
/// quoted and escaped, so that a list is one bound parameter (`= ANY($1::bigint[])`), never SQL text.
public enum PostgresArray {
    /// `{"a","b\"c"}`.
    public static func literal(_ values: [String]) -> String {
        literal(values.map(Optional.some))
    }

    /// `{"a",NULL}`: `nil` elements are NULL.
    public static func literal(_ values: [String?]) -> String {
        "{"
            + values.map { value in
                guard let value else { return "NULL" }
                var quoted = "\""
                for character in value {
                    if character == "\"" || character == "\\" { quoted.append("\\") }
                    quoted.append(character)
                }
                return quoted + "\""
            }.joined(separator: ",") + "}"
    }

    /// `{"1","2"}`, of ids.
    public static func literal(_ values: [Int64]) -> String {
        literal(values.map(String.init))
    }

    /// `{"1",NULL}`, of numbers that may be missing.
    public static func literal(_ values: [Int64?]) -> String {
        literal(values.map { $0.map(String.init) })
    }
}

extension PostgresArray {
    /// The elements of a one-dimensional array in PostgreSQL's text form (`{a,"b \"c\"",NULL}`), `nil` for
    /// NULL; `nil` when the text is not such an array.
    public static func elements(of text: String) -> [String?]? {
        var scalars = Substring(text).unicodeScalars[...]
        guard scalars.first == "{", scalars.last == "}" else { return nil }
        scalars = scalars.dropFirst().dropLast()
        if scalars.isEmpty { return [] }
        var elements: [String?] = []
        var iterator = scalars.makeIterator()
        var current = String.UnicodeScalarView()
        var quoted = false
        var wasQuoted = false
        var escaped = false
        func finish() {
            let value = String(current)
            elements.append(!wasQuoted && value.uppercased() == "NULL" ? nil : value)
            current = String.UnicodeScalarView()
            wasQuoted = false
        }
        while let scalar = iterator.next() {
            if escaped {
                current.append(scalar)
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else if scalar == "\"" {
                quoted.toggle()
                wasQuoted = true
            } else if scalar == "," && !quoted {
                finish()
            } else if scalar == "{" && !quoted {
                return nil  // nested arrays are not read
            } else {
                current.append(scalar)
            }
        }
        guard !quoted, !escaped else { return nil }
        finish()
        return elements
    }
}
