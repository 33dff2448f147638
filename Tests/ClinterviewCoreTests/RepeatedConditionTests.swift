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
        load(interviewJSON(items: items.joined(separator: ",\n"))).errors.map { "\($0.location.line) \($0.code)" }
    }

    @Test func aWrongTextRepeatedIsReportedAtEachPlace() {
        let found = errors([item("A1"), item("A2", when: "A1 == 7"), item("A3", when: "A1 == 7"), item("A4", when: "A1 == 7")])
        #expect(found.count == 3)
        #expect(Set(found).count == 3, "one line each: \(found)")
        #expect(found.allSatisfy { $0.hasSuffix("unknown-code") })
    }

    @Test func aForwardReferenceRepeatedIsReportedAtEachPlace() {
        let found = errors([item("A1", when: "A4 == 1"), item("A2", when: "A4 == 1"), item("A3"), item("A4"), item("A5", when: "A4 == 1")])
        #expect(found.count == 2, "\(found)")
        #expect(Set(found).count == 2, "one line each: \(found)")
        #expect(found.allSatisfy { $0.hasSuffix("forward-reference") })
    }

    @Test func repeatedTextsEvaluateAsWrittenOnce() throws {
        let interview = try loadOrFail(interviewJSON(items: [item("A1"), item("A2", when: "A1 >= 2"), item("A3", when: "A1 >= 2")].joined(separator: ",")))
        var session = Session(interview: interview, clock: .fixed(.init(timeIntervalSince1970: 0)))
        _ = session.answer(.code("2"))
        #expect(session.route == [true, true, true])
        var other = Session(interview: interview, clock: .fixed(.init(timeIntervalSince1970: 0)))
        _ = other.answer(.code("1"))
        #expect(other.route == [true, false, false])
    }

    func neverEnabledLines(_ json: String) -> [Int] {
        load(json).warnings.filter { $0.code == "never-enabled" }.map(\.location.line)
    }

    @Test func aConditionNeverTrueRepeatedIsWarnedAtEachPlace() {
        let never = "A1 == 1 and A1 == 2"
        let lines = neverEnabledLines(interviewJSON(items: [item("A1"), item("A2", when: never), item("A3"), item("A4", when: never)].joined(separator: ",\n")))
        #expect(lines.count == 2 && Set(lines).count == 2, "\(lines)")
    }

    /// The same item condition under different section conditions is a different chain.
    @Test func theSameTextUnderAnotherGateIsSearchedAgain() {
        let sections = """
        [{ "id": "s1", "title": "S", "items": [\(item("A1")), \(item("A2", when: "A1 >= 2"))] },
         { "id": "s2", "title": "S", "when": "A1 == 1", "items": [\(item("A3", when: "A1 >= 2"))] }]
        """
        let warned = load(interviewJSON(items: "", sections: sections)).warnings.filter { $0.code == "never-enabled" }.map(\.message)
        #expect(warned.count == 1 && warned[0].hasPrefix("item 'A3'"), "only A3, under the gate A1 == 1: \(warned)")
    }
}

/// Ids and keys are tested on bytes: ids must be judged as the definition
/// written on Unicode scalars judges them.
@Suite struct IdentifierBytesTests {
    static let pieces = ["a", "Z", "_", "0", "9", "é", "e", "日", "😀", " ", "-", ".", "ab", "A1", "\u{301}", "z_9", "{", "`", "@", "[", "/", ":", "K", "\u{212A}"]

    static func referenceIsValid(_ id: String) -> Bool {
        func letter(_ s: Unicode.Scalar) -> Bool { s == "_" || ("a"..."z").contains(s) || ("A"..."Z").contains(s) }
        return id.unicodeScalars.first.map(letter) == true && id.unicodeScalars.allSatisfy { letter($0) || ("0"..."9").contains($0) }
    }

    @Test func idsAsScalarsWouldJudgeThem() {
        var rng = SplitMix64(state: 3)
        var valid = 0
        for _ in 0..<20_000 {
            let id = (0..<Int.random(in: 0...4, using: &rng)).map { _ in Self.pieces.randomElement(using: &rng)! }.joined()
            let expected = Self.referenceIsValid(id)
            #expect(LoaderRun.isValidID(id) == expected, "\(id.debugDescription)")
            if expected { valid += 1 }
        }
        #expect(valid > 1_000)
    }

    /// Keys are the same when their bytes are (as duplicate keys are found),
    /// not when Unicode takes them for equivalent ("K" and the Kelvin sign),
    /// whenever one of them is ASCII.
    @Test func keysCompareByBytes() {
        var rng = SplitMix64(state: 4)
        for _ in 0..<20_000 {
            let a = (0..<Int.random(in: 0...3, using: &rng)).map { _ in Self.pieces.randomElement(using: &rng)! }.joined()
            let b = Bool.random(using: &rng) ? a : (0..<Int.random(in: 0...3, using: &rng)).map { _ in Self.pieces.randomElement(using: &rng)! }.joined()
            guard a.utf8.allSatisfy({ $0 < 0x80 }) || b.utf8.allSatisfy({ $0 < 0x80 }) else { continue }
            #expect(isSameKey(a, b) == (Array(a.utf8) == Array(b.utf8)), "\(a.debugDescription) \(b.debugDescription)")
        }
    }
}

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
