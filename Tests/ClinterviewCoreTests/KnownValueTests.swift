import ClinterviewTestSupport
import Foundation
import Testing
@testable import ClinterviewCore

/// The evaluator first tries to compute a known value without intervals or
/// blockers, and falls back on the full three-valued evaluation. On random
/// interviews in random states, the route and every rule and condition must
/// come out exactly as with the full evaluation alone (values, intervals,
/// blockers, skipped items).
@Suite struct KnownValueTests {
    static let templates = [
        "count(R0..R5, == 3) >= %t", "count(R0..R5, in [2, 3]) >= %t", "count(R0..R5, != 1) < %t", "count(Y..Z) >= 1",
        "any(R0..R5, == 3)", "all(R0..R5, >= 2)", "sum(R0..R5) >= %s", "mean(R0..R5) > 1.5", "sum(Y..Z) >= 1",
        "answered_count(R0..R5) >= %t", "known_count(R0..R5) == %t", "answered(R%i) and R%i == 3",
        "not inadequate(R%i)", "R%i in [1, 3]", "R%i not in [2]", "weight(R%i) + weight(R%j) >= 4", "if(Y, N, 0) >= 3",
        "if(Y, R%i, R%j) == 3", "min(N, weight(R%i)) >= 2", "max(N, weight(R%i), 2) < 5", "abs(N - 5) <= 2",
        "round(N / 3) == 1", "-N < -2", "N * 2 > 7", "N / weight(R%i) > 1", "N / (N - N) > 1", "D >= 2 weeks",
        "D < 10 days or Y", "Y or R%i == 3", "not Y and R%i >= 2", "has(M, 'a')", "size(M) >= 2", "mean(R%i..R5) >= 2",
        "v1 >= 2 or c0", "c1 and not c0", "v0 + v1 > 6", "R%i > R%j", "R%i == R%j", "if(c0, v0, v1) >= 2",
        "if(answered(R%i) and R%i == 3, 1, 0) + if(answered(R%j) and R%j >= 2, 1, 0) >= 1", "answered(Y) and Y == true",
        "if(Y, 1, 0) + N > 3", "R%i in [1, 3] or not (R%j != 2)", "count(R0..R5, not in [1]) > %t", "any(R0..R5, < 2)",
        "answered(R%i) and R%i < 2", "answered(N) and N >= %t", "3 <= R%i", "weight(Y) + sum(R0..R2) >= %s", "not answered(N)",
        // W gives two codes one weight; S weighs code 3 as 5: codes must not be compared by weight there.
        "W == 'b'", "answered(W) and W != 'a'", "W in ['a', 'c']", "count(W..S, in [3, 'c']) >= 1", "S == 3", "S >= 3",
        "count(R5..S, in [3]) >= 1", "any(R4..S, in [1])", "count(R5..S, == 3) >= 1", "weight(W) + weight(S) >= 3",
    ]

    func fill(_ template: String, _ rng: inout SplitMix64) -> String {
        var text = template
        for (mark, range) in [("%t", 0...6), ("%s", 2...18), ("%i", 0...5), ("%j", 0...5)] {
            while let found = text.range(of: mark) { text.replaceSubrange(found, with: String(Int.random(in: range, using: &rng))) }
        }
        return text
    }

