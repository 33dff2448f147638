import Testing

@testable import ClinterviewCore

/// A condition text is parsed and checked once however often it repeats;
/// every place it stands must still get its own errors, at its own line.
@Suite struct RepeatedConditionTests {
    func item(_ id: String, when condition: String? = nil) -> String {
        let when = condition.map { ", \"when\": \"\($0)\"" } ?? ""
        return "{ \"id\": \"\(id)\", \"kind\": \"rating\", \"prompt\": \"p\"\(when) }"
    }

    func errors(_ items: [String]) -> [String] {
        load(interviewJSON(items: items.joined(separator: ",\n"))).errors.map {
            "\($0.location.line) \($0.code.rawValue)"
        }
    }

    @Test func aWrongTextRepeatedIsReportedAtEachPlace() {
        let found = errors([
            item("A1"), item("A2", when: "A1 == 7"), item("A3", when: "A1 == 7"), item("A4", when: "A1 == 7"),
        ])
        #expect(found.count == 3)
        #expect(Set(found).count == 3, "one line each: \(found)")
        #expect(found.allSatisfy { $0.hasSuffix("unknown-code") })
    }

    @Test func aForwardReferenceRepeatedIsReportedAtEachPlace() {
        let found = errors([
            item("A1", when: "A4 == 1"), item("A2", when: "A4 == 1"), item("A3"), item("A4"),
            item("A5", when: "A4 == 1"),
        ])
        #expect(found.count == 2, "\(found)")
        #expect(Set(found).count == 2, "one line each: \(found)")
        #expect(found.allSatisfy { $0.hasSuffix("forward-reference") })
    }

    @Test func repeatedTextsEvaluateAsWrittenOnce() throws {
        let interview = try loadOrFail(
            interviewJSON(
                items: [item("A1"), item("A2", when: "A1 >= 2"), item("A3", when: "A1 >= 2")].joined(separator: ",")))
        var session = Session(interview: interview, clock: .fixed(.init(timeIntervalSince1970: 0)))
        _ = session.answer(.code("2"))
        #expect(session.route == [true, true, true])
        var other = Session(interview: interview, clock: .fixed(.init(timeIntervalSince1970: 0)))
        _ = other.answer(.code("1"))
        #expect(other.route == [true, false, false])
    }

    func neverEnabledLines(_ json: String) -> [Int] {
        load(json).warnings.filter { $0.code == .neverEnabled }.map(\.location.line)
    }

    @Test func aConditionNeverTrueRepeatedIsWarnedAtEachPlace() {
        let never = "A1 == 1 and A1 == 2"
        let lines = neverEnabledLines(
            interviewJSON(
                items: [item("A1"), item("A2", when: never), item("A3"), item("A4", when: never)].joined(
                    separator: ",\n")))
        #expect(lines.count == 2 && Set(lines).count == 2, "\(lines)")
    }

    /// The same item condition under different section conditions is a different chain.
    @Test func theSameTextUnderAnotherGateIsSearchedAgain() {
        let sections = """
            [{ "id": "s1", "title": "S", "items": [\(item("A1")), \(item("A2", when: "A1 >= 2"))] },
             { "id": "s2", "title": "S", "when": "A1 == 1", "items": [\(item("A3", when: "A1 >= 2"))] }]
            """
        let warned = load(interviewJSON(items: "", sections: sections)).warnings.filter { $0.code == .neverEnabled }
            .map(\.message)
        #expect(warned.count == 1 && warned[0].hasPrefix("item 'A3'"), "only A3, under the gate A1 == 1: \(warned)")
    }
}
