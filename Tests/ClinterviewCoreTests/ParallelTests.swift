import Testing
@testable import ClinterviewCore

/// The never-enabled search runs in parts on every core for interviews with
/// many modules; it must warn exactly as one pass over all modules does.
@Suite struct ParallelLintTests {
    @Test func partsWarnAsOnePassDoes() throws {
        let modules = (0..<150).map { m in
            let never = m % 7 == 0 ? "A\(m)_1 == 1 and A\(m)_1 == 2" : "A\(m)_1 >= 2"
            return """
            { "id": "m\(m)", "title": "M", "sections": [{ "id": "s\(m)", "title": "S", "items": [
              { "id": "A\(m)_1", "kind": "rating", "prompt": "p" },
              { "id": "A\(m)_2", "kind": "rating", "prompt": "p", "when": "\(never)" },
              { "id": "A\(m)_3", "kind": "rating", "prompt": "p", "when": "A\(m)_1 == 1 and A\(m)_1 == 2" }] }] }
            """
        }.joined(separator: ",\n")
        let text = """
        { "format": "clinterview/1", "id": "t", "version": "1", "title": "T", "modules": [\(modules)] }
        """
        let result = load(text)
        let interview = try #require(result.interview, "\(result.diagnostics)")
        let analysis = RouteAnalysis(interview: interview)
        var onePass = DiagnosticSink(source: SourceFile(path: "t.json", text: text))
        Linter.warnNeverEnabled(interview, analysis, modules: 0..<interview.modules.count, &onePass)
        for parts in [1, 2, 3, 7] {
            var inParts = DiagnosticSink(source: SourceFile(path: "t.json", text: text))
            Linter.warnNeverEnabled(interview, analysis, parts: parts, &inParts)
            #expect(inParts.diagnostics.map(\.description) == onePass.diagnostics.map(\.description), "\(parts) parts")
        }
        #expect(onePass.diagnostics.count == 150 + 22)
        #expect(result.warnings.filter { $0.code == "never-enabled" }.count == 172)
    }
}

/// Distinct condition texts are compiled on two threads when there are many
/// (those naming a rule once the rules are checked); every place must still
/// get its own expression or error.
@Suite struct ParallelConditionTests {
    static let count = 1_200

    static func condition(_ i: Int) -> String? {
        if i == 0 { return nil }
        if i % 40 == 3 { return "gate or A\(i - 1) == 3" }
        return "A\(i - 1) >= 2 or A0 == \(1 + i % 3)"
    }

    func definition(faults: Bool) -> String {
        let items = (0..<Self.count).map { i -> String in
            var condition = Self.condition(i)
            if faults, i % 50 == 7 { condition = "A\(i - 1) == 7" }
            if faults, i % 70 == 9 { condition = "A\(i + 1) >= 2" }
            if faults, i % 90 == 11 { condition = "late and A\(i - 1) >= 2" }
            let when = condition.map { ", \"when\": \"\($0)\"" } ?? ""
            return "{ \"id\": \"A\(i)\", \"kind\": \"rating\", \"prompt\": \"p\"\(when) }"
        }
        return interviewJSON(items: items.joined(separator: ",\n"), rules: """
        "criteria": [{ "id": "gate", "label": "g", "rule": "A0 >= 2" }, { "id": "late", "label": "l", "rule": "A\(Self.count - 1) >= 2" }]
        """)
    }

    @Test func everyPlaceGetsItsOwnResult() throws {
        #expect(Self.count / LoaderRun.minimumConditionsForHelper >= 2, "must be compiled on two threads")
        let faulty = load(definition(faults: true)).errors
        let unknownCode = (0..<Self.count).filter { $0 % 50 == 7 && $0 % 70 != 9 && $0 % 90 != 11 }
        let forward = (0..<Self.count).filter { $0 % 70 == 9 || $0 % 90 == 11 }
        #expect(faulty.count == unknownCode.count + forward.count)
        #expect(Set(faulty.map(\.location.line)).count == faulty.count)
        #expect(faulty.filter { $0.code == "unknown-code" }.count == unknownCode.count)
        #expect(faulty.filter { $0.code == "forward-reference" && $0.message.contains("through criterion 'late'") }.count
                == (0..<Self.count).filter { $0 % 90 == 11 }.count)

        let interview = try loadOrFail(definition(faults: false))
        let gate = try #require(interview.ruleIndex["gate"])
        for (index, item) in interview.items.enumerated().dropFirst() {
            let condition = try #require(item.condition)
            #expect(condition.source == Self.condition(index))
            let references = condition.expression.directReferences
            #expect(references.items == (index % 40 == 3 ? [index - 1] : [0, index - 1]), "item \(index)")
            #expect(references.rules == (index % 40 == 3 ? [gate] : []), "item \(index)")
        }
        var session = Session(interview: interview, clock: .fixed(.init(timeIntervalSince1970: 0)))
        _ = session.answer(.code("2"))
        _ = session.answer(.code("1"))
        // A0 = 2, A1 = 1: A2 (A1 >= 2 or A0 == 3) is off, A3 (gate: A0 >= 2) is on, A4 (A3 >= 2 or A0 == 2) is on.
        #expect(Array(session.route.prefix(5)) == [true, true, false, true, true])
    }
}

@Suite struct ParallelResultsTests {
    @Test(arguments: [0, 1, 2, 3, 50, 1_000])
    func resultsComeBackInOrder(count: Int) {
        #expect(ParallelResults<Int>.map(count) { $0 * $0 } == (0..<count).map { $0 * $0 })
    }
}
