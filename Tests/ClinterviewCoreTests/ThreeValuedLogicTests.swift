import ClinterviewTestSupport
import Testing

@testable import ClinterviewCore

/// Kleene's strong three-valued logic over yes/no items: T, F, or U (unanswered).
@Suite struct ThreeValuedLogicTests {
    enum V: String, CaseIterable, CustomTestStringConvertible {
        case t, f, u
        var input: AnswerInput? {
            switch self {
            case .t: .bool(true)
            case .f: .bool(false)
            case .u: nil
            }
        }
        var testDescription: String { rawValue.uppercased() }
    }

    static let yesNoItems =
        "{ \"id\": \"Y1\", \"kind\": \"yesno\", \"prompt\": \"p\" }, { \"id\": \"Y2\", \"kind\": \"yesno\", \"prompt\": \"p\" }"

    func status(_ expression: String, _ a: V, _ b: V) throws -> Status {
        var answers: [String: AnswerInput] = [:]
        answers["Y1"] = a.input
        answers["Y2"] = b.input
        return try evaluateCriterion(expression, answers: answers, extraItems: Self.yesNoItems).0
    }

    static func expected(_ v: Bool?) -> Status { v.map { $0 ? .met : .notMet } ?? .indeterminate }

    static let pairs: [(V, V)] = V.allCases.flatMap { a in V.allCases.map { (a, $0) } }

    @Test(arguments: pairs)
    func and(_ a: V, _ b: V) throws {
        let truth: Bool? = (a == .f || b == .f) ? false : (a == .t && b == .t ? true : nil)
        #expect(try status("Y1 and Y2", a, b) == Self.expected(truth))
    }

    @Test(arguments: pairs)
    func or(_ a: V, _ b: V) throws {
        let truth: Bool? = (a == .t || b == .t) ? true : (a == .f && b == .f ? false : nil)
        #expect(try status("Y1 or Y2", a, b) == Self.expected(truth))
    }

    @Test(arguments: V.allCases)
    func not(_ a: V) throws {
        let truth: Bool? = a == .u ? nil : (a == .f)
        #expect(try status("not Y1", a, .u) == Self.expected(truth))
    }

    @Test func unknownThatCannotChangeTheResultDoesNotMatter() throws {
        var answers: [String: AnswerInput] = [:]
        for i in 1...5 { answers["A\(i)"] = .code("3") }
        let (status, blocking) = try evaluateCriterion("count(A1..A9, == 3) >= 5", answers: answers)
        #expect(status == .met)
        #expect(blocking.isEmpty)
    }

    @Test func countIsIndeterminateOnlyWhileUnknownsCouldDecideIt() throws {
        var answers: [String: AnswerInput] = ["A5": .code("?")]
        for i in 1...4 { answers["A\(i)"] = .code("3") }
        for i in 6...9 { answers["A\(i)"] = .code("1") }
        let (status, blocking) = try evaluateCriterion("count(A1..A9, == 3) >= 5", answers: answers)
        #expect(status == .indeterminate)
        #expect(blocking == ["A5"])

        answers["A5"] = .code("2")
        #expect(try evaluateCriterion("count(A1..A9, == 3) >= 5", answers: answers).0 == .notMet)
    }

    @Test func tooFewPossibleMakesItNotMetDespiteUnknowns() throws {
        var answers: [String: AnswerInput] = ["A1": .code("3"), "A2": .code("?")]
        for i in 3...8 { answers["A\(i)"] = .code("1") }
        // A9 open: at most 3 of 9 can be at threshold.
        let (status, blocking) = try evaluateCriterion("count(A1..A9, == 3) >= 5", answers: answers)
        #expect(status == .notMet)
        #expect(blocking.isEmpty)
    }

