import ClinterviewTestSupport
import Testing

@testable import ClinterviewCore

@Suite struct JSONParserTests {
    func parse(_ text: String) throws(JSONParseError) -> JSONNode {
        try JSONParser.parse(Array(text.utf8))
    }

    func error(_ bytes: [UInt8]) -> (SourcePosition, String)? {
        do {
            _ = try JSONParser.parse(bytes)
            return nil
        } catch {
            return (SourceFile(path: "x", bytes: bytes).location(ofByte: error.offset), error.message)
        }
    }

    func error(_ text: String) -> (SourcePosition, String)? { error(Array(text.utf8)) }

    @Test func parsesValuesAndKeepsPositions() throws {
        let node = try parse(
            "{\n  \"a\": [1, 2.5, -3e2],\n  \"b\": {\"c\": null, \"d\": true},\n  \"é\": \"x\\u00e9\\n\"\n}")
        guard case .object(let object) = node.value else { Issue.record("not an object"); return }
        #expect(object.members.map(\.key) == ["a", "b", "é"])
        let source = SourceFile(
            path: "x",
            text: "{\n  \"a\": [1, 2.5, -3e2],\n  \"b\": {\"c\": null, \"d\": true},\n  \"é\": \"x\\u00e9\\n\"\n}")
        #expect(source.location(ofByte: object.members[1].keyOffset) == SourcePosition(line: 3, column: 3))
        guard case .array(let numbers) = object["a"]?.value else { Issue.record("not an array"); return }
        #expect(numbers.compactMap { if case .number(let n) = $0.value { n.value } else { nil } } == [1, 2.5, -300])
        #expect(source.location(ofByte: numbers[2].offset) == SourcePosition(line: 2, column: 17))
        guard case .string(let text) = object["é"]?.value else { Issue.record("not a string"); return }
        #expect(text == "xé\n")
        #expect(object["é"]?.verbatimContentOffset == nil)
    }

    @Test func columnsCountCharactersNotBytes() {
        let source = SourceFile(path: "x", text: "{\"日本\": 1, \"x\": @}")
        let bytes = Array("{\"日本\": 1, \"x\": ".utf8).count
        #expect(source.location(ofByte: bytes) == SourcePosition(line: 1, column: 16))
    }

    @Test(arguments: [
        ("", 1, 1, "the file is empty"),
        ("   \n  ", 2, 3, "the file is empty"),
        ("{\"a\": 1,}", 1, 9, "trailing comma"),
        ("[1, 2,]", 1, 7, "trailing comma"),
        ("{\"a\": 1 \"b\": 2}", 1, 9, "expected ',' or '}'"),
        ("{\"a\": 1, \"a\": 2}", 1, 10, "duplicate key \"a\""),
        ("{\"a\": tru}", 1, 7, "expected 'true'"),
        ("{\"a\": 01}", 1, 7, "leading zeros"),
        ("{\"a\": 1e999}", 1, 7, "too large"),
        ("{\"a\": -1e400}", 1, 7, "too large"),
        ("\"abc", 1, 1, "unterminated string"),
        ("\"a\tb\"", 1, 3, "control character"),
        ("{\"a\": \"\\x\"}", 1, 8, "invalid escape"),
        ("{\"a\": \"\\ud800\"}", 1, 8, "unpaired surrogate"),
        ("{} {}", 1, 4, "after the end"),
        ("{\n  \"a\": [1,\n  2", 3, 4, "unexpected end of file"),
        ("{'a': 1}", 1, 2, "expected a key in double quotes"),
    ])
    func reportsWhereAndWhy(text: String, line: Int, column: Int, message: String) throws {
        let (location, text) = try #require(error(text))
        #expect(location == SourcePosition(line: line, column: column))
        #expect(text.contains(message), "\(text)")
    }

