import ClinterviewTestSupport
import Testing

@testable import ClinterviewCore

/// A diagnosis says which stretch of life it speaks of; reports and outcomes read it.
@Suite struct DiagnosisPeriodTests {
    static let rules = """
        "criteria": [{ "id": "c", "label": "c", "rule": "A1 == 3" }],
        "diagnoses": [
          { "id": "now", "label": "now", "rule": "c", "criteria": ["c"] },
          { "id": "ever", "label": "ever", "period": "lifetime", "rule": "now or A2 == 3", "criteria": ["now"] }
        ]
        """

    @Test func periodIsReadAndCurrentByDefault() throws {
        let interview = try loadOrFail(interviewJSON(items: ratingItems, rules: Self.rules))
        #expect(interview.diagnoses.map(\.period) == [.current, .lifetime])
        var recorded = [ItemState](repeating: .open, count: interview.items.count)
        recorded[interview.itemIndex["A1"]!] = try interview.items[interview.itemIndex["A1"]!].record(.code("3")).get()
            .itemState
        let evaluation = interview.evaluate(recorded: recorded)
        #expect(evaluation.diagnosis("ever")?.period == .lifetime)
        // A diagnosis may list another diagnosis as its evidence.
        #expect(evaluation.diagnosis("ever")?.evidence.map(\.id) == ["now"])
        #expect(evaluation.diagnosis("ever")?.status == .met)
    }

    @Test func anUnknownPeriodIsAnErrorWithASuggestion() {
        let result = load(
            interviewJSON(
                items: ratingItems, rules: Self.rules.replacingOccurrences(of: "\"lifetime\"", with: "\"lifetim\"")))
        #expect(result.interview == nil)
        #expect(
            result.diagnostics.map(\.message) == [
                "diagnosis 'ever': period must be one of current, past, lifetime, not 'lifetim'; did you mean 'lifetime'?"
            ])
    }

    @Test func aDiagnosisCannotListItself() {
        let result = load(
            interviewJSON(
                items: ratingItems,
                rules: Self.rules.replacingOccurrences(of: "\"criteria\": [\"now\"]", with: "\"criteria\": [\"ever\"]"))
        )
        #expect(result.diagnostics.map(\.message) == ["diagnosis 'ever' lists itself as a criterion"])
    }
}
