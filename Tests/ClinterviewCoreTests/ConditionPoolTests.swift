import Testing
@testable import ClinterviewCore

/// Condition texts are compiled in chunks by a helper thread and the loading
/// thread together; what comes out must not depend on who took which chunk.
@Suite struct ConditionPoolTests {
    static let texts: [String] = (0..<700).map { i in
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

    func checker() throws -> ExpressionChecker {
        let interview = try loadOrFail(interviewJSON(items: ratingItems, rules: """
        "values": [{ "id": "v1", "expr": "A1 + A2" }],
        "criteria": [{ "id": "c1", "label": "c", "rule": "A1 >= 2" }]
        """))
        return ExpressionChecker(items: interview.items, itemIndex: interview.itemIndex, ruleIndex: interview.ruleIndex,
                                 ruleTypes: [], ruleKinds: interview.rules.map(\.kind))
    }

    func describe(_ outcome: ConditionPool.Outcome) -> String {
        switch outcome {
        case .namesARule: "names a rule"
        case .compiled(.success(let (expression, lookBacks))): "\(expression) \(lookBacks.map { "\($0.name)@\($0.offset)<\($0.latestItem)" })"
        case .compiled(.failure(let error)): "\(error.code) \(error.offset) \(error.message)"
        }
    }

    @Test(arguments: [(1, false), (1, true), (7, true), (64, true), (1_000, true)])
    func outcomesDoNotDependOnChunksOrThreads(chunkSize: Int, helper: Bool) throws {
        let checker = try checker()
        let alone = Self.texts.map { text -> String in
            let pool = ConditionPool(texts: [text], checker: checker, chunkSize: 1)
            return describe(pool.finish()[0])
        }
        let pool = ConditionPool(texts: Self.texts, checker: checker, chunkSize: chunkSize)
        if helper { pool.startHelper() }
        #expect(pool.finish().map(describe) == alone)
    }

    @Test func onlyTextsNamingARuleWaitForTheRules() throws {
        let outcomes = ConditionPool(texts: Self.texts, checker: try checker(), chunkSize: 16).finish()
        for (text, outcome) in zip(Self.texts, outcomes) {
            let waits = if case .namesARule = outcome { true } else { false }
            #expect(waits == (text.contains("c1") || text.contains("v1")), "\(text)")
        }
        #expect(outcomes.contains { if case .compiled(.failure(let error)) = $0 { error.code == "unknown-code" } else { false } })
        #expect(outcomes.contains { if case .compiled(.failure(let error)) = $0 { error.code == "expression-syntax" } else { false } })
    }
}
