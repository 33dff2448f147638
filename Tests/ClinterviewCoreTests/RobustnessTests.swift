import Foundation
import Testing

@testable import ClinterviewCore

/// Hostile inputs get an error that says where, never a crash or a hang.
@Suite struct RobustnessTests {
    func codes(_ text: String) -> [String] {
        load(text).errors.map(\.code.rawValue)
    }

    /// A definition written on one line (as programs write JSON) with a
    /// problem in every item: each message is placed without counting the
    /// line from its start.
    @Test func manyProblemsOnOneLongLine() {
        let items = (0..<3_000).map { #"{"id": "A\#($0)", "kind": "choice", "scale": "nowhere", "prompt": "p"}"# }
        let text = interviewJSON(items: items.joined(separator: ", ")).replacingOccurrences(of: "\n", with: " ")
        let errors = load(text).errors
        #expect(errors.count == 3_000)
        let bytes = Array(text.utf8)
        let columns = bytes.indices.filter { bytes[$0...].starts(with: Array(#""nowhere""#.utf8)) }.map { $0 + 1 }
        #expect(errors.map(\.location.column) == columns)
        #expect(errors.allSatisfy { $0.location.line == 1 })
    }

    @Test func nestingTenThousandDeep() {
        let text = "{\"format\": " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}"
        let result = load(text)
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.message.contains("nesting is deeper than") == true)
    }

    @Test func hugeNumbers() {
        #expect(
            codes(interviewJSON(items: #"{ "id": "N", "kind": "integer", "prompt": "p", "max": 1e999 }"#)) == [
                "json-syntax"
            ])
        let tooBig = load(interviewJSON(items: #"{ "id": "N", "kind": "integer", "prompt": "p", "max": 1e300 }"#))
        #expect(tooBig.errors.map(\.message) == ["'max' of item 'N' is too large (at most 1e15)"])
        #expect(
            codes(
                interviewJSON(
                    items: #"{ "id": "N", "kind": "integer", "prompt": "p", "when": "99999999999999999999 > 1" }"#))
                == ["expression-syntax"])
        #expect(
            codes(
                interviewJSON(
                    items:
                        #"{ "id": "N", "kind": "choice", "prompt": "p", "options": [{ "code": 1e20, "label": "x" }] }"#)
            ) == ["wrong-type"])
    }

    @Test func duplicateKeysAndEmptyAndBinaryInput() {
        #expect(codes(#"{"format": "clinterview/1", "format": "clinterview/1"}"#) == ["json-syntax"])
        #expect(codes("") == ["json-syntax"])
        let binary = InterviewLoader.load(source: SourceFile(path: "b.json", bytes: [0x00, 0x01, 0xFF, 0xFE]))
        #expect(binary.errors.map(\.code.rawValue) == ["json-syntax"])
        let utf16 = InterviewLoader.load(
            source: SourceFile(path: "u.json", bytes: [0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00]))
        #expect(utf16.errors.count == 1)
    }

    @Test func aLargeFileIsParsedOrRefusedWithAMessage() {
        // 8 MB in one string; the CLI end-to-end check tries 100 MB on the release build.
        let big =
            "{\"format\": \"clinterview/1\", \"id\": \"x\", \"version\": \"1\", \"title\": \""
            + String(repeating: "a", count: 8_000_000) + "\", \"modules\": 5}"
        let result = load(big)
        #expect(result.errors.map(\.message) == ["'modules' must be an array, but is a number"])
    }

    @Test func longOperatorChainsAreRefusedBeforeTheyCanExhaustTheStack() {
        let chain = Array(repeating: "A1 == 3", count: 5_000).joined(separator: " or ")
        let result = load(
            interviewJSON(items: ratingItems, rules: #""criteria": [{ "id": "c", "label": "c", "rule": "\#(chain)" }]"#)
        )
        #expect(result.errors.map(\.code.rawValue) == ["expression-syntax"])
        #expect(result.errors.first?.message.contains("tokens") == true)
        let parens = String(repeating: "(", count: 5_000) + "true" + String(repeating: ")", count: 5_000)
        #expect(
            codes(interviewJSON(items: #"{ "id": "N", "kind": "yesno", "prompt": "p", "when": "\#(parens)" }"#)) == [
                "expression-syntax"
            ])
        // The largest allowed expression, nested as deep as allowed, is checked and evaluated on a test thread's stack.
        let allowed =
            Array(repeating: "A1 == 3", count: 150).joined(separator: " or ")
            + " or " + String(repeating: "not (", count: 30) + "A2 == 3" + String(repeating: ")", count: 30)
        let largest = load(
            interviewJSON(
                items: ratingItems,
                rules:
                    #""criteria": [{ "id": "c", "label": "c", "rule": "\#(allowed)" }], "diagnoses": [{ "id": "d", "label": "d", "rule": "c" }]"#
            ))
        #expect(largest.errors.isEmpty)
        if let interview = largest.interview {
            var session = Session(interview: interview)
            session.answer(.code("1"))
            session.answer(.code("1"))
            #expect(session.evaluate().diagnosis("d")?.status == .notMet)
        }
    }

    @Test func longChainsOfRulesAreRefused() {
        var values = [#"{ "id": "v0", "expr": "1" }"#]
        for i in 1...100 { values.append(#"{ "id": "v\#(i)", "expr": "v\#(i - 1) + 1" }"#) }
        let result = load(interviewJSON(items: ratingItems, rules: "\"values\": [\(values.joined(separator: ", "))]"))
        #expect(result.errors.map(\.code.rawValue) == ["too-deep"])
        #expect(result.errors.first?.message.contains("'v64'") == true)
    }

    @Test func controlCharactersAndEscapesInIdsAreRejected() {
        #expect(
            codes(interviewJSON(items: #"{ "id": "A\u001b[2J", "kind": "yesno", "prompt": "p" }"#)) == ["invalid-id"])
        #expect(codes(interviewJSON(items: #"{ "id": "1A", "kind": "yesno", "prompt": "p" }"#)) == ["invalid-id"])
        #expect(codes(interviewJSON(items: #"{ "id": "not", "kind": "yesno", "prompt": "p" }"#)) == ["invalid-id"])
        let unsafeInterviewID = interviewJSON(items: #"{ "id": "Q", "kind": "yesno", "prompt": "p" }"#)
            .replacingOccurrences(of: #""id": "t""#, with: #""id": "../x y""#)
        #expect(codes(unsafeInterviewID) == ["invalid-id"])
    }

    @Test func anInvertedRangeIsAnErrorNotACrash() {
        let result = load(
            interviewJSON(items: #"{ "id": "N", "kind": "integer", "prompt": "p", "min": 10, "max": 5 }"#))
        #expect(result.errors.map(\.code.rawValue) == ["wrong-type"])
        let item = Item(
            id: "N", kind: .integer(range: NumericRange(min: 10, max: 5, unit: nil)), prompt: LocalizedText("p"),
            probes: [],
            notesAllowed: true, isRequired: false, checks: [], section: 0, offset: 0)
        #expect(item.numericBounds == -Double.infinity...Double.infinity)
    }
}
