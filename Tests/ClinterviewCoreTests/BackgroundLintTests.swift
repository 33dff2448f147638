import Testing
@testable import ClinterviewCore

/// With many rules the unused-criteria lint runs on another core while the
/// plan is built; the warnings must be those of the lint run in line.
@Suite struct BackgroundLintTests {
    static let criteria = 1_200

    static var definition: String {
        let criteria = (0..<Self.criteria).map { "{ \"id\": \"c\($0)\", \"label\": \"c\", \"rule\": \"A\(1 + $0 % 9) >= 2\" }" }
        let used = stride(from: 0, to: Self.criteria, by: 7).map { "c\($0)" }
        let diagnoses = used.map { "{ \"id\": \"d_\($0)\", \"label\": \"d\", \"rule\": \"\($0)\", \"criteria\": [\"\($0)\"] }" }
        return interviewJSON(items: ratingItems, rules: """
        "criteria": [\(criteria.joined(separator: ", "))],
        "diagnoses": [\(diagnoses.joined(separator: ", "))]
        """)
    }

    @Test func warningsAreThoseOfTheLintInLine() throws {
        #expect(Self.criteria + Self.criteria / 7 >= Linter.minimumRulesForBackground, "must run in the background")
        let result = load(Self.definition)
        let interview = try #require(result.interview)
        var inLine = DiagnosticSink(source: SourceFile(path: "test.json", text: Self.definition))
        Linter.lint(interview, into: &inLine)
        #expect(result.warnings.map(\.description) == inLine.sorted.filter { $0.severity == .warning }.map(\.description))
        let unused = result.warnings.filter { $0.code == "unused-criterion" }
        #expect(unused.count == Self.criteria - (Self.criteria + 6) / 7)
        #expect(!unused.contains { $0.message.contains("'c7'") || $0.message.contains("'c0'") })
    }
}
