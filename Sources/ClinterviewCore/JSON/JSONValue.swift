/// A JSON document that remembers where every value and key came from.
public struct JSONNode: Sendable {
    public var value: JSONValue
    /// Byte offset of the value's first character in its source file.
    public var offset: Int
    /// For strings written without escapes: the byte offset of the first character
    /// inside the quotes, so that positions inside the string can be reported.
    public var verbatimContentOffset: Int?

    public init(_ value: JSONValue, offset: Int, verbatimContentOffset: Int? = nil) {
        self.value = value
        self.offset = offset
        self.verbatimContentOffset = verbatimContentOffset
    }
}

public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONNode])
    case object(JSONObject)

    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

public struct JSONNumber: Sendable, Hashable {
    public var value: Double
    /// True when the literal had no fraction or exponent.
    public var isIntegerLiteral: Bool

    public var integerValue: Int? {
        guard value.rounded() == value, abs(value) <= 9_007_199_254_740_992 else { return nil }
        return Int(value)
    }
}

public struct JSONMember: Sendable {
    public var key: String
    public var keyOffset: Int
    public var value: JSONNode
}

public struct JSONObject: Sendable {
    public var members: [JSONMember]

    public subscript(key: String) -> JSONNode? {
        // By index, without copying the members looked at.
        for index in members.indices where isSameKey(members[index].key, key) {
            return members[index].value
        }
        return nil
    }
}

/// Whether two keys of JSON objects are the same. Lengths first: `==`
/// settles two different small strings only in a library call, and reading a
/// definition compares thousands of keys that differ. When either key is
/// ASCII (every key the loader looks for is), this is byte equality, as
/// duplicate keys are found: a string Unicode takes for equal to an ASCII
/// one is longer.
@inline(__always)
func isSameKey(_ a: String, _ b: String) -> Bool {
    a.utf8.count == b.utf8.count && a == b
}
