import PercentEncoding

/// `application/x-www-form-urlencoded` text (a query string or a posted form).
public enum Form {
    /// The pairs, decoded, in order; a name without `=` has the empty value.
    public static func parse(_ text: String) -> [(name: String, value: String)] {
        PercentEncoding.formPairs(text)
    }

    /// Pairs encoded as a query string (empty values left out).
    public static func encode(_ pairs: [(String, String)]) -> String {
        pairs.filter { !$0.1.isEmpty }.map {
            PercentEncoding.encode($0.0) + "=" + PercentEncoding.encode($0.1)
        }.joined(separator: "&")
    }
}
