/// A strict JSON parser (RFC 8259) that keeps the byte offset of every value.
///
/// Foundation's decoders report no positions, and authors need `file:line:column`.
/// The parser never recurses deeper than `maximumDepth`, rejects duplicate keys,
/// invalid UTF-8, control characters in strings and numbers too large for a
/// Double, and always terminates: every loop consumes at least one byte.
public struct JSONParseError: Error, Sendable, Equatable {
    public var offset: Int
    public var message: String
}

public struct JSONParser {
    public static let maximumDepth = 200

    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONNode {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) in
            var parser = Cursor(buffer: buffer)
            return try parser.parseDocument()
        }
    }
}

private struct Cursor {
    let buffer: UnsafeBufferPointer<UInt8>
    var index = 0

    init(buffer: UnsafeBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    func fail(_ message: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(offset: offset ?? index, message: message)
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONNode {
        if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { index = 3 }
        skipWhitespace()
        guard index < buffer.count else { throw fail("the file is empty: expected a JSON value") }
        let node = try parseValue(depth: 0)
        skipWhitespace()
        guard index == buffer.count else {
            throw fail("unexpected \(describeCurrent()) after the end of the JSON value")
        }
        return node
    }

    mutating func skipWhitespace() {
        while index < buffer.count {
            switch buffer[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    func describeCurrent() -> String {
        guard index < buffer.count else { return "end of file" }
        let byte = buffer[index]
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        if byte < 0x20 || byte == 0x7F { return "control character 0x\(String(byte, radix: 16, uppercase: true))" }
        return "character"
    }

    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONNode {
        guard depth <= JSONParser.maximumDepth else {
            throw fail("nesting is deeper than \(JSONParser.maximumDepth) levels")
        }
        guard index < buffer.count else { throw fail("unexpected end of file: expected a value") }
        let start = index
        switch buffer[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""):
            let (string, verbatim) = try parseString()
            return JSONNode(.string(string), offset: start, verbatimContentOffset: verbatim ? start + 1 : nil)
        case UInt8(ascii: "t"): try expectWord("true"); return JSONNode(.bool(true), offset: start)
        case UInt8(ascii: "f"): try expectWord("false"); return JSONNode(.bool(false), offset: start)
        case UInt8(ascii: "n"): try expectWord("null"); return JSONNode(.null, offset: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONNode(.number(try parseNumber()), offset: start)
        default:
            throw fail("unexpected \(describeCurrent()): expected a value")
        }
    }

    mutating func expectWord(_ word: StaticString) throws(JSONParseError) {
        let start = index
        let utf8 = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for byte in utf8 {
            guard index < buffer.count, buffer[index] == byte else {
                throw fail("invalid literal: expected '\(word)'", at: start)
            }
            index += 1
        }
    }

    mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONNode {
        let start = index
        index += 1
        var members: [JSONMember] = []
        // JSON compares keys by their code points; String's == takes
        // canonically equivalent keys ("K" and the Kelvin sign) for one, so
        // a key the set has already is a duplicate only if its bytes match.
        // Most objects are small: below 16 members their keys are compared
        // directly, without hashing (hashing was a fifth of reading stored results back).
        var seen: Set<String>?
        skipWhitespace()
        if index < buffer.count, buffer[index] == UInt8(ascii: "}") {
            index += 1
            return JSONNode(.object(JSONObject(members: members)), offset: start)
        }
        while true {
            skipWhitespace()
            guard index < buffer.count else { throw fail("unexpected end of file inside an object: expected a key") }
            guard buffer[index] == UInt8(ascii: "\"") else {
                if buffer[index] == UInt8(ascii: "}") { throw fail("trailing comma before '}'") }
                throw fail("unexpected \(describeCurrent()): expected a key in double quotes")
            }
            let keyOffset = index
            let (key, _) = try parseString()
            if members.count < 16 {
                if members.contains(where: { $0.key.utf8.elementsEqual(key.utf8) }) {
                    throw duplicate(key, at: keyOffset)
                }
            } else {
                if seen == nil { seen = Set(members.map(\.key)) }
                if seen?.insert(key).inserted == false, members.contains(where: { $0.key.utf8.elementsEqual(key.utf8) })
                {
                    throw duplicate(key, at: keyOffset)
                }
            }
            skipWhitespace()
            guard index < buffer.count, buffer[index] == UInt8(ascii: ":") else {
                throw fail("unexpected \(describeCurrent()): expected ':' after the key \"\(key)\"")
            }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth + 1)
            members.append(JSONMember(key: key, keyOffset: keyOffset, value: value))
            skipWhitespace()
            guard index < buffer.count else {
                throw fail("unexpected end of file inside an object: expected ',' or '}'")
            }
            if buffer[index] == UInt8(ascii: ",") { index += 1; continue }
            if buffer[index] == UInt8(ascii: "}") { index += 1; break }
            throw fail("unexpected \(describeCurrent()): expected ',' or '}'")
        }
        return JSONNode(.object(JSONObject(members: members)), offset: start)
    }

    func duplicate(_ key: String, at offset: Int) -> JSONParseError {
        fail("duplicate key \"\(key)\" in the same object", at: offset)
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONNode {
        let start = index
        index += 1
        var elements: [JSONNode] = []
        skipWhitespace()
        if index < buffer.count, buffer[index] == UInt8(ascii: "]") {
            index += 1
            return JSONNode(.array(elements), offset: start)
        }
        while true {
            skipWhitespace()
            if index < buffer.count, buffer[index] == UInt8(ascii: "]") { throw fail("trailing comma before ']'") }
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard index < buffer.count else {
                throw fail("unexpected end of file inside an array: expected ',' or ']'")
            }
            if buffer[index] == UInt8(ascii: ",") { index += 1; continue }
            if buffer[index] == UInt8(ascii: "]") { index += 1; break }
            throw fail("unexpected \(describeCurrent()): expected ',' or ']'")
        }
        return JSONNode(.array(elements), offset: start)
    }

    /// Returns the decoded string and whether it was written without escapes.
    mutating func parseString() throws(JSONParseError) -> (String, Bool) {
        let open = index
        index += 1
        let contentStart = index
        // Most strings have no escapes: they are taken from the buffer as they stand.
        scan: while index < buffer.count {
            let byte = buffer[index]
            if byte == UInt8(ascii: "\"") {
                let string = String(
                    decoding: UnsafeBufferPointer(rebasing: buffer[contentStart..<index]), as: UTF8.self)
                index += 1
                return (string, true)
            }
            if byte == UInt8(ascii: "\\") { break scan }
            if byte < 0x20 { throw fail("control character in a string: write it as an escape such as \\n") }
            if byte >= 0x80 { try skipUTF8Sequence() } else { index += 1 }
        }
        guard index < buffer.count else { throw fail("unterminated string", at: open) }
        var bytes = Array(buffer[contentStart..<index])
        while index < buffer.count {
            let byte = buffer[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return (String(decoding: bytes, as: UTF8.self), false)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &bytes)
            case 0..<0x20:
                throw fail("control character in a string: write it as an escape such as \\n")
            case 0x80...:
                let start = index
                try skipUTF8Sequence()
                bytes.append(contentsOf: buffer[start..<index])
            default:
                bytes.append(byte)
                index += 1
            }
        }
        throw fail("unterminated string", at: open)
    }

    mutating func parseEscape(into bytes: inout [UInt8]) throws(JSONParseError) {
        let start = index
        index += 1
        guard index < buffer.count else { throw fail("unterminated escape", at: start) }
        let code = buffer[index]
        index += 1
        switch code {
        case UInt8(ascii: "\""): bytes.append(0x22)
        case UInt8(ascii: "\\"): bytes.append(0x5C)
        case UInt8(ascii: "/"): bytes.append(0x2F)
        case UInt8(ascii: "b"): bytes.append(0x08)
        case UInt8(ascii: "f"): bytes.append(0x0C)
        case UInt8(ascii: "n"): bytes.append(0x0A)
        case UInt8(ascii: "r"): bytes.append(0x0D)
        case UInt8(ascii: "t"): bytes.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4(escapeStart: start)
            if (0xD800...0xDBFF).contains(scalar) {
                guard index + 1 < buffer.count, buffer[index] == UInt8(ascii: "\\"),
                    buffer[index + 1] == UInt8(ascii: "u")
                else {
                    throw fail("unpaired surrogate in \\u escape", at: start)
                }
                index += 2
                let low = try parseHex4(escapeStart: start)
                guard (0xDC00...0xDFFF).contains(low) else { throw fail("unpaired surrogate in \\u escape", at: start) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw fail("unpaired surrogate in \\u escape", at: start)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape", at: start) }
            bytes.append(contentsOf: Array(String(Character(unicode)).utf8))
        default:
            throw fail("invalid escape '\\\(Character(Unicode.Scalar(code)))'", at: start)
        }
    }

    mutating func parseHex4(escapeStart: Int) throws(JSONParseError) -> UInt32 {
        guard index + 4 <= buffer.count else { throw fail("incomplete \\u escape", at: escapeStart) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = buffer[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw fail("invalid hex digit in \\u escape", at: escapeStart)
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    /// Validates one multi-byte UTF-8 sequence starting at `index` and moves past it.
    mutating func skipUTF8Sequence() throws(JSONParseError) {
        let lead = buffer[index]
        let length: Int
        let minimum: UInt32
        var scalar: UInt32
        switch lead {
        case 0xC2...0xDF: length = 2; scalar = UInt32(lead & 0x1F); minimum = 0x80
        case 0xE0...0xEF: length = 3; scalar = UInt32(lead & 0x0F); minimum = 0x800
        case 0xF0...0xF4: length = 4; scalar = UInt32(lead & 0x07); minimum = 0x10000
        default: throw fail("invalid UTF-8 byte 0x\(String(lead, radix: 16, uppercase: true)): save the file as UTF-8")
        }
        guard index + length <= buffer.count else { throw fail("truncated UTF-8 sequence: save the file as UTF-8") }
        for offset in 1..<length {
            let byte = buffer[index + offset]
            guard byte & 0xC0 == 0x80 else { throw fail("invalid UTF-8 sequence: save the file as UTF-8") }
            scalar = (scalar << 6) | UInt32(byte & 0x3F)
        }
        guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else {
            throw fail("invalid UTF-8 sequence: save the file as UTF-8")
        }
        index += length
    }

    mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = index
        var isInteger = true
        if buffer[index] == UInt8(ascii: "-") { index += 1 }
        guard index < buffer.count, isDigit(buffer[index]) else {
            throw fail("invalid number: expected a digit", at: start)
        }
        if buffer[index] == UInt8(ascii: "0") {
            index += 1
            if index < buffer.count, isDigit(buffer[index]) {
                throw fail("invalid number: leading zeros are not allowed", at: start)
            }
        } else {
            while index < buffer.count, isDigit(buffer[index]) { index += 1 }
        }
        if index < buffer.count, buffer[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < buffer.count, isDigit(buffer[index]) else {
                throw fail("invalid number: expected a digit after '.'", at: start)
            }
            while index < buffer.count, isDigit(buffer[index]) { index += 1 }
        }
        if index < buffer.count, buffer[index] == UInt8(ascii: "e") || buffer[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < buffer.count, buffer[index] == UInt8(ascii: "+") || buffer[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < buffer.count, isDigit(buffer[index]) else {
                throw fail("invalid number: expected a digit in the exponent", at: start)
            }
            while index < buffer.count, isDigit(buffer[index]) { index += 1 }
        }
        // Integers of up to 15 digits are exact in a Double: read them without
        // building a string (answer files are mostly small integers).
        if isInteger, index - start <= 15 {
            var magnitude = 0
            for byte in buffer[start..<index] where byte != UInt8(ascii: "-") {
                magnitude = magnitude * 10 + Int(byte - UInt8(ascii: "0"))
            }
            let value = buffer[start] == UInt8(ascii: "-") ? -Double(magnitude) : Double(magnitude)
            return JSONNumber(value: value, isIntegerLiteral: true)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw fail("number \(text.prefix(40)) is too large", at: start)
        }
        return JSONNumber(value: value, isIntegerLiteral: isInteger)
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
