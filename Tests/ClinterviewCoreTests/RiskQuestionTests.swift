import ClinterviewTestSupport
import Testing

@testable import ClinterviewCore

/// Risk questions are marked on items or whole modules; reports put them first.
@Suite struct RiskQuestionTests {
    @Test func theCoreInterviewMarksEveryRiskQuestion() throws {
        let result = InterviewLoader.load(path: Repository.path("Interviews/core.json"))
        let interview = try #require(result.interview)
        let risk = interview.items.filter(\.isRisk).map(\.id)
        #expect(risk.contains("ov_risk") && risk.contains("A9"))
        #expect(["RS1", "RS2", "RS3", "R1", "R2", "R3", "R4", "R5", "R_protective"].allSatisfy(risk.contains))
        #expect(!risk.contains("A1") && !risk.contains("PA9"))
    }
}
