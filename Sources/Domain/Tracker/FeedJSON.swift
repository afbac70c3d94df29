/// A JSON value, as the feed's events need it: numbers kept as their text, so that no precision is lost.
public enum FeedJSON: Sendable, Equatable {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case array([FeedJSON])
    case object(FeedJSONObject)
}

/// A JSON object's members, in order (the feed's objects are small: a scan beats hashing).
public struct FeedJSONObject: Sendable, Equatable {
    public var members: [(key: String, value: FeedJSON)]

    public subscript(key: String) -> FeedJSON? {
        for member in members where member.key == key { return member.value }
        return nil
    }

    public static func == (lhs: FeedJSONObject, rhs: FeedJSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

extension FeedJSONObject: LenientFields {
    func string(_ key: String) -> String? {
        switch self[key] {
        case .string(let text): text.isEmpty || text == "null" ? nil : text
        case .number(let text): FeedNumber(text)?.text ?? text
        case .bool(let flag): String(flag)
        default: nil
        }
    }

    func decimal(_ key: String) -> FeedNumber? {
        switch self[key] {
        case .number(let text), .string(let text): FeedNumber(text)
        default: nil
        }
    }

    func objects(_ key: String) -> [FeedJSONObject]? {
        guard case .array(let values) = self[key] else { return nil }
        return values.compactMap {
            if case .object(let object) = $0 { return object }
            return nil
        }
    }
}
