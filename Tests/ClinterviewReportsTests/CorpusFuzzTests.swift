import ClinterviewCore
import ClinterviewJournal
import ClinterviewTestSupport
import Foundation
import Testing

@testable import ClinterviewReports

/// Seeded mutations of every file the program reads: bundled definitions,
/// lint fixtures and FHIR Questionnaires, answer files, journals and FHIR
/// QuestionnaireResponses. Each must give a result or a positioned
/// diagnostic, never a crash or a hang. `CLINTERVIEW_FUZZ_ITERATIONS` sets
/// the mutations per corpus (`.ci/run` runs a longer pass than `swift test`).
@Suite struct CorpusFuzzTests {
    static let iterations = ProcessInfo.processInfo.environment["CLINTERVIEW_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 400
    static let seed = ProcessInfo.processInfo.environment["CLINTERVIEW_FUZZ_SEED"].flatMap(UInt64.init) ?? 20_261_206

    static let mutator = ByteMutator(
        fragments: [
            "{", "}", "[", "]", "\"", ",", ":", "null", "true", "1e999", "-0", "\\u0000", "\\ud800", "é日😀", "\u{202E}",
            "\"scale\": \"scdi\"", "\"kind\": \"ratng\"", "\"period\": \"now\"", "\"criteria\": [\"nope\"]",
            "\"seq\": 999999999",
            "\"event\": \"answered\"", "\"value\": {}", "\"linkId\": \"\"", "\"enableWhen\": [{}]",
            "\"answerOption\": []",
        ],
        expressionPieces: [
            "A1", "A9", "count(", "sum(", "X1..X2", "==", ">=", "3", "?", "2 weeks", "6 months", "and", "or", "(", ")",
            "'x'", "in", "[", "]",
        ])

    static func bytes(_ relative: String) -> [UInt8] {
        (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: Repository.path(relative))))) ?? []
    }

    static let interviews = BundledInterviews.byID

    func checkPlaced(_ diagnostics: [Diagnostic], _ what: String) {
        for diagnostic in diagnostics {
            #expect(diagnostic.location.line >= 1 && diagnostic.location.column >= 1, "\(what): \(diagnostic)")
            #expect(!diagnostic.message.isEmpty, "\(what)")
        }
    }

    @Test func mutatedDefinitions() {
        var corpus =
            Repository.files(in: "Interviews", ending: ".json").map { "Interviews/\($0)" } + [
                "docs/examples/tutorial.json"
            ]
        corpus += Repository.files(in: "Tests/LintFixtures", ending: ".json").map { "Tests/LintFixtures/\($0)" }
        corpus += Repository.files(in: "Tests/Fixtures/fhir", ending: ".json").map { "Tests/Fixtures/fhir/\($0)" }
        let originals = corpus.map(Self.bytes)
        var rng = SplitMix64(state: Self.seed)
        var loaded = 0
        for iteration in 0..<Self.iterations {
            let bytes = Self.mutator.mutate(originals[iteration % originals.count], &rng)
            let what = "definition \(corpus[iteration % corpus.count]), iteration \(iteration)"
            let result = DefinitionLoader.load(source: SourceFile(path: "fuzz.json", bytes: bytes))
            if result.interview != nil {
                loaded += 1
            } else {
                #expect(!result.errors.isEmpty, "\(what): no interview and no error")
            }
            checkPlaced(result.diagnostics, what)
        }
        // Some mutations must leave a loadable definition, or the run-time half is not exercised.
        #expect(loaded > 0 || Self.iterations < 200)
    }

    @Test func mutatedAnswerFiles() throws {
        var corpus: [(path: String, interview: Interview)] = []
        for id in Self.interviews.keys.sorted() {
            let directory = "Tests/Vignettes/\(id)"
            guard FileManager.default.fileExists(atPath: Repository.path(directory)) else { continue }
            for name in Repository.files(in: directory, ending: ".json") {
                corpus.append(("\(directory)/\(name)", Self.interviews[id]!))
            }
        }
        try #require(!corpus.isEmpty)
        let originals = corpus.map { Self.bytes($0.path) }
        var rng = SplitMix64(state: Self.seed &+ 1)
        for iteration in 0..<Self.iterations {
            let index = iteration % corpus.count
            let source = SourceFile(path: "fuzz.json", bytes: Self.mutator.mutate(originals[index], &rng))
            var sink = DiagnosticSink(source: source)
            if let file = AnswerFile.read(source: source, sink: &sink) {
                _ = Replayer.replay(file, interview: corpus[index].interview, sink: &sink).json
            }
            checkPlaced(sink.diagnostics, "answers \(corpus[index].path), iteration \(iteration)")
        }
    }

    @Test func mutatedJournals() throws {
        let corpus = Repository.files(in: "Tests/Fixtures/journals", ending: ".jsonl").map {
            "Tests/Fixtures/journals/\($0)"
        }
        let originals = corpus.map(Self.bytes)
        var rng = SplitMix64(state: Self.seed &+ 2)
        for iteration in 0..<Self.iterations {
            let contents = JournalReader.parse(
                Self.mutator.mutate(originals[iteration % originals.count], &rng), path: "fuzz.jsonl")
            guard let header = contents.header, let interview = Self.interviews[header.interviewID] else { continue }
            if let report = SessionReport.build(from: contents, interview: interview) {
                _ = ReportText.text(report)
                _ = ReportJSON.json(report)
                _ = ReportText.markdown(report)
            }
        }
    }

    @Test func mutatedQuestionnaireResponses() throws {
        let interview = try #require(
            DefinitionLoader.load(path: Repository.path("Tests/Fixtures/fhir/fhirpathjs-phq9.json")).0.interview)
        let original = Self.bytes("Tests/Fixtures/fhir/fhirpathjs-phq9-response.json")
        var rng = SplitMix64(state: Self.seed &+ 3)
        for iteration in 0..<Self.iterations {
            let (_, diagnostics) = FHIRResponseImport.answerFile(
                source: SourceFile(path: "fuzz.json", bytes: Self.mutator.mutate(original, &rng)), interview: interview)
            checkPlaced(diagnostics, "response, iteration \(iteration)")
        }
    }

    /// The defect the corpus pass first found: a misspelt scale on items
    /// counted by a criterion crashed the checker.
    @Test func aMisspeltScaleInACountIsAnUnknownReference() {
        let text = """
            { "format": "clinterview/1", "id": "t", "version": "1", "title": "T",
              "scales": [ { "id": "freq", "label": "f", "options": [ { "code": 0, "label": "no" }, { "code": 1, "label": "yes" } ] } ],
              "modules": [ { "id": "m", "title": "M", "sections": [ { "id": "s", "title": "S", "items": [
                { "id": "X1", "kind": "choice", "scale": "frek", "prompt": "p" },
                { "id": "X2", "kind": "choice", "scale": "frek", "prompt": "p" } ] } ] } ],
              "criteria": [ { "id": "c", "label": "c", "rule": "count(X1..X2, == 1) >= 1 and X1 == 0" } ],
              "diagnoses": [ { "id": "d", "label": "d", "rule": "c", "criteria": ["c"] } ] }
            """
        let result = InterviewLoader.load(source: SourceFile(path: "t.json", text: text))
        #expect(result.interview == nil)
        #expect(result.diagnostics.map(\.code.rawValue) == ["unknown-reference", "unknown-reference"])
        #expect(result.diagnostics.allSatisfy { $0.message.contains("did you mean 'freq'?") })
    }

    /// Follow-on errors hide the first cause: an unknown kind or a choice
    /// without options is reported once, not again where the item is used.
    @Test func anItemThatCannotBeReadIsReportedOnce() {
        let text = """
            { "format": "clinterview/1", "id": "t", "version": "1", "title": "T",
              "modules": [ { "id": "m", "title": "M", "sections": [ { "id": "s", "title": "S", "items": [
                { "id": "X1", "kind": "ratng", "prompt": "p" },
                { "id": "X2", "kind": "choice", "prompt": "p" },
                { "id": "X3", "kind": "rating", "prompt": "p", "when": "X1 == 3 and X2 == 'never'" } ] } ] } ],
              "criteria": [ { "id": "c", "label": "c", "rule": "count(X1..X2, == 1) >= 1 or X2 == 'never'" } ],
              "diagnoses": [ { "id": "d", "label": "d", "rule": "c and X3 == 3", "criteria": ["c"] } ] }
            """
        let result = InterviewLoader.load(source: SourceFile(path: "t.json", text: text))
        #expect(result.diagnostics.map(\.code.rawValue) == ["unknown-kind", "missing-field"])
    }
}
