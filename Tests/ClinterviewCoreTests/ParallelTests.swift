import Foundation
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
        #expect(Self.count / LoaderRun.minimumExpressionsForHelper >= 2, "must be compiled on two threads")
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

@Suite struct InOrderResultsTests {
    @Test(arguments: [0, 1, 2, 3, 50, 1_000])
    func resultsComeBackInOrder(count: Int) {
        #expect(InOrderResults.map(count) { $0 * $0 } == (0..<count).map { $0 * $0 })
    }

    @Test(arguments: [0, 1, 2, 3, 50, 1_000])
    func resultsAreTakenInOrder(count: Int) {
        // Early pieces take longest, so later ones are done first.
        let taken = InOrderResults.run(count, into: [Int](), { index in
            if index % 7 == 0 { usleep(UInt32(50 * (7 - index % 5))) }
            return index * index
        }) { taken, square in taken.append(square) }
        #expect(taken == (0..<count).map { $0 * $0 })
    }

    @Test func resultsAreTakenBeforeTheLastPieceIsDone() {
        let firstTaken = DispatchSemaphore(value: 0)
        let count = 200
        let waitedInVain = InOrderResults.run(count, into: false, { index in
            // The last piece is done only once the first result has been taken.
            index == count - 1 && firstTaken.wait(timeout: .now() + 10) == .timedOut
        }) { waitedInVain, lastWaitedInVain in
            firstTaken.signal()
            waitedInVain = waitedInVain || lastWaitedInVain
        }
        #expect(!waitedInVain)
    }
}

/// Rules that name only items are compiled on two threads with the
/// conditions, before the rules that name rules are ordered and checked:
/// each must still get its own expression, items and errors.
@Suite struct ParallelRuleTests {
    static let count = 300

    static func valueRule(_ i: Int, faults: Bool) -> String {
        if faults, i % 50 == 13 { return "A\(i) +" }
        if faults, i % 50 == 17 { return "count(A\(i)..A\(i + 2), == 7)" }
        return "count(A\(i)..A\(min(i + 3, count - 1)), == 3)"
    }

    static func criterionRule(_ i: Int, faults: Bool) -> String {
        if faults, i % 50 == 21 { return "v\(i) and A0 == 1" }
        return "v\(i) >= 2"
    }

    func definition(faults: Bool) -> String {
        let items = (0..<Self.count).map { i in
            let when = i == Self.count - 1 ? ", \"when\": \"c3 or A0 == 2\"" : ""
            return "{ \"id\": \"A\(i)\", \"kind\": \"rating\", \"prompt\": \"p\"\(when) }"
        }
        let values = (0..<Self.count).map { "{ \"id\": \"v\($0)\", \"expr\": \"\(Self.valueRule($0, faults: faults))\" }" }
        var criteria = (0..<Self.count).map { "{ \"id\": \"c\($0)\", \"label\": \"c\", \"rule\": \"\(Self.criterionRule($0, faults: faults))\" }" }
        if faults {
            criteria += ["{ \"id\": \"x1\", \"label\": \"x\", \"rule\": \"x2 and A1 == 1\" }", "{ \"id\": \"x2\", \"label\": \"x\", \"rule\": \"x1\" }"]
        }
        return interviewJSON(items: items.joined(separator: ",\n"), rules: """
        "values": [\(values.joined(separator: ",\n"))],
        "criteria": [\(criteria.joined(separator: ",\n"))],
        "scores": [{ "id": "total", "label": "t", "expr": "sum(A0..A\(Self.count - 1))" }]
        """)
    }

    @Test func everyRuleGetsItsOwnResult() throws {
        #expect(2 * Self.count / LoaderRun.minimumExpressionsForHelper >= 2, "must be compiled on two threads")
        let text = definition(faults: true)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func line(of id: String) -> Int { 1 + lines.firstIndex { $0.contains("\"id\": \"\(id)\"") }! }
        let errors = load(text).errors
        let expected = (0..<Self.count).flatMap { i -> [String] in
            var found: [String] = []
            if i % 50 == 13 { found.append("expression-syntax \(line(of: "v\(i)"))") }
            if i % 50 == 17 { found.append("unknown-code \(line(of: "v\(i)"))") }
            if i % 50 == 21 { found.append("type-mismatch \(line(of: "c\(i)"))") }
            return found
        } + ["cycle \(line(of: "x1"))"]
        #expect(errors.map { "\($0.code) \($0.location.line)" }.sorted() == expected.sorted())

        let interview = try loadOrFail(definition(faults: false))
        for i in 0..<Self.count {
            let value = try #require(interview.ruleIndex["v\(i)"])
            let criterion = try #require(interview.ruleIndex["c\(i)"])
            #expect(interview.rules[value].expression.source == Self.valueRule(i, faults: false))
            #expect(interview.rules[criterion].expression.source == Self.criterionRule(i, faults: false))
            let items = Set(i...min(i + 3, Self.count - 1))
            #expect(interview.plan.ruleItems[value] == items, "v\(i)")
            #expect(interview.plan.ruleItems[criterion] == items, "c\(i)")
        }
        let total = try #require(interview.ruleIndex["total"])
        #expect(interview.plan.ruleItems[total] == Set(0..<Self.count))
        #expect(interview.items[Self.count - 1].condition?.expression.directReferences.rules == [try #require(interview.ruleIndex["c3"])])
    }
}
