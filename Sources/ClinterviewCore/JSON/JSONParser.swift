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

    /// Parses as `parse` does, and passes on each element of the root
    /// object's array member `key` as soon as it is parsed: `start` gets the
    /// root's members before that one, `element` each element in order. The
    /// elements can be read on another core while the rest is parsed.
    public static func parse(_ bytes: [UInt8], streaming key: String,
                             start: @escaping ([JSONMember]) -> Void, element: @escaping (JSONNode) -> Void) throws(JSONParseError) -> JSONNode {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) in
            var parser = Cursor(buffer: buffer)
            parser.streamed = StreamedMember(key: key, start: start, element: element)
            return try parser.parseDocument()
        }
    }
}

/// The root object's array member whose elements are passed on as they are parsed.
private struct StreamedMember {
    var key: String
    var start: ([JSONMember]) -> Void
    var element: (JSONNode) -> Void
}

private struct Cursor {
    let buffer: UnsafeBufferPointer<UInt8>
    var index = 0
    /// Only for large files: filling the table costs as much as parsing a
    /// small answer file, and a replay reads thousands of them.
    let shortStrings: ShortStrings?
    var streamed: StreamedMember?

    init(buffer: UnsafeBufferPointer<UInt8>) {
        self.buffer = buffer
        shortStrings = buffer.count >= ShortStrings.minimumFileSize ? ShortStrings() : nil
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
        // Duplicate keys are looked for by scanning while an object is small,
        // and in a hash table once it is larger.
        var seen = KeyTable()
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
            if members.count < Self.objectSizeScannedForDuplicates {
                if members.contains(where: { $0.key == key }) { throw duplicate(key, at: keyOffset) }
            } else {
                if !seen.insert(members.count, of: key, in: members) { throw duplicate(key, at: keyOffset) }
            }
            skipWhitespace()
            guard index < buffer.count, buffer[index] == UInt8(ascii: ":") else {
                throw fail("unexpected \(describeCurrent()): expected ':' after the key \"\(key)\"")
            }
            index += 1
            skipWhitespace()
            let value: JSONNode
            if depth == 0, let streamed, key == streamed.key, index < buffer.count, buffer[index] == UInt8(ascii: "[") {
                streamed.start(members)
                value = try parseArray(depth: depth + 1, each: streamed.element)
            } else {
                value = try parseValue(depth: depth + 1)
            }
            members.append(JSONMember(key: key, keyOffset: keyOffset, value: value))
            skipWhitespace()
            guard index < buffer.count else { throw fail("unexpected end of file inside an object: expected ',' or '}'") }
            if buffer[index] == UInt8(ascii: ",") { index += 1; continue }
            if buffer[index] == UInt8(ascii: "}") { index += 1; break }
            throw fail("unexpected \(describeCurrent()): expected ',' or '}'")
        }
        return JSONNode(.object(JSONObject(members: members)), offset: start)
    }

    static let objectSizeScannedForDuplicates = 16

    func duplicate(_ key: String, at offset: Int) -> JSONParseError {
        fail("duplicate key \"\(key)\" in the same object", at: offset)
    }

    mutating func parseArray(depth: Int, each: ((JSONNode) -> Void)? = nil) throws(JSONParseError) -> JSONNode {
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
            each?(elements[elements.count - 1])
            skipWhitespace()
            guard index < buffer.count else { throw fail("unexpected end of file inside an array: expected ',' or ']'") }
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
        // Fast path: scan for the closing quote; most strings have no escapes.
        // Eight bytes are looked at at a time, and the first that is not plain
        // (a quote, a backslash, a control character or a byte of a longer
        // UTF-8 sequence) is found in the word at once; that byte alone is
        // read on its own. (Looking at every byte was a third of parsing a
        // large definition, and most keys and values are shorter than sixteen
        // bytes.)
        scan: while true {
            if index + 8 <= buffer.count {
                let plain = plainBytes(at: index)
                index += plain
                if plain == 8 { continue }
            }
            guard index < buffer.count else { break }
            let byte = buffer[index]
            if byte == UInt8(ascii: "\"") {
                let string = shortStrings?.string(in: buffer, from: contentStart, to: index)
                    ?? String(decoding: UnsafeBufferPointer(rebasing: buffer[contentStart..<index]), as: UTF8.self)
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

    /// How many of the eight bytes at `offset` come before the first that is
    /// not printable ASCII other than '"' and '\\' (8 when all are), found
    /// on the word at once: `(v - n·ones) & ~v` has the high bit of the first
    /// byte of `v` under `n` set, and none below it (a '"' or '\\' is a zero
    /// byte of `v` xor that byte); the high bits of `v` mark bytes of 0x80 and
    /// over. The lowest mark is the first such byte.
    @inline(__always)
    func plainBytes(at offset: Int) -> Int {
        let word = UnsafeRawPointer(buffer.baseAddress! + offset).loadUnaligned(as: UInt64.self)
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func under(_ v: UInt64, _ n: UInt64) -> UInt64 { (v &- ones &* n) & ~v & highs }
        let marks = (word & highs) | under(word, 0x20) | under(word ^ (ones &* 0x22), 1) | under(word ^ (ones &* 0x5C), 1)
        #if _endian(little)
        return marks.trailingZeroBitCount / 8
        #else
        // The first byte in memory is the word's highest: borrows run the
        // other way, so only a word with no mark at all is passed whole.
        return marks == 0 ? 8 : 0
        #endif
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
                guard index + 1 < buffer.count, buffer[index] == UInt8(ascii: "\\"), buffer[index + 1] == UInt8(ascii: "u") else {
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
        guard index < buffer.count, isDigit(buffer[index]) else { throw fail("invalid number: expected a digit", at: start) }
        if buffer[index] == UInt8(ascii: "0") {
            index += 1
            if index < buffer.count, isDigit(buffer[index]) { throw fail("invalid number: leading zeros are not allowed", at: start) }
        } else {
            while index < buffer.count, isDigit(buffer[index]) { index += 1 }
        }
        if index < buffer.count, buffer[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < buffer.count, isDigit(buffer[index]) else { throw fail("invalid number: expected a digit after '.'", at: start) }
            while index < buffer.count, isDigit(buffer[index]) { index += 1 }
        }
        if index < buffer.count, buffer[index] == UInt8(ascii: "e") || buffer[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < buffer.count, buffer[index] == UInt8(ascii: "+") || buffer[index] == UInt8(ascii: "-") { index += 1 }
            guard index < buffer.count, isDigit(buffer[index]) else { throw fail("invalid number: expected a digit in the exponent", at: start) }
            while index < buffer.count, isDigit(buffer[index]) { index += 1 }
        }
        // Integers of up to 15 digits are exact in a Double: read them without
        // building a string (answer files are mostly small integers).
        if isInteger, index - start <= 15 {
            var magnitude = 0
            for byte in buffer[start..<index] where byte != UInt8(ascii: "-") { magnitude = magnitude * 10 + Int(byte - UInt8(ascii: "0")) }
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

/// The members of a large object by a hash of their keys, to find duplicate
/// keys: a `Set<String>` (seeded SipHash for every key) cost more than parsing
/// the object. Hashed with `StringHash` from a per-process random seed.
private struct KeyTable {
    private static let seed = UInt64.random(in: .min ... .max)
    private var slots: [Int32] = []

    private static func hash(_ key: String) -> Int {
        Int(truncatingIfNeeded: StringHash.hash(key, seed: seed))
    }

    /// Each member's hash, by member index, from the table's first use: a
    /// key is hashed once, however often the table grows, and a probe
    /// compares hashes before keys.
    private var hashes: [Int] = []
    /// Room for 128 members before the table first grows: an answer file's
    /// answers are one object of about a hundred members.
    private static let initialSlots = 256

    /// Adds member `index`, whose key is `key`; false when one of the members
    /// before it has that key. Those members have distinct keys: they are
    /// placed when the table is first used (an object grown past scanning)
    /// and again whenever it grows.
    mutating func insert(_ index: Int, of key: String, in members: [JSONMember]) -> Bool {
        if slots.isEmpty {
            hashes.reserveCapacity(Self.initialSlots / 2)
            for earlier in 0..<index { hashes.append(Self.hash(members[earlier].key)) }
            slots = [Int32](repeating: -1, count: max(Self.initialSlots, 4 * index))
            for earlier in 0..<index { place(earlier) }
        } else if (index + 1) * 2 > slots.count {
            slots = [Int32](repeating: -1, count: slots.count * 2)
            for earlier in 0..<index { place(earlier) }
        }
        let hash = Self.hash(key)
        var slot = hash & (slots.count - 1)
        while slots[slot] >= 0 {
            let other = Int(slots[slot])
            if hashes[other] == hash, members[other].key == key { return false }
            slot = (slot + 1) & (slots.count - 1)
        }
        slots[slot] = Int32(index)
        hashes.append(hash)
        return true
    }

    /// Places a member known to be new.
    private mutating func place(_ index: Int) {
        var slot = hashes[index] & (slots.count - 1)
        while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
        slots[slot] = Int32(index)
    }
}

/// Short strings already made, found by their bytes: keys such as "id" and
/// "kind" and values such as "rating" come back on every item, and making a
/// string from the bytes (which checks them once more) cost more than finding
/// it here. A direct-mapped table: a new string takes the place of the last
/// one with the same slot.
final class ShortStrings {
    static let slots = 1024
    /// Smaller files are parsed without the table.
    static let minimumFileSize = 64 * 1024
    /// Per slot, a string's bytes as two words: the first eight, then the
    /// rest with the length in the top byte (so "a" and "a\0" differ).
    private let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: 2 * slots)
    private let strings = UnsafeMutablePointer<String>.allocate(capacity: slots)

    init() {
        // No string is 0 bytes long in a slot's key: an empty key never matches.
        keys.initialize(repeating: 0, count: 2 * Self.slots)
        strings.initialize(repeating: "", count: Self.slots)
    }

    deinit {
        strings.deinitialize(count: Self.slots)
        strings.deallocate()
        keys.deallocate()
    }

    /// The string of the bytes from `start` to `end`, which are valid UTF-8
    /// without escapes; nil when they are empty or too long to keep here (over
    /// 15 bytes), or too near the end of the buffer to be read a word at a time.
    func string(in buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> String? {
        let count = end - start
        guard count > 0, count <= 15, start + 16 <= buffer.count else { return nil }
        let raw = UnsafeRawPointer(buffer.baseAddress! + start)
        let first, second: UInt64
        if count >= 8 {
            first = raw.loadUnaligned(as: UInt64.self)
            let rest = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            second = (count == 8 ? 0 : rest & (UInt64.max >> UInt64(64 - 8 * (count - 8)))) | UInt64(count) << 56
        } else {
            first = raw.loadUnaligned(as: UInt64.self) & (UInt64.max >> UInt64(64 - 8 * count))
            second = UInt64(count) << 56
        }
        let slot = Int(truncatingIfNeeded: ((first &* 0x9E37_79B9_7F4A_7C15) ^ (second &* 0xC2B2_AE3D_27D4_EB4F)) >> 54) & (Self.slots - 1)
        if keys[2 * slot] == first, keys[2 * slot + 1] == second { return strings[slot] }
        let string = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
        keys[2 * slot] = first
        keys[2 * slot + 1] = second
        strings[slot] = string
        return string
    }
}
