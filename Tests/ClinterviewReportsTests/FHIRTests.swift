import ClinterviewCore
import ClinterviewJournal
import ClinterviewTestSupport
import Foundation
import Testing

@testable import ClinterviewReports

/// Real questionnaires written by other projects (Tests/Fixtures/fhir, with their licences).
@Suite struct FHIRTests {
    func source(_ name: String) throws -> SourceFile {
        let path = Repository.path("Tests/Fixtures/fhir/\(name)")
        return SourceFile(path: name, bytes: try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
    }

    func imported(_ name: String) throws -> Interview {
        let result = FHIRImport.load(source: try source(name))
        #expect(result.errors.isEmpty, "\(result.errors)")
        return try #require(result.interview)
    }

    /// The route after giving `answers` (by linkId).
    func route(_ interview: Interview, _ answers: [String: AnswerInput]) throws -> Set<String> {
        var recorded = [ItemState](repeating: .open, count: interview.items.count)
        for (linkID, input) in answers {
            let index = try #require(interview.items.firstIndex { $0.linkID == linkID })
            guard case .success(let answer) = interview.items[index].record(input) else {
                throw TestFailure("\(linkID) refused \(input)")
            }
            switch answer {
            case .value(let value, _): recorded[index] = .known(value)
            case .inadequate: recorded[index] = .inadequate
            case .skipped: recorded[index] = .open
            }
        }
        let evaluation = interview.evaluate(recorded: recorded)
        return Set(interview.items.indices.filter { evaluation.route[$0] }.compactMap { interview.items[$0].linkID })
    }

    struct TestFailure: Error { var text: String; init(_ text: String) { self.text = text } }

    @Test func thePHQ9OfFhirpathJsTotalsTheResponseTo15() throws {
        let interview = try imported("fhirpathjs-phq9.json")
        #expect(interview.items.filter { $0.kind.options != nil }.count == 10)
        let (file, problems) = FHIRResponseImport.answerFile(
            source: try source("fhirpathjs-phq9-response.json"), interview: interview)
        #expect(problems.isEmpty, "\(problems)")
        let text = try #require(file).serialized()
        let answerSource = SourceFile(path: "response", text: text)
        var sink = DiagnosticSink(source: answerSource)
        let answers = try #require(AnswerFile.read(source: answerSource, sink: &sink))
        let result = Replayer.replay(answers, interview: interview, sink: &sink)
        #expect(sink.diagnostics.isEmpty, "\(sink.diagnostics)")
        let total = try #require(
            result.evaluation.scores.first { interview.rules[interview.ruleIndex[$0.id]!].linkID == "/44261-6" })
        #expect(total.value == 15)
        // With nothing answered FHIRPath gives no total ({}), and so does the import.
        let empty = interview.evaluate(recorded: [ItemState](repeating: .open, count: interview.items.count))
        #expect(empty.scores.first?.value == nil)
    }

