import Testing

@testable import ClinterviewCore

/// The never-enabled lint searches each chain of condition texts once: the
/// same item condition behind different gates is a different chain.
@Suite struct NeverEnabledChainTests {
    @Test func theSameConditionBehindOtherGatesIsSearchedAgain() throws {
        func rating(_ id: String, _ when: String? = nil) -> String {
            "{ \"id\": \"\(id)\", \"kind\": \"rating\", \"prompt\": \"p\"\(when.map { ", \"when\": \"\($0)\"" } ?? "") }"
        }
        let result = load(
            """
            { "format": "clinterview/1", "id": "t", "version": "1", "title": "T",
              "modules": [
                { "id": "m1", "title": "M", "sections": [
                  { "id": "s0", "title": "S", "items": [\(rating("A0"))] },
                  { "id": "s1", "title": "S", "when": "A0 >= 2", "items": [\(rating("B1", "A0 == 1")), \(rating("B2", "A0 == 3"))] },
                  { "id": "s2", "title": "S", "when": "A0 == 1", "items": [\(rating("C1", "A0 == 1")), \(rating("C2", "A0 == 3"))] }] },
                { "id": "m2", "title": "M", "when": "A0 <= 2", "sections": [
                  { "id": "s3", "title": "S", "items": [\(rating("D1", "A0 == 1")), \(rating("D2", "A0 == 3"))] }] },
                { "id": "m3", "title": "M", "sections": [
                  { "id": "s4", "title": "S", "items": [\(rating("E1", "A0 == 1")), \(rating("E2", "A0 == 3"))] }] }] }
            """)
        let never = result.warnings.filter { $0.code == .neverEnabled }.map {
            $0.message.components(separatedBy: " ")[1]
        }
        #expect(never == ["'B1'", "'C2'", "'D2'"])
    }

    /// One evaluator serves every search of a thread: restarted for each
    /// combination, it answers as a new one would, rules included (a rule
    /// remembered from the last combination would answer for this one).
    @Test func aSharedEvaluatorAnswersAsNewOnesDo() throws {
        let result = load(
            """
            { "format": "clinterview/1", "id": "t", "version": "1", "title": "T",
              "modules": [{ "id": "m", "title": "M", "sections": [{ "id": "s", "title": "S", "items": [
                { "id": "A1", "kind": "rating", "prompt": "p" }, { "id": "A2", "kind": "rating", "prompt": "p" },
                { "id": "B1", "kind": "rating", "prompt": "p", "when": "c" },
                { "id": "B2", "kind": "rating", "prompt": "p", "when": "not c" },
                { "id": "B3", "kind": "rating", "prompt": "p", "when": "c and A1 == 1" },
                { "id": "B4", "kind": "rating", "prompt": "p", "when": "c and A1 == 3" },
                { "id": "B5", "kind": "rating", "prompt": "p", "when": "not c and A2 == 3" },
                { "id": "B6", "kind": "rating", "prompt": "p", "when": "c and not c" }] }] }],
              "criteria": [{ "id": "c", "label": "c", "rule": "count(A1..A2, == 3) >= 2" }]
            }
            """)
        let interview = try #require(result.interview)
        let analysis = RouteAnalysis(interview: interview)
        var shared = analysis.whatIfEvaluator()
        var answers: [Bool] = []
        for item in interview.items.indices where interview.items[item].condition != nil {
            let chain = interview.conditionChain(ofItem: item)
            var fresh = analysis.whatIfEvaluator()
            let expected = analysis.neverDefinitelyTrue(chain, using: &fresh)
            #expect(analysis.neverDefinitelyTrue(chain, using: &shared) == expected, "\(interview.items[item].id)")
            answers.append(expected)
        }
        #expect(answers == [false, false, true, false, false, true])
    }
}
