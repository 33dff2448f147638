/// JSON to write, with keys in a fixed order so output can be diffed.
public indirect enum JSONOutput: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONOutput])
    case object([(String, JSONOutput)])

    public static func == (a: JSONOutput, b: JSONOutput) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    public subscript(key: String) -> JSONOutput? {
        if case .object(let members) = self { return members.first { $0.0 == key }?.1 }
        return nil
    }

    /// Compact when `indent` is nil.
    public func serialized(indent: String? = nil) -> String {
        var out = ""
        write(into: &out, indent: indent, level: 0)
        return out
    }

    private func write(into out: inout String, indent: String?, level: Int) {
        let newline = indent == nil ? "" : "\n"
        func pad(_ l: Int) -> String { indent.map { String(repeating: $0, count: l) } ?? "" }
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n.isFinite ? formatNumber(n) : "null"
        case .string(let s): Self.appendQuoted(s, to: &out)
        case .array(let elements):
            if elements.isEmpty { out += "[]"; return }
            out += "[" + newline
            for (i, element) in elements.enumerated() {
                out += pad(level + 1)
                element.write(into: &out, indent: indent, level: level + 1)
                out += (i < elements.count - 1 ? "," : "") + newline
            }
            out += pad(level) + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{" + newline
            for (i, (key, value)) in members.enumerated() {
                out += pad(level + 1)
                Self.appendQuoted(key, to: &out)
                out += indent == nil ? ":" : ": "
                value.write(into: &out, indent: indent, level: level + 1)
                out += (i < members.count - 1 ? "," : "") + newline
            }
            out += pad(level) + "}"
        }
    }

    static func quoted(_ s: String) -> String {
        var out = ""
        appendQuoted(s, to: &out)
        return out
    }

    /// Appends `s` as a JSON string; text with nothing to escape (most of it) is
    /// appended whole rather than scalar by scalar.
    static func appendQuoted(_ s: String, to out: inout String) {
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C && $0 != 0x7F }) {
            out += "\""
            out += s
            out += "\""
            return
        }
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

extension JSONNode {
    /// The same value as output JSON (positions dropped).
    public var output: JSONOutput {
        switch value {
        case .null: .null
        case .bool(let b): .bool(b)
        case .number(let n): .number(n.value)
        case .string(let s): .string(s)
        case .array(let elements): .array(elements.map(\.output))
        case .object(let object): .object(object.members.map { ($0.key, $0.value.output) })
        }
    }
}

extension JSONNode {
    /// A node for output JSON that was not read from a file (positions are 0).
    public init(_ output: JSONOutput) {
        switch output {
        case .null: self.init(.null, offset: 0)
        case .bool(let b): self.init(.bool(b), offset: 0)
        case .number(let n): self.init(.number(JSONNumber(value: n, isIntegerLiteral: n.rounded() == n)), offset: 0)
        case .string(let s): self.init(.string(s), offset: 0)
        case .array(let elements): self.init(.array(elements.map { JSONNode($0) }), offset: 0)
        case .object(let members): self.init(.object(JSONObject(members: members.map { JSONMember(key: $0.0, keyOffset: 0, value: JSONNode($0.1)) })), offset: 0)
        }
    }
}