    func definition(_ rng: inout SplitMix64) -> String {
        var items: [String] = []
        for index in 0..<6 {
            var fields = "\"id\": \"R\(index)\", \"kind\": \"rating\", \"prompt\": \"p\""
            if index > 0, Bool.random(using: &rng) {
                let earlier = Int.random(in: 0..<index, using: &rng)
                fields += ", \"when\": \"\(["R\(earlier) >= 2", "R\(earlier) != 1", "not inadequate(R\(earlier))"].randomElement(using: &rng)!)\""
            }
            items.append("{ \(fields) }")
        }
        items += [
            "{ \"id\": \"W\", \"kind\": \"choice\", \"prompt\": \"p\", \"options\": [{ \"code\": \"a\", \"label\": \"a\", \"weight\": 1 }, { \"code\": \"b\", \"label\": \"b\", \"weight\": 1 }, { \"code\": \"c\", \"label\": \"c\", \"weight\": 2 }, { \"code\": 3, \"label\": \"3\" }] }",
            "{ \"id\": \"S\", \"kind\": \"rating\", \"scale\": \"five\", \"prompt\": \"p\" }",
            "{ \"id\": \"Y\", \"kind\": \"yesno\", \"prompt\": \"p\"\(Bool.random(using: &rng) ? ", \"when\": \"R0 == 3\"" : "") }",
            "{ \"id\": \"Z\", \"kind\": \"yesno\", \"prompt\": \"p\" }",
            "{ \"id\": \"N\", \"kind\": \"integer\", \"prompt\": \"p\", \"min\": 0, \"max\": 10 }",
            "{ \"id\": \"D\", \"kind\": \"duration\", \"prompt\": \"p\" }",
            "{ \"id\": \"M\", \"kind\": \"multichoice\", \"prompt\": \"p\", \"options\": [{ \"code\": \"a\", \"label\": \"a\" }, { \"code\": \"b\", \"label\": \"b\" }, { \"code\": \"c\", \"label\": \"c\" }] }",
            "{ \"id\": \"L\", \"kind\": \"rating\", \"prompt\": \"p\", \"when\": \"\(fill(Self.templates[Int.random(in: 0..<33, using: &rng)], &rng))\" }",
        ]
        let values = (0..<2).map { "{ \"id\": \"v\($0)\", \"expr\": \"\(["sum(R0..R5)", "weight(R\($0))", "N + weight(R\($0))", "mean(R0..R5)", "count(R0..R5, == 3)"].randomElement(using: &rng)!)\" }" }
        let criteria = (0..<2).map { "{ \"id\": \"c\($0)\", \"label\": \"c\", \"rule\": \"\(fill(Self.templates[Int.random(in: 0..<33, using: &rng)], &rng))\" }" }
        let more = (0..<6).map { "{ \"id\": \"k\($0)\", \"label\": \"k\", \"rule\": \"\(fill(Self.templates.randomElement(using: &rng)!, &rng))\" }" }
        return """
        { "format": "clinterview/1", "id": "kv", "version": "1", "title": "K",
          "scales": [{ "id": "five", "options": [{ "code": 1, "label": "1" }, { "code": 3, "label": "3", "weight": 5 }, { "code": "c", "label": "c", "weight": 3 }] }],
          "modules": [{ "id": "m", "title": "M", "sections": [{ "id": "s", "title": "S", "items": [\(items.joined(separator: ", "))] }] }],
          "values": [\(values.joined(separator: ", "))],
          "criteria": [\((criteria + more).joined(separator: ", "))],
          "diagnoses": [{ "id": "d", "label": "d", "rule": "c0 and (c1 or k0)", "criteria": ["c0", "c1", "k0"] }],
          "scores": [{ "id": "t", "label": "t", "expr": "sum(R0..R5) + N" }] }
        """
    }

    func randomState(of item: Item, _ rng: inout SplitMix64) -> ItemState {
        if Int.random(in: 0..<4, using: &rng) == 0 { return .open }
        switch item.kind {
        case .rating(_, let options), .choice(let options):
            let option = options.randomElement(using: &rng)!
            return option.isUnknown ? .inadequate : .known(.code(option.code, weight: option.weight))
        case .yesNo: return .known(.bool(Bool.random(using: &rng)))
        case .integer: return .known(.number(Double(Int.random(in: 0...10, using: &rng))))
        case .duration: return .known(.duration(Double(Int.random(in: 0...40, using: &rng))))
        case .multipleChoice: return .known(.codes(["a", "b", "c"].filter { _ in Bool.random(using: &rng) }))
        default: return .open
        }
    }

    func evaluateAll(_ interview: Interview, _ states: [ItemState], knownFirst: Bool, compiled: Bool = false) -> ([Bool], [Outcome], [Outcome]) {
        var evaluator = Evaluator(walking: interview, store: DenseRouteStore(answers: states))
        evaluator.usesKnownValues = knownFirst
        evaluator.usesCompiledPrograms = compiled
        var moduleOn = [Bool?](repeating: nil, count: interview.modules.count)
        var sectionOn = [Bool?](repeating: nil, count: interview.sections.count)
        let route = interview.items.indices.map { evaluator.decideRoute(ofItem: $0, moduleOn: &moduleOn, sectionOn: &sectionOn) }
        let rules = interview.rules.indices.map { evaluator.evaluateRule($0) }
        let conditions = interview.items.compactMap(\.condition).map { evaluator.evaluate($0.expression) }
        return (route, rules, conditions)
    }

    @Test func knownValuesFirstChangeNoOutcome() throws {
        var rng = SplitMix64(state: 2026)
        var loaded = 0
        var decidedByKnownValues = 0
        for iteration in 0..<300 {
            let text = definition(&rng)
            guard let interview = load(text, path: "kv-\(iteration).json").interview else { continue }
            loaded += 1
            for _ in 0..<20 {
                let states = interview.items.map { randomState(of: $0, &rng) }
                let full = evaluateAll(interview, states, knownFirst: false)
                for (mode, fast) in [("known values", evaluateAll(interview, states, knownFirst: true)),
                                     ("compiled programs", evaluateAll(interview, states, knownFirst: true, compiled: true))] {
                    #expect(fast.0 == full.0, "\(mode): route, iteration \(iteration)")
                    for (index, (a, b)) in zip(fast.1, full.1).enumerated() {
                        #expect(a == b && a.low.bitPattern == b.low.bitPattern && a.high.bitPattern == b.high.bitPattern,
                                "\(mode): rule \(interview.rules[index].id) = \(interview.rules[index].expression.source), iteration \(iteration): \(a) vs \(b)")
                    }
                    #expect(fast.2.map(\.status) == full.2.map(\.status), "\(mode): conditions, iteration \(iteration)")
                }
                decidedByKnownValues += full.1.filter(\.isKnown).count
            }
        }
        // The generated interviews must mostly load, and many results be known, or the test proves little.
        #expect(loaded > 200)
        #expect(decidedByKnownValues > 10_000)
    }

    /// The loader keeps the items each rule depends on, found while checking,
    /// for the plan; they must be what walking the checked expressions finds.
    @Test func loaderRuleClosureIsTheExpressionsClosure() throws {
        var rng = SplitMix64(state: 77)
        var compared = 0
        var throughRules = 0
        var interviews = Array(ReplayTests.interviews.values)
        for iteration in 0..<300 {
            if let interview = load(definition(&rng), path: "closure-\(iteration).json").interview { interviews.append(interview) }
        }
        for interview in interviews {
            let reference = interview.computeRuleItemClosure()
            #expect(interview.plan.ruleItems == reference, "\(interview.path)")
            compared += reference.count
            throughRules += interview.rules.indices.filter { !interview.rules[$0].expression.expression.directReferences.rules.isEmpty }.count
        }
        #expect(compared > 1_000 && throughRules > 100, "\(compared) rules, \(throughRules) through rules")
    }

    /// Most of the generated conditions and rules must compile, or the
    /// comparison above says little about the programs.
    @Test func mostExpressionsCompile() throws {
        var rng = SplitMix64(state: 2026)
        var compiled = 0, total = 0
        for iteration in 0..<300 {
            guard let interview = load(definition(&rng), path: "kv-\(iteration).json").interview else { continue }
            let programs = interview.plan.programs
            compiled += programs.rules.filter { $0 >= 0 }.count + programs.conditionGroups.filter { $0 >= 0 }.count
            total += programs.rules.count + programs.conditionGroups.count
        }
        #expect(compiled * 10 > total * 6, "\(compiled) of \(total) compiled")
    }

    /// The peers' model: every condition and rule compiles.
    @Test func generatedModuleConditionsCompile() throws {
        let conditions = ["(answered(R0) and R0 >= 2)", "(answered(R0) and R0 == 3) or (answered(R1) and R1 == 3)"]
        let terms = (0..<6).map { "if(answered(R\($0)) and R\($0) == 3, 1, 0)" }.joined(separator: " + ")
        let items = (0..<6).map { index in
            "{ \"id\": \"R\(index)\", \"kind\": \"rating\", \"prompt\": \"p\"\(index < 2 ? "" : ", \"when\": \"\(conditions[index % 2])\"") }"
        }
        let text = """
        { "format": "clinterview/1", "id": "kv", "version": "1", "title": "K",
          "modules": [{ "id": "m", "title": "M", "sections": [{ "id": "s", "title": "S", "items": [\(items.joined(separator: ", "))] }] }],
          "values": [{ "id": "count", "expr": "\(terms)" }],
          "criteria": [{ "id": "c", "label": "c", "rule": "count >= 2" }],
          "scores": [{ "id": "t", "label": "t", "expr": "if(known_count(R0..R5) == 0, 0, round(mean(R0..R5) * known_count(R0..R5)))" }] }
        """
        let interview = try #require(load(text, path: "peers.json").interview)
        #expect(!interview.plan.programs.rules.contains(-1))
        #expect(!interview.plan.programs.conditionGroups.contains(-1))
    }
}