    @Test func nestedEnableWhenFollowsFHIR() throws {
        let interview = try imported("lforms-q-with-nested-enableWhen.json")
        // Unanswered p1: '=' is false, so the group and everything in it is disabled.
        #expect(try route(interview, [:]) == ["p1"])
        // p1 = YES: the group opens; d1 shows because '!=' is TRUE while c1 is unanswered.
        #expect(try route(interview, ["p1": .code("YES")]) == ["p1", "c1", "d1", "cc1", "dd1"])
        #expect(try route(interview, ["p1": .code("YES"), "c1": .code("A")]) == ["p1", "c1", "cc1", "dd1"])
        #expect(
            try route(interview, ["p1": .code("YES"), "c1": .code("B"), "cc1": .code("A")]) == [
                "p1", "c1", "d1", "cc1",
            ])
        // p1 = NO disables the whole group, whatever was answered inside it.
        #expect(try route(interview, ["p1": .code("NO"), "c1": .code("B"), "cc1": .code("B")]) == ["p1"])
    }

    @Test func everyOperatorAndBehaviourMeansWhatFHIRSays() throws {
        let text = """
            { "resourceType": "Questionnaire", "id": "ops", "status": "active", "item": [
              { "linkId": "n", "type": "integer", "text": "n" },
              { "linkId": "b", "type": "boolean", "text": "b" },
              { "linkId": "gt", "type": "string", "text": "gt", "enableWhen": [{ "question": "n", "operator": ">", "answerInteger": 5 }] },
              { "linkId": "le", "type": "string", "text": "le", "enableWhen": [{ "question": "n", "operator": "<=", "answerInteger": 5 }] },
              { "linkId": "ne", "type": "string", "text": "ne", "enableWhen": [{ "question": "n", "operator": "!=", "answerInteger": 5 }] },
              { "linkId": "ex", "type": "string", "text": "ex", "enableWhen": [{ "question": "n", "operator": "exists", "answerBoolean": true }] },
              { "linkId": "nx", "type": "string", "text": "nx", "enableWhen": [{ "question": "n", "operator": "exists", "answerBoolean": false }] },
              { "linkId": "all", "type": "string", "text": "all", "enableBehavior": "all", "enableWhen": [
                { "question": "n", "operator": ">=", "answerInteger": 1 }, { "question": "b", "operator": "=", "answerBoolean": true }] },
              { "linkId": "any", "type": "string", "text": "any", "enableBehavior": "any", "enableWhen": [
                { "question": "n", "operator": "<", "answerInteger": 1 }, { "question": "b", "operator": "=", "answerBoolean": true }] }
            ] }
            """
        let result = FHIRImport.load(source: SourceFile(path: "ops.json", text: text))
        let interview = try #require(result.interview, "\(result.diagnostics)")
        #expect(try route(interview, [:]) == ["n", "b", "ne", "nx"])
        #expect(try route(interview, ["n": .number(7)]) == ["n", "b", "gt", "ne", "ex"])
        #expect(try route(interview, ["n": .number(5)]) == ["n", "b", "le", "ex"])
        #expect(
            try route(interview, ["n": .number(3), "b": .bool(true)]) == ["n", "b", "le", "ne", "ex", "all", "any"])
        #expect(try route(interview, ["n": .number(0), "b": .bool(false)]) == ["n", "b", "le", "ne", "ex", "any"])
    }

    @Test func containedValueSetsGiveOptionsAndWeights() throws {
        let interview = try imported("rkof-GAD-7.json")
        let first = try #require(interview.items.first { $0.kind.options != nil })
        #expect(first.kind.options?.compactMap(\.weight) == [0, 1, 2, 3])
        _ = try imported("rkof-PHQ-9.json")
        _ = try imported("lforms-test-enablewhen.json")
        _ = try imported("lforms-question-under-question.R4.json")
        _ = try imported("rkof-ContainedValueSetExample.json")
    }

    @Test(arguments: [("rkof-MultipleEnableWhen.json", 150, 5), ("rkof-SkipLogicExample.json", 82, 7)])
    func invalidJSONIsRejectedWithItsPosition(_ name: String, _ line: Int, _ column: Int) throws {
        let result = DefinitionLoader.load(source: try source(name))
        #expect(result.interview == nil)
        #expect(result.errors.map(\.location) == [SourcePosition(line: line, column: column)])
        #expect(result.errors.first?.code == .jsonSyntax)
    }

    /// A reference loop in enableWhen is valid FHIR: the condition that looks
    /// ahead is dropped with a warning naming it, and the form still imports.
    @Test func aConditionThatLooksAheadIsDroppedWithAWarningNamingTheLinkId() throws {
        let result = FHIRImport.load(source: try source("lforms-q-enableWhen-with-reference-loop.json"))
        #expect(result.interview != nil)
        let warning = try #require(result.diagnostics.first { $0.message.contains("is dropped") })
        #expect(warning.message.contains("linkId 'item1'"))
        #expect(warning.location == SourcePosition(line: 12, column: 23))
    }

    @Test func untranslatableFHIRPathIsAnErrorNamingTheLinkIdAndExpression() throws {
        let text = """
            { "resourceType": "Questionnaire", "item": [
              { "linkId": "a", "type": "integer", "text": "a" },
              { "linkId": "t", "type": "decimal", "text": "t", "extension": [{
                "url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression",
                "valueExpression": { "language": "text/fhirpath", "expression": "%resource.item.answer.value.aggregate($total + $this)" } }] }
            ] }
            """
        let result = FHIRImport.convert(source: SourceFile(path: "calc.json", text: text))
        #expect(result.definition == nil)
        #expect(result.diagnostics.first?.message.contains("linkId 't'") == true)
        #expect(result.diagnostics.first?.message.contains("aggregate") == true)
    }

    @Test func aSessionOfAnImportedQuestionnaireExportsTheOriginalLinkIds() throws {
        let interview = try imported("fhirpathjs-phq9.json")
        var session = Session(interview: interview, clock: .fixed(Date(timeIntervalSince1970: 0)))
        while let item = session.currentItem {
            if let code = item.kind.options?.first?.code { session.answer(.code(code)) } else { session.moveOn() }
        }
        let resource = FHIRResponse.questionnaireResponse(
            session: session, header: nil, status: "completed", authored: nil)
        var linkIDs: [String] = []
        if case .array(let items)? = resource["item"] {
            for item in items { if case .string(let id)? = item["linkId"] { linkIDs.append(id) } }
        }
        let original = try JSONParser.parse(try source("fhirpathjs-phq9.json").bytes)
        var expected: [String] = []
        if case .object(let q) = original.value, case .array(let items)? = q["item"]?.value {
            for item in items {
                if case .object(let o) = item.value, case .string(let id)? = o["linkId"]?.value { expected.append(id) }
            }
        }
        #expect(linkIDs == expected)
    }

    @Test func aSessionRoundTripsThroughAQuestionnaireResponse() throws {
        let interview = try #require(InterviewLoader.load(path: Repository.path("Interviews/sample.json")).interview)
        let contents = try JournalReader.read(path: Repository.path("Tests/Fixtures/journals/sample-amended.jsonl"))
        let session = SessionRebuilder.rebuild(contents.records, interview: interview).session
        let resource = FHIRResponse.questionnaireResponse(
            session: session, header: contents.header, status: "completed", authored: nil)
        let (file, problems) = FHIRResponseImport.answerFile(
            source: SourceFile(path: "qr.json", text: resource.serialized()), interview: interview)
        #expect(problems.isEmpty)
        let answerSource = SourceFile(path: "qr-answers.json", text: try #require(file).serialized())
        var sink = DiagnosticSink(source: answerSource)
        let answers = try #require(AnswerFile.read(source: answerSource, sink: &sink))
        let replayed = Replayer.replay(answers, interview: interview, sink: &sink)
        let original = session.evaluate()
        #expect(replayed.evaluation.diagnoses.map(\.status) == original.diagnoses.map(\.status))
        #expect(replayed.evaluation.criteria.map(\.status) == original.criteria.map(\.status))
        #expect(replayed.evaluation.scores.map(\.value) == original.scores.map(\.value))
        #expect(replayed.missing == ["A5"])
        // Who rated, and the notes, come back too.
        #expect(answers.rater == contents.header?.rater)
        #expect(answers.role == contents.header?.role)
        #expect(answers.notes["A1"] == ["Tearful when describing work."])
    }
}
