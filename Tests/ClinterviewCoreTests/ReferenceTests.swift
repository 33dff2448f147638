import ClinterviewTestSupport
import Testing

@testable import ClinterviewCore

/// `directlyReferencedRules` walks an expression without collecting its
/// items; it must find the rules `directReferences` finds.
@Suite struct ReferenceTests {
    static let definitions: [String] = Repository.files(in: "Interviews", ending: ".json").map {
        Repository.path("Interviews/\($0)")
    }

    func expressions(of interview: Interview) -> [Expression] {
        interview.rules.map(\.expression.expression)
            + interview.items.compactMap { $0.condition?.expression }
            + interview.items.flatMap { $0.checks.map(\.rule.expression) }
            + interview.modules.compactMap { $0.condition?.expression }
            + interview.sections.compactMap { $0.condition?.expression }
    }

    @Test(arguments: definitions)
    func bundledInterviews(path: String) throws {
        let interview = try #require(InterviewLoader.load(path: path).interview)
        for expression in expressions(of: interview) {
            #expect(expression.directlyReferencedRules == expression.directReferences.rules)
        }
    }

    @Test func rulesInsideTestsListsAndBranches() throws {
        let interview = try loadOrFail(
            interviewJSON(
                items: ratingItems,
                rules: """
                    "values": [{ "id": "v1", "expr": "A1 + A2" }, { "id": "v2", "expr": "if(c1, v1, max(v1, 2, abs(-v1)))" },
                               { "id": "v3", "expr": "count(A1..A9, >= v1) + count([A1, A2], in [2, v1])" }],
                    "criteria": [{ "id": "c1", "label": "c", "rule": "A1 >= 2" }, { "id": "c2", "label": "c", "rule": "any(A1..A3, == v3) or A4 in [v2, 3]" }]
                    """))
        let expected: [String: Set<String>] = [
            "v1": [], "v2": ["c1", "v1"], "v3": ["v1"], "c1": [], "c2": ["v3", "v2"],
        ]
        for rule in interview.rules {
            let expression = rule.expression.expression
            #expect(
                Set(expression.directlyReferencedRules.map { interview.rules[$0].id }) == expected[rule.id],
                "\(rule.id)")
            #expect(expression.directlyReferencedRules == expression.directReferences.rules)
        }
    }
}
