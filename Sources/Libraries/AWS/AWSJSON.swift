#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// JSON as the AWS JSON services write it: member names in PascalCase (`FromEmailAddress`, `SecretString`),
/// kept as lowerCamelCase in Swift.
enum AWSJSON {
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .custom { path in
            let name = path.last!.stringValue
            return Key(stringValue: name.prefix(1).uppercased() + name.dropFirst())
        }
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .custom { path in
            let name = path.last!.stringValue
            return Key(stringValue: name.prefix(1).lowercased() + name.dropFirst())
        }
        return decoder
    }
}
