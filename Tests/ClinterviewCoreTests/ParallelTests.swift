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

/// Distinct condition texts are compiled in parts on every core when there
/// are many; every place must still get its own expression or error.
@Suite struct ParallelConditionTests {
    static let count = 1_200

    func definition(faults: Bool) -> String {
        let items = (0..<Self.count).map { i -> String in
            var condition = i == 0 ? nil : "A\(i - 1) >= 2 or A0 == \(1 + i % 3)"
            if faults, i % 50 == 7 { condition = "A\(i - 1) == 7" }
            if faults, i % 70 == 9 { condition = "A\(i + 1) >= 2" }
            let when = condition.map { ", \"when\": \"\($0)\"" } ?? ""
            return "{ \"id\": \"A\(i)\", \"kind\": \"rating\", \"prompt\": \"p\"\(when) }"
        }
        return interviewJSON(items: items.joined(separator: ",\n"))
    }

    @Test func everyPlaceGetsItsOwnResult() throws {
        #expect(Self.count / LoaderRun.minimumConditionsPerPart >= 2, "must be split on two cores")
        let faulty = load(definition(faults: true)).errors
        let expected = (0..<Self.count).filter { $0 % 50 == 7 || $0 % 70 == 9 }.count
        #expect(faulty.count == expected)
        #expect(Set(faulty.map(\.location.line)).count == expected)
        #expect(faulty.filter { $0.code == "unknown-code" }.count == (0..<Self.count).filter { $0 % 50 == 7 && $0 % 70 != 9 }.count)

        let interview = try loadOrFail(definition(faults: false))
        for (index, item) in interview.items.enumerated().dropFirst() {
            let condition = try #require(item.condition)
            #expect(condition.source == "A\(index - 1) >= 2 or A0 == \(1 + index % 3)")
            #expect(condition.expression.directReferences.items == [0, index - 1], "item \(index)")
        }
        var session = Session(interview: interview, clock: .fixed(.init(timeIntervalSince1970: 0)))
        _ = session.answer(.code("2"))
        _ = session.answer(.code("1"))
        // A0 = 2, A1 = 1: A2 (A1 >= 2 or A0 == 3) and A3 (A2 >= 2 or A0 == 1) are off, A4 (A3 >= 2 or A0 == 2) is on.
        #expect(Array(session.route.prefix(5)) == [true, true, false, false, true])
    }
}

@Suite struct ParallelResultsTests {
    @Test(arguments: [0, 1, 2, 3, 50, 1_000])
    func resultsComeBackInOrder(count: Int) {
        #expect(ParallelResults<Int>.map(count) { $0 * $0 } == (0..<count).map { $0 * $0 })
    }
}
