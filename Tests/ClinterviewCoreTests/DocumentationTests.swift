import ClinterviewTestSupport
import Foundation
import Testing

@testable import ClinterviewCore

/// The examples in docs/ are part of the test suite, so they stay true.
@Suite struct DocumentationTests {
    static func blocks(in document: String, fence: String) -> [String] {
        guard let text = try? String(contentsOfFile: Repository.path(document), encoding: .utf8) else { return [] }
        var blocks: [String] = []
        var current: [String]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```\(fence)" {
                current = []
            } else if current != nil, line == "```" {
                blocks.append(current!.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(String(line))
            }
        }
        return blocks
    }

    static let expressionExamples = blocks(in: "docs/expressions.md", fence: "expr")
        .flatMap { $0.split(separator: "\n").map(String.init) }
        .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }

    static let tutorialText =
        (try? String(contentsOfFile: Repository.path("docs/examples/tutorial.json"), encoding: .utf8)) ?? ""

    /// docs/format.md lists every diagnostic code the program can print, and no other.
    @Test func everyDiagnosticCodeIsDocumented() throws {
        let text = try String(contentsOfFile: Repository.path("docs/format.md"), encoding: .utf8)
        let section = try #require(text.components(separatedBy: "## What `validate` reports").last)
        let documented = section.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| `") else { return nil }
            return line.dropFirst(3).split(separator: "`").first.map(String.init)
        }
        #expect(documented.sorted() == DiagnosticCode.allCases.map(\.rawValue).sorted())
    }

    @Test func thereAreExamplesOfEveryConstruct() {
        #expect(Self.expressionExamples.count >= 40)
    }

    @Test(arguments: expressionExamples)
    func expressionExampleChecksAgainstTheTutorial(_ expression: String) throws {
        let escaped = expression.replacingOccurrences(of: "\"", with: "\\\"")
        let anchor = try #require(Self.tutorialText.range(of: "\"criteria\": ["))
        let text = Self.tutorialText.replacingCharacters(
            in: anchor,
            with: "\"criteria\": [\n    { \"id\": \"doc_example\", \"label\": \"x\", \"rule\": \"\(escaped)\" },")
        #expect(text != Self.tutorialText)
        let result = load(text, path: "tutorial.json")
        #expect(result.errors.isEmpty, "\(expression): \(result.errors)")
    }

    @Test func theTutorialIsCleanAndItsAnswersPass() throws {
        let result = InterviewLoader.load(path: Repository.path("docs/examples/tutorial.json"))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let interview = try #require(result.interview)
        let path = Repository.path("docs/examples/tutorial-answers.json")
        let source = SourceFile(path: path, bytes: try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
        var sink = DiagnosticSink(source: source)
        let file = try #require(AnswerFile.read(source: source, sink: &sink))
        let replayed = Replayer.replay(file, interview: interview, sink: &sink)
        #expect(sink.diagnostics.isEmpty)
        #expect(Expectations.compare(try #require(file.expect), with: replayed.json, source: source).isEmpty)
    }

    @Test func theFirstInterviewInFormatMdWorksAsTheDocumentSays() throws {
        let blocks = Self.blocks(in: "docs/format.md", fence: "json")
        let definition = try #require(blocks.first { $0.contains("\"format\": \"clinterview/1\"") })
        let result = load(definition, path: "first.json")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let interview = try #require(result.interview)

        let answers = try #require(blocks.first { $0.contains("\"answers\"") })
        for (text, passes) in [
            (answers, true), (answers.replacingOccurrences(of: "\"M4\": 3", with: "\"M4\": 2"), false),
        ] {
            let source = SourceFile(path: "answers.json", text: text)
            var sink = DiagnosticSink(source: source)
            let file = try #require(AnswerFile.read(source: source, sink: &sink))
            let replayed = Replayer.replay(file, interview: interview, sink: &sink)
            #expect(sink.diagnostics.isEmpty)
            #expect(
                Expectations.compare(try #require(file.expect), with: replayed.json, source: source).isEmpty == passes)
        }
    }

    @Test func theAnswerFileInReplayMdReplaysAsItSays() throws {
        let text = try #require(Self.blocks(in: "docs/replay.md", fence: "json").first)
        let interview = try #require(InterviewLoader.load(path: Repository.path("Interviews/sample.json")).interview)
        let source = SourceFile(path: "replay.md.json", text: text)
        var sink = DiagnosticSink(source: source)
        let file = try #require(AnswerFile.read(source: source, sink: &sink))
        let replayed = Replayer.replay(file, interview: interview, sink: &sink)
        #expect(sink.diagnostics.isEmpty, "\(sink.diagnostics)")
        #expect(replayed.skipped.map(\.item) == ["A3"])
        #expect(replayed.checks.first?.check.overrideReason == "Seen in the adult service by agreement.")
        #expect(Expectations.compare(try #require(file.expect), with: replayed.json, source: source).isEmpty)
    }
}
