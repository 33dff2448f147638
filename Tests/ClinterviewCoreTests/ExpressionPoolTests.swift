import Testing
@testable import ClinterviewCore

/// Rules and condition texts are compiled in chunks by a helper thread and the
/// loading thread together; what comes out must not depend on who took which
/// chunk.
@Suite struct ExpressionPoolTests {
    static let conditions: [String] = (0..<490).map { i in
        switch i % 7 {
        case 0: "A\(1 + i % 9) >= 2"
        case 1: "c1 and A2 == 3"
        case 2: "A\(1 + i % 9) == 7"
        case 3: "answered(A1) and (A2 == \(1 + i % 3) or A3 >= 2)"
        case 4: "unknown_\(i) > 1"
        case 5: "count(A1..A9, == 3) >= \(i % 5) or v1 > 2"
        default: "A1 >= (2"
        }
    }

    static let rules: [ExpressionPool.RuleJob] = (0..<210).map { i in
        switch i % 3 {
        case 0: .init(text: "count(A\(1 + i % 5)..A9, == 3)", expected: i % 6 == 3 ? .bool : nil)
        case 1: .init(text: "v1 + A\(1 + i % 9)", expected: .number)
        default: .init(text: "A1 >= 2 and (A2", expected: .bool)
        }
    }

    func checker() throws -> ExpressionChecker {
        let interview = try loadOrFail(interviewJSON(items: ratingItems, rules: """
        "values": [{ "id": "v1", "expr": "A1 + A2" }],
        "criteria": [{ "id": "c1", "label": "c", "rule": "A1 >= 2" }]
        """))
        return ExpressionChecker(items: interview.items, itemIndex: interview.itemIndex, ruleIndex: interview.ruleIndex,
                                 ruleTypes: [], ruleKinds: interview.rules.map(\.kind))
    }

    func describe(_ outcome: ExpressionPool.Outcome) -> String {
        switch outcome {
        case .namesARule(let tree): "names a rule: \(tree.nodes.count) nodes"
        case .condition(.success(let (expression, lookBacks))): "\(expression) \(lookBacks.map { "\($0.name)@\($0.offset)<\($0.latestItem)" })"
        case .rule(.success(let (expression, type, items))): "\(expression): \(type) \(items.sorted())"
        case .condition(.failure(let error)), .rule(.failure(let error)): "\(error.code) \(error.offset) \(error.message)"
        }
    }

    @Test(arguments: [(1, false), (1, true), (7, true), (64, true), (1_000, true)])
    func outcomesDoNotDependOnChunksOrThreads(chunkSize: Int, helper: Bool) throws {
        let checker = try checker()
        let alone = Self.rules.map { rule in
            describe(ExpressionPool(rules: [rule], conditions: [], checker: checker, chunkSize: 1).finish()[0])
        } + Self.conditions.map { text in
            describe(ExpressionPool(rules: [], conditions: [text], checker: checker, chunkSize: 1).finish()[0])
        }
        let pool = ExpressionPool(rules: Self.rules, conditions: Self.conditions, checker: checker, chunkSize: chunkSize)
        if helper { pool.startHelper() }
        #expect(pool.finish().map(describe) == alone)
    }

    @Test func onlyExpressionsNamingARuleWaitForTheRules() throws {
        let outcomes = ExpressionPool(rules: Self.rules, conditions: Self.conditions, checker: try checker(), chunkSize: 16).finish()
        #expect(outcomes.count == Self.rules.count + Self.conditions.count)
        for (rule, outcome) in zip(Self.rules, outcomes) {
            switch outcome {
            case .namesARule: #expect(rule.text.contains("v1"), "\(rule.text)")
            case .rule: #expect(!rule.text.contains("v1"), "\(rule.text)")
            case .condition: Issue.record("a rule came back as a condition: \(rule.text)")
            }
        }
        for (text, outcome) in zip(Self.conditions, outcomes.dropFirst(Self.rules.count)) {
            switch outcome {
            case .namesARule: #expect(text.contains("c1") || text.contains("v1"), "\(text)")
            case .condition: #expect(!text.contains("c1") && !text.contains("v1"), "\(text)")
            case .rule: Issue.record("a condition came back as a rule: \(text)")
            }
        }
        let errors = outcomes.compactMap { outcome -> String? in
            switch outcome {
            case .condition(.failure(let error)), .rule(.failure(let error)): error.code
            default: nil
            }
        }
        #expect(Set(errors) == ["unknown-code", "unknown-reference", "expression-syntax", "type-mismatch"])
    }

    @Test func aRuleNamingOnlyItemsComesWithItsTypeAndItems() throws {
        let rule = ExpressionPool.RuleJob(text: "count(A3..A5, == 3) + A1", expected: .number)
        let outcome = ExpressionPool(rules: [rule], conditions: [], checker: try checker(), chunkSize: 1).finish()[0]
        guard case .rule(.success(let (_, type, items))) = outcome else {
            Issue.record("not compiled: \(describe(outcome))")
            return
        }
        #expect(type == .number)
        #expect(items == [0, 2, 3, 4])
    }
}
