/// JSON to write, with keys in a fixed order so output can be diffed.
public enum JSONOutput: Sendable, Equatable {
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
        case (.object(let x), .object(let y)):
            x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    public subscript(key: String) -> JSONOutput? {
        if case .object(let members) = self { return members.first { $0.0 == key }?.1 }
        return nil
    }

    /// Compact when `indent` is nil.
    public func serialized(indent: String? = nil) -> String {
        String(decoding: serializedUTF8(indent: indent), as: UTF8.self)
    }

    /// `serialized` as UTF-8 bytes, for callers that write or hash them.
    /// Written as bytes: appending to a `String` piece by piece cost more
    /// than building the result being written.
    public func serializedUTF8(indent: String? = nil) -> [UInt8] {
        serializedUTF8(indent: indent, level: 0)
    }

    /// As written `level` deep inside an enclosing value (one `indent` per
    /// level before each inner line), for a writer that streams the
    /// enclosing value's elements.
    public func serializedUTF8(indent: String?, level: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(into: &out, indent: indent.map { Array($0.utf8) }, level: level)
        return out
    }

    private func write(into out: inout [UInt8], indent: [UInt8]?, level: Int) {
        func newline() { if indent != nil { out.append(UInt8(ascii: "\n")) } }
        func pad(_ l: Int) { if let indent { for _ in 0..<l { out += indent } } }
        switch self {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .number(let n): out += (n.isFinite ? formatNumber(n) : "null").utf8
        case .string(let s): Self.appendQuoted(s, to: &out)
        case .array(let elements):
            if elements.isEmpty { out += "[]".utf8; return }
            out.append(UInt8(ascii: "["))
            newline()
            for (i, element) in elements.enumerated() {
                pad(level + 1)
                element.write(into: &out, indent: indent, level: level + 1)
                if i < elements.count - 1 { out.append(UInt8(ascii: ",")) }
                newline()
            }
            pad(level)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty { out += "{}".utf8; return }
            out.append(UInt8(ascii: "{"))
            newline()
            for (i, (key, value)) in members.enumerated() {
                pad(level + 1)
                Self.appendQuoted(key, to: &out)
                out += (indent == nil ? ":" : ": ").utf8
                value.write(into: &out, indent: indent, level: level + 1)
                if i < members.count - 1 { out.append(UInt8(ascii: ",")) }
                newline()
            }
            pad(level)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `s` as a JSON string. Every character JSON escapes is ASCII, so
    /// the bytes of other characters are copied as they are.
    static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Read through a pointer, and copied in runs between the bytes that
        // need escaping: iterating `utf8` of a small string and appending
        // byte by byte cost most of writing a replay's JSON.
        var text = s
        text.withUTF8 { bytes in
            var runStart = 0
            for (index, byte) in bytes.enumerated()
            where byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                appendEscaped(byte, to: &out)
                runStart = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ byte: UInt8, to out: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): out += #"\""#.utf8
        case UInt8(ascii: "\\"): out += #"\\"#.utf8
        case UInt8(ascii: "\n"): out += #"\n"#.utf8
        case UInt8(ascii: "\r"): out += #"\r"#.utf8
        case UInt8(ascii: "\t"): out += #"\t"#.utf8
        default:
            let hex = Array("0123456789abcdef".utf8)
            out += #"\u00"#.utf8
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        }
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
        case .object(let members):
            self.init(
                .object(
                    JSONObject(members: members.map { JSONMember(key: $0.0, keyOffset: 0, value: JSONNode($0.1)) })),
                offset: 0)
        }
    }
}