    /// Small objects are scanned for duplicates and larger ones hashed: a
    /// duplicate must be found at any position and object size, at its key.
    @Test(arguments: [2, 15, 16, 17, 40, 100, 1_000])
    func findsDuplicateKeysInObjectsOfAnySize(size: Int) throws {
        let keys = (0..<size).map { "k\($0)" }
        #expect(error("{" + keys.map { "\"\($0)\": 1" }.joined(separator: ", ") + "}") == nil)
        for first in [0, size / 2, size - 1] {
            let text = "{" + (keys + [keys[first]]).map { "\"\($0)\": 1" }.joined(separator: ", ") + "}"
            let (location, message) = try #require(error(text))
            #expect(message.contains("duplicate key \"\(keys[first])\""))
            let offset = text.utf8.count - "\"\(keys[first])\": 1}".utf8.count
            #expect(location == SourceFile(path: "x", text: text).location(ofByte: offset))
        }
    }

    /// Short integers are read without Double(String): the same values, signs and kinds.
    /// Strings are passed sixteen plain bytes at a time: escapes, other
    /// scripts, control characters and bad UTF-8 must be found wherever they
    /// fall in a chunk.
    @Test func stringsDecodeAndFailAtTheirBytesAcrossChunks() throws {
        let pieces: [(json: [UInt8], decoded: [UInt8], bad: Int?)] = [
            (Array("\\n".utf8), [0x0A], nil), (Array("\\\"".utf8), [0x22], nil),
            (Array("\\u00e9".utf8), Array("é".utf8), nil),
            (Array("é".utf8), Array("é".utf8), nil), (Array("😀".utf8), Array("😀".utf8), nil),
            (Array("~ ".utf8), Array("~ ".utf8), nil),
            ([0x01], [], 0), ([0xFF], [], 0), ([0xC3], [], 0),
        ]
        var rng = SplitMix64(state: 53)
        for round in 0..<4_000 {
            var json: [UInt8] = Array("[\"".utf8), decoded: [UInt8] = [], failsAt: Int?
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                let run = (0..<Int.random(in: 0...40, using: &rng)).map { _ in
                    UInt8.random(in: 0x61...0x7A, using: &rng)
                }
                json += run
                decoded += run
                if Int.random(in: 0..<3, using: &rng) == 0 { continue }
                let piece = pieces[Int.random(in: 0..<(round % 4 == 0 ? pieces.count : 6), using: &rng)]
                if let bad = piece.bad, failsAt == nil { failsAt = json.count + bad }
                json += piece.json
                decoded += piece.decoded
            }
            json += Array("\"]".utf8)
            do {
                let node = try JSONParser.parse(json)
                #expect(failsAt == nil, "round \(round)")
                guard case .array(let elements) = node.value, case .string(let value) = elements.first?.value else {
                    Issue.record("round \(round): not a string")
                    continue
                }
                #expect(Array(value.utf8) == decoded, "round \(round)")
            } catch {
                #expect(error.offset == failsAt, "round \(round): \(error.message)")
            }
        }
    }

    @Test func readsIntegersAsDoubleWould() throws {
        let literals = [
            "0", "-0", "7", "-42", "123456789012345", "-12345678901234", "1234567890123456", "9007199254740993",
            "1.5", "2e3", "-0.0",
        ]
        for literal in literals {
            guard case .number(let number) = try parse(literal).value else {
                Issue.record("not a number: \(literal)"); continue
            }
            #expect(number.value.bitPattern == Double(literal)!.bitPattern, "\(literal)")
            #expect(number.isIntegerLiteral == !literal.contains(where: { $0 == "." || $0 == "e" }), "\(literal)")
        }
    }

    @Test func rejectsInvalidUTF8() throws {
        let (location, message) = try #require(error([0x7B, 0x22, 0x61, 0xFF, 0x22, 0x3A, 0x31, 0x7D]))
        #expect(location == SourcePosition(line: 1, column: 4))
        #expect(message.contains("UTF-8"))
        let (_, overlong) = try #require(error([0x22, 0xC0, 0xAF, 0x22]))
        #expect(overlong.contains("UTF-8"))
        let (_, surrogate) = try #require(error([0x22, 0xED, 0xA0, 0x80, 0x22]))
        #expect(surrogate.contains("UTF-8"))
    }

    @Test func refusesDeepNestingWithoutRecursingFurther() throws {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let (location, message) = try #require(error(deep))
        #expect(message.contains("nesting is deeper than \(JSONParser.maximumDepth)"))
        #expect(location.column == JSONParser.maximumDepth + 2)
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: Never.self) { _ = try parse(fine) }
    }

    @Test func skipsAByteOrderMark() throws {
        let node = try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("[true]".utf8))
        guard case .array(let elements) = node.value, case .bool(true) = elements.first?.value else {
            Issue.record("BOM not skipped")
            return
        }
    }

    @Test func decodesSurrogatePairs() throws {
        let node = try parse("\"\\ud83d\\ude00\"")
        guard case .string(let text) = node.value else { Issue.record("not a string"); return }
        #expect(text == "😀")
    }

    /// Output strings, with or without anything to escape, read back as written.
    @Test func writtenStringsReadBackTheSame() throws {
        var rng = SplitMix64(state: 11)
        let pieces = [
            "a", "Z", " ", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}", "\u{85}", "é", "日", "😀",
            "e\u{301}", "/", "'",
        ]
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }
                .joined()
            let written = JSONOutput.object([("k", .string(text)), (text, .array([.string(text)]))]).serialized()
            let node = try JSONParser.parse(Array(written.utf8))
            guard case .object(let object) = node.value, case .string(let back)? = object["k"]?.value,
                case .array(let list)? = object[text]?.value, case .string(let again)? = list.first?.value
            else {
                Issue.record("\(written.debugDescription) did not read back")
                continue
            }
            #expect(back == text && again == text, "\(text.debugDescription)")
        }
    }

    /// Short strings are kept and handed out again by their bytes: every
    /// string read back is the one written, whether it was met before, took
    /// another's place, ends at a word boundary or stands near the file's end.
    @Test func shortStringsComeBackAsWritten() throws {
        var generator = SplitMix64(state: 3)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz_0123456789é😀\u{0}")
        var pool: [String] = (0..<3_000).map { _ in
            String(
                (0..<Int.random(in: 0...18, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
        }
        pool += ["a", "a\u{0}", "abcdefgh", "abcdefgh\u{0}", "abcdefghijklmno", "abcdefghijklmnop"]
        // Strings that differ only in their last byte, at every length kept.
        let twins = (1...16).flatMap { length in ["x", "y"].map { String("abcdefghijklmnop".prefix(length - 1)) + $0 } }
        let written =
            (0..<20_000).map { _ in pool.randomElement(using: &generator)! } + twins + twins.reversed() + twins
        func literal(_ text: String) -> String {
            "\"" + text.unicodeScalars.map { $0.value == 0 ? "\\u0000" : String($0) }.joined() + "\""
        }
        for tail in ["", " "] {
            let text = "[" + written.map(literal).joined(separator: ",") + "]" + tail
            let node = try parse(text)
            guard case .array(let values) = node.value else { Issue.record("not an array"); return }
            let read = values.map { value -> String in if case .string(let text) = value.value { text } else { "?" } }
            #expect(read == written)
        }
    }
}

/// Strings are written in runs between the bytes that need escaping; the
/// output must be what escaping byte by byte gives.
@Suite struct JSONStringOutputTests {
    static func quotedByteByByte(_ s: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += #"\""#.utf8
            case UInt8(ascii: "\\"): out += #"\\"#.utf8
            case UInt8(ascii: "\n"): out += #"\n"#.utf8
            case UInt8(ascii: "\r"): out += #"\r"#.utf8
            case UInt8(ascii: "\t"): out += #"\t"#.utf8
            case 0..<0x20, 0x7F:
                let hex = Array("0123456789abcdef".utf8)
                out += Array(#"\u00"#.utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        return out + [UInt8(ascii: "\"")]
    }

    @Test func runsAndEscapesAsByteByByte() {
        let pieces = [
            "a", "Sleep", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}", "é", "日本", "👩‍⚕️", " ", "x\"y",
            "long text of more than fifteen bytes",
        ]
        var rng = SplitMix64(state: 5)
        var texts = ["", "\"", "\\\\", "\u{7F}\u{7F}"]
        for _ in 0..<3_000 {
            texts.append(
                (0..<Int.random(in: 0...8, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined())
        }
        for text in texts {
            var out: [UInt8] = []
            JSONOutput.appendQuoted(text, to: &out)
            #expect(out == Self.quotedByteByByte(text), "\(text.debugDescription)")
        }
    }
}
