import ClinterviewTestSupport
import Foundation
import Testing

@testable import ClinterviewCore

/// Each fixture in Tests/LintFixtures shows one kind of problem; its `.expected`
/// file holds the exact diagnostics, positions included.
@Suite struct LinterTests {
    static let fixtures = Repository.files(in: "Tests/LintFixtures", ending: ".json")

    @Test func thereIsAFixtureForEveryProblemKind() {
        #expect(Self.fixtures.count >= 18)
    }

    @Test(arguments: fixtures)
    func diagnosticsMatchTheGoldenFile(_ name: String) throws {
        let path = Repository.path("Tests/LintFixtures/\(name)")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let result = InterviewLoader.load(source: SourceFile(path: name, bytes: bytes))
        let expected = try String(
            contentsOfFile: path.replacingOccurrences(of: ".json", with: ".expected"), encoding: .utf8
        )
        .split(separator: "\n").map(String.init)
        #expect(result.diagnostics.map(\.description) == expected)
        #expect(!result.diagnostics.isEmpty)
        if result.errors.isEmpty { #expect(result.interview != nil) } else { #expect(result.interview == nil) }
    }

    /// Administering loads without the linter: the same errors, no warnings.
    @Test(arguments: fixtures)
    func loadingWithoutLintKeepsEveryError(_ name: String) throws {
        let source = SourceFile(
            path: name,
            bytes: try [UInt8](Data(contentsOf: URL(fileURLWithPath: Repository.path("Tests/LintFixtures/\(name)")))))
        let full = InterviewLoader.load(source: source)
        let quick = InterviewLoader.load(source: source, lint: false)
        #expect(quick.errors.map(\.description) == full.errors.map(\.description))
        #expect(quick.warnings.isEmpty)
        #expect((quick.interview == nil) == (full.interview == nil))
    }

    @Test func aGatedCountWithItsScreenIsNotFlagged() throws {
        let path = Repository.path("Tests/LintFixtures/skip-out-indeterminate.json")
        let result = InterviewLoader.load(path: path)
        let flagged = result.warnings.filter { $0.code == .skipOutIndeterminate }.map(\.message)
        #expect(flagged.count == 1)
        #expect(flagged.allSatisfy { $0.contains("'careless'") })
    }

    @Test func theSampleInterviewIsClean() {
        let result = InterviewLoader.load(path: Repository.path("Interviews/sample.json"))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.interview != nil)
    }

    @Test func unreadableInputsGetAnErrorNotACrash() {
        let missing = InterviewLoader.load(path: "/nonexistent/interview.json")
        #expect(missing.errors.map(\.code.rawValue) == ["unreadable-file"])
        let directory = InterviewLoader.load(path: Repository.path("Tests"))
        #expect(directory.errors.first?.message.contains("directory") == true)
        // A file that never ends (it hung before: its size reads as 0, then it was read to its end).
        let endless = InterviewLoader.load(path: "/dev/zero")
        #expect(endless.errors.first?.message.contains("at most 256 MB") == true)
    }
}

/// A "did you mean" names the same candidate whatever order the candidates
/// come in: replays of the same file must print the same messages.
@Suite struct SuggestionTests {
    @Test func equallyCloseCandidatesGiveTheFirstAlphabetically() {
        let candidates = ["k8", "k2", "k11", "k0", "k3"]
        var rng = SplitMix64(state: 11)
        for _ in 0..<50 {
            #expect(Suggestion.closest(to: "k7", in: candidates.shuffled(using: &rng)) == "k0")
            #expect(Suggestion.closest(to: "k12", in: Set(candidates.shuffled(using: &rng))) == "k11")
        }
        #expect(Suggestion.closest(to: "sleep", in: ["slept", "sleep2", "zzz"]) == "sleep2")
        #expect(Suggestion.closest(to: "mood", in: ["appetite"]) == nil)
    }
}
