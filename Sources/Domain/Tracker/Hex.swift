/// Bytes as lower-case hexadecimal text: digests (sale keys, ETags, signatures) and random tokens.
public enum Hex {
    /// Two lower-case digits a byte.
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var text = ""
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.unicodeScalars.append(digits[Int(byte >> 4)])
            text.unicodeScalars.append(digits[Int(byte & 0x0F)])
        }
        return text
    }

    /// `count` bytes from the system's secure random source, in hex (`2 × count` digits).
    public static func random(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return encode((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    private static let digits = Array("0123456789abcdef".unicodeScalars)
}
