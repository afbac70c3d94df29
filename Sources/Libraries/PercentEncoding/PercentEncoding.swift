/// Percent-encoding as RFC 3986 and AWS's SigV4 define it: the unreserved characters (`A–Z a–z 0–9 - _ . ~`)
/// as they are, every other byte of the UTF-8 as `%XX` in upper case. One implementation for the Runtime API's
/// paths, AWS's canonical requests and S3 keys, file URLs and the local server's queries.
public enum PercentEncoding {
    /// The text encoded; `/` kept when `keepingSlash` (paths), encoded otherwise (query values, segments).
    public static func encode(_ text: String, keepingSlash: Bool = false) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || keepingSlash && byte == UInt8(ascii: "/") {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result.append("%")
                result.append(hexDigits[Int(byte >> 4)])
                result.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return result
    }

    /// The text with its `%XX` escapes decoded (malformed ones kept as written); `+` becomes a space when
    /// `plusIsSpace` (HTML forms' query strings), and stays `+` otherwise (paths, AWS).
    public static func decode(_ text: String, plusIsSpace: Bool = false) -> String {
        guard text.contains("%") || plusIsSpace && text.contains("+") else { return text }
        let source = Array(text.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(source.count)
        var index = 0
        while index < source.count {
            let byte = source[index]
            if byte == UInt8(ascii: "%"), index + 2 < source.count,
                let high = hexValue(source[index + 1]), let low = hexValue(source[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 3
                continue
            }
            bytes.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The pairs of `application/x-www-form-urlencoded` text (a query string, a posted form), decoded, in order;
    /// a name without `=` has the empty value.
    public static func formPairs(_ text: some StringProtocol) -> [(name: String, value: String)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(String(parts[0]), plusIsSpace: true)
            return (name, parts.count > 1 ? decode(String(parts[1]), plusIsSpace: true) : "")
        }
    }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static let hexDigits: [Character] = Array("0123456789ABCDEF")
}
