import ClinterviewCore
import ClinterviewTestSupport
import Foundation
import Testing

@testable import ClinterviewReports

/// The 102 real Questionnaires of Tests/Fixtures/fhir-corpus (three other
/// projects, licences beside them, kept byte for byte): each imports, runs
/// and comes back whole through a QuestionnaireResponse, or is refused with
/// a message that names the linkId and the feature.
@Suite struct FHIRCorpusTests {
    /// How many of the corpus import today; docs/fhir.md gives the figure.
    static let importedAtLeast = 71

    static let names = Repository.files(in: "Tests/Fixtures/fhir-corpus", ending: ".json")

    static func source(_ name: String) throws -> SourceFile {
        let path = Repository.path("Tests/Fixtures/fhir-corpus/\(name)")
        return SourceFile(path: name, bytes: try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
    }

    @Test func theCorpusIsThere() {
        #expect(Self.names.count == 102)
    }

    @Test func enoughOfTheCorpusImports() throws {
        var imported = 0
        for name in Self.names where FHIRImport.load(source: try Self.source(name)).interview != nil { imported += 1 }
        #expect(imported >= Self.importedAtLeast)
        let docs = try String(contentsOfFile: Repository.path("docs/fhir.md"), encoding: .utf8)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(docs.contains("\(imported) of the 102"), "docs/fhir.md should say \(imported) of the 102")
    }

    /// A refusal says where (a linkId) and what, unless the whole file is the problem.
    @Test(arguments: names)
    func aRefusalNamesTheLinkIdAndTheFeature(_ name: String) throws {
        let result = FHIRImport.load(source: try Self.source(name))
        guard result.interview == nil else { return }
        let first = try #require(result.errors.first)
        let wholeFile = ["has no items", "an item has no linkId", "not a FHIR Questionnaire"]
        #expect(
            first.message.contains("linkId '") || wholeFile.contains { first.message.contains($0) },
            "\(name): \(first.message)")
        #expect(first.location.line >= 1)
    }

    /// Every question answered in turn, exported, read back and replayed:
    /// the same route, answers and totals.
    @Test(arguments: names)
    func anImportedFormComesBackWholeThroughAResponse(_ name: String) throws {
        guard let interview = FHIRImport.load(source: try Self.source(name)).interview else { return }
        var session = Session(interview: interview, clock: .fixed(Date(timeIntervalSince1970: 1_800_000_000)))
        var steps = 0
        while let item = session.currentItem, steps < 2_000 {
            steps += 1
            guard let input = Self.plausibleAnswer(item),
                session.answer(input, overrides: Dictionary(uniqueKeysWithValues: item.checks.map { ($0.id, "test") }))
                    .status == .accepted
            else {
                session.moveOn()
                continue
            }
        }
        let resource = FHIRResponse.questionnaireResponse(
            session: session, header: nil, status: "completed", authored: nil)
        // .ci/run validates these against the R4 structure definitions.
        if let directory = ProcessInfo.processInfo.environment["CLINTERVIEW_EXPORT_RESPONSES"] {
            try resource.serialized().write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
        }
        let (file, problems) = FHIRResponseImport.answerFile(
            source: SourceFile(path: "qr.json", text: resource.serialized()), interview: interview)
        #expect(problems.isEmpty, "\(name): \(problems)")
        let answerSource = SourceFile(path: "qr-answers.json", text: try #require(file).serialized())
        var sink = DiagnosticSink(source: answerSource)
        let replayed = Replayer.replay(
            try #require(AnswerFile.read(source: answerSource, sink: &sink)), interview: interview, sink: &sink)
        #expect(sink.diagnostics.filter { $0.severity == .error }.isEmpty, "\(name): \(sink.diagnostics)")
        let original = session.evaluate()
        #expect(replayed.evaluation.route == original.route, "\(name): the route differs")
        #expect(replayed.evaluation.scores.map(\.value) == original.scores.map(\.value), "\(name): totals differ")
    }

    static func plausibleAnswer(_ item: Item) -> AnswerInput? {
        switch item.kind {
        case .display: nil
        case .yesNo: .bool(true)
        case .multipleChoice(let options): options.first.map { .codes([$0.code]) }
        case .integer(let range): .number(range.min.map { max($0, 1) } ?? 1)
        case .decimal(let range): .number(range.min.map { max($0, 1.5) } ?? 1.5)
        case .date: .date("2026-01-31")
        case .duration: .duration(2, .weeks)
        case .text: .text("An answer")
        case .rating(_, let options), .choice(let options): options.last.map { .code($0.code) }
        }
    }
}
