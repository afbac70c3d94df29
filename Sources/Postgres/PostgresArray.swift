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