    @Test func sumsUseIntervalsOfUnknownItems() throws {
        // Three items at 3 already make a sum of at least 9 + 6 * 1 = 15.
        let answers: [String: AnswerInput] = ["A1": .code("3"), "A2": .code("3"), "A3": .code("3")]
        #expect(try evaluateCriterion("sum(A1..A9) >= 15", answers: answers).0 == .met)
        #expect(try evaluateCriterion("sum(A1..A9) > 27", answers: answers).0 == .notMet)
        let (status, blocking) = try evaluateCriterion("sum(A1..A9) >= 20", answers: answers)
        #expect(status == .indeterminate)
        #expect(blocking == ["A4", "A5", "A6", "A7", "A8", "A9"])
    }

    @Test func comparisonsWithAnInadequateRatingAreUnknown() throws {
        let answers: [String: AnswerInput] = ["A1": .code("?")]
        #expect(try evaluateCriterion("A1 == 3", answers: answers) == (.indeterminate, ["A1"]))
        #expect(try evaluateCriterion("A1 != 3", answers: answers) == (.indeterminate, ["A1"]))
        #expect(try evaluateCriterion("A1 >= 2", answers: answers) == (.indeterminate, ["A1"]))
        #expect(try evaluateCriterion("inadequate(A1)", answers: answers) == (.met, []))
        #expect(try evaluateCriterion("answered(A1)", answers: answers) == (.met, []))
        #expect(try evaluateCriterion("answered(A2)", answers: answers) == (.notMet, []))
    }

    @Test func ifWithAnUnknownConditionIsKnownWhenBothBranchesAgree() throws {
        #expect(try evaluateCriterion("if(A1 == 3, 1, 1) == 1", answers: [:]).0 == .met)
        #expect(try evaluateCriterion("if(A1 == 3, 1, 0) == 1", answers: [:]) == (.indeterminate, ["A1"]))
        #expect(try evaluateCriterion("if(A1 == 3, 1, 0) == 1", answers: ["A1": .code("3")]).0 == .met)
    }

    @Test func anyAndAllFollowKleene() throws {
        let answers: [String: AnswerInput] = ["A1": .code("1"), "A2": .code("3")]
        #expect(try evaluateCriterion("any(A1..A9, == 3)", answers: answers).0 == .met)
        #expect(try evaluateCriterion("all(A1..A9, == 3)", answers: answers).0 == .notMet)
        #expect(try evaluateCriterion("any([A1, A3], == 3)", answers: answers) == (.indeterminate, ["A3"]))
    }

    @Test func membershipAndArithmetic() throws {
        let answers: [String: AnswerInput] = ["A1": .code("2"), "A2": .code("3")]
        #expect(try evaluateCriterion("A1 in [2, 3]", answers: answers).0 == .met)
        #expect(try evaluateCriterion("A1 not in [2, 3]", answers: answers).0 == .notMet)
        #expect(try evaluateCriterion("A1 + A2 * 2 == 8", answers: answers).0 == .met)
        #expect(try evaluateCriterion("weight(A2) - weight(A1) == 1", answers: answers).0 == .met)
        #expect(try evaluateCriterion("max(weight(A1), 1) / 2 == 1", answers: answers).0 == .met)
        #expect(
            try evaluateCriterion("round(7 / 2) == 4 and abs(-2) == 2 and min(3, 1, 2) == 1", answers: answers).0
                == .met)
    }

    @Test func durationsAndDatesCompareAcrossUnits() throws {
        let items =
            "{ \"id\": \"D\", \"kind\": \"duration\", \"prompt\": \"p\" }, { \"id\": \"T\", \"kind\": \"date\", \"prompt\": \"p\" }"
        #expect(
            try evaluateCriterion("D >= 2 weeks", answers: ["D": .duration(14, .days)], extraItems: items).0 == .met)
        #expect(
            try evaluateCriterion("D >= 2 weeks", answers: ["D": .duration(13, .days)], extraItems: items).0 == .notMet)
        #expect(
            try evaluateCriterion("D >= 6 months", answers: ["D": .duration(0.5, .years)], extraItems: items).0 == .met)
        #expect(
            try evaluateCriterion("D > 1 month", answers: ["D": .duration(4, .weeks)], extraItems: items).0 == .notMet)
        #expect(
            try evaluateCriterion("T < @2020-03-01", answers: ["T": .date("2020-02-29")], extraItems: items).0 == .met)
    }
}

