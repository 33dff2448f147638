import ClinterviewTestSupport
import Foundation
import Testing

@testable import ClinterviewCore

/// A section with `repeat` is asked once per medication (or event, or
/// substance), each instance with its own ids, conditions and checks.
@Suite struct RepeatedSectionTests {
    func interview() throws -> Interview {
        let result = InterviewLoader.load(path: Repository.path("Tests/Fixtures/repeat/medications.json"))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        return try #require(result.interview)
    }

    @Test func eachInstanceHasItsOwnItemsAndAnAddAnotherQuestion() throws {
        let interview = try interview()
        #expect(
            interview.items.map(\.id) == [
                "takes",
                "med_name", "med_daily", "med_dose", "med__more1",
                "med_name__2", "med_daily__2", "med_dose__2", "med__more2",
                "med_name__3", "med_daily__3", "med_dose__3",
            ])
        #expect(
            interview.sections.map { $0.title.resolved() } == [
                "Intro", "A medication", "A medication (2)", "A medication (3)",
            ])
        #expect(interview.items[4].prompt.resolved() == "Another medication?")
        let check = try #require(interview.items[7].checks.first)
        #expect(check.id == "dose_plausible__2")
        #expect(check.rule.source == "med_dose__2 <= 6")
        #expect(interview.items[7].condition?.source == "med_daily__2")
    }

    @Test func answersAreKeptPerInstanceAndTheRouteFollowsAddAnother() throws {
        let interview = try interview()
        let text = """
            { "interview": "meds", "answers": { "takes": true, "med_name": "Sertraline", "med_daily": true, "med_dose": 1,
              "med__more1": true, "med_name__2": "Zopiclone", "med_daily__2": false, "med__more2": false } }
            """
        let source = SourceFile(path: "a.json", text: text)
        var sink = DiagnosticSink(source: source)
        let answers = try #require(AnswerFile.read(source: source, sink: &sink))
        let result = Replayer.replay(answers, interview: interview, sink: &sink)
        #expect(sink.diagnostics.isEmpty, "\(sink.diagnostics)")
        #expect(result.missing.isEmpty)
        #expect(
            result.asked == [
                "takes", "med_name", "med_daily", "med_dose", "med__more1", "med_name__2", "med_daily__2", "med__more2",
            ])
    }

    @Test(arguments: [("1", "a whole number from 2 to 100"), ("\"3\"", "a whole number from 2 to 100")])
    func aRepeatNeedsAMaximum(_ max: String, _ message: String) {
        let text = """
            { "format": "clinterview/1", "id": "r", "version": "1", "title": "R", "modules": [{ "id": "m", "title": "M",
              "sections": [{ "id": "s", "title": "S", "repeat": { "max": \(max) },
                "items": [{ "id": "x", "kind": "text", "prompt": "x" }] }] }] }
            """
        let result = InterviewLoader.load(source: SourceFile(path: "r.json", text: text))
        #expect(result.interview == nil)
        #expect(result.errors.first?.message.contains(message) == true, "\(result.errors)")
        #expect(result.errors.first?.location.line == 2)
    }

    @Test func namesInStringsAndDatesAreLeftAlone() {
        let renamed = RepeatedSection.renamedNames(in: "x == 'x' and y < @2026-01-01 and has(x, \"x\")") {
            $0 == "x" ? "x__2" : $0
        }
        #expect(renamed == "x__2 == 'x' and y < @2026-01-01 and has(x__2, \"x\")")
    }
}
