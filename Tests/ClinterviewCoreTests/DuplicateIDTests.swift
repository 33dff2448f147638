import Testing

@testable import ClinterviewCore

/// A duplicated id is an error, and the expressions that name it are still
/// checked against its first declaration, so that the one mistake gives one
/// message.
@Suite struct DuplicateIDTests {
    @Test func namesResolveToTheFirstDeclaration() {
        let result = load(
            interviewJSON(
                items: """
                    { "id": "A", "kind": "rating", "prompt": "p" }, { "id": "A", "kind": "yesno", "prompt": "p" },
                    { "id": "B", "kind": "rating", "prompt": "p", "when": "A == 3" }
                    """,
                rules: """
                    "criteria": [{ "id": "c", "label": "c", "rule": "A >= 2" }, { "id": "c", "label": "c", "rule": "B >= 2" }]
                    """))
        #expect(result.errors.map(\.code.rawValue) == ["duplicate-id", "duplicate-id"])
    }

    @Test func firstIndicesKeepEachIdsFirstPlace() {
        #expect(LoaderRun.firstIndices(of: ["a", "b", "a", "c", "b", "a"]) == ["a": 0, "b": 1, "c": 3])
        #expect(LoaderRun.firstIndices(of: []).isEmpty)
    }
}