@Suite struct BlockerSetTests {
    @Test func keepsEachItemOnceInOrder() {
        var set: BlockerSet = [5, 2]
        #expect(!set.isEmpty)
        set.insert(5)
        set.formUnion([2, 9, 1, 9])
        #expect(set.sorted() == [1, 2, 5, 9])
        #expect(set.contains(9) && set.contains(1) && !set.contains(3))
        #expect(BlockerSet().isEmpty)
        #expect(set == [9, 5, 2, 1])
        #expect(set != [9, 5, 2])
    }

    /// Every size class on both sides (empty, the two inline items, the
    /// overflow set), with overlaps: the union takes the larger side's storage
    /// and inserts the other's items, whichever side that is.
    @Test func unionEqualsTheSetUnionWhicheverSideIsLarger() {
        var rng = SplitMix64(state: 11)
        for leftCount in 0...6 {
            for rightCount in 0...6 {
                for _ in 0..<20 {
                    let left = (0..<leftCount).map { _ in Int(rng.next() % 12) }
                    let right = (0..<rightCount).map { _ in Int(rng.next() % 12) }
                    var union = BlockerSet()
                    for item in left { union.insert(item) }
                    var other = BlockerSet()
                    for item in right { other.insert(item) }
                    union.formUnion(other)
                    #expect(union.sorted() == Set(left + right).sorted(), "\(left) ∪ \(right)")
                    #expect(other.sorted() == Set(right).sorted(), "the argument is left as it was")
                }
            }
        }
    }
}

/// Folds over many open items (a total, `any`, `all`) name every open item
/// once, in order, whatever the fold's length.
@Suite struct LongFoldTests {
    static let count = 200
    static let items = (1...count).map { "{ \"id\": \"I\($0)\", \"kind\": \"rating\", \"prompt\": \"p\" }" }.joined(
        separator: ", ")

    @Test(arguments: [
        "sum(I1..I200) >= 401", "any(I1..I200, == 3)", "all(I1..I200, >= 2)",
        "I1 + I2 + I3 + I4 + I5 >= 11 or sum(I6..I200) > 390",
    ])
    func everyOpenItemBlocksOnce(rule: String) throws {
        let interview = try loadOrFail(
            interviewJSON(
                items: Self.items,
                rules: """
                    "criteria": [{ "id": "c", "label": "c", "rule": "\(rule)" }]
                    """))
        var recorded = [ItemState](repeating: .open, count: interview.items.count)
        let answered = try #require(interview.itemIndex["I100"])
        guard case .success(let answer) = interview.items[answered].record(.code("2")) else {
            throw TestFailure("I100 not recorded")
        }
        recorded[answered] = answer.itemState
        let criterion = try #require(interview.evaluate(recorded: recorded).criterion("c"))
        #expect(criterion.status == .indeterminate)
        #expect(criterion.blocking == (1...Self.count).filter { $0 != 100 }.map { "I\($0)" })
    }

    @Test func aTotalOfOpenItemsKeepsItsBounds() throws {
        let interview = try loadOrFail(
            interviewJSON(
                items: Self.items,
                rules: """
                    "criteria": [{ "id": "low", "label": "c", "rule": "sum(I1..I200) >= 200" }, { "id": "high", "label": "c", "rule": "sum(I1..I200) > 600" }]
                    """))
        let evaluation = interview.evaluate(recorded: [ItemState](repeating: .open, count: interview.items.count))
        #expect(evaluation.criterion("low")?.status == .met)
        #expect(evaluation.criterion("high")?.status == .notMet)
    }
}
