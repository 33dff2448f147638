import ClinterviewCore
import ClinterviewTestSupport
import Foundation
import Testing

@testable import ClinterviewReports

/// SDC expressions as authors write them: variables in scope, FHIRPath
/// beyond totals, enableWhenExpression, and the defects that refused or
/// garbled valid forms.
@Suite struct FHIRExpressionTests {
    func load(_ items: String, root: String = "") throws -> Interview {
        let text = """
            { "resourceType": "Questionnaire", "status": "active", \(root) "item": [ \(items) ] }
            """
        let result = FHIRImport.load(source: SourceFile(path: "q.json", text: text))
        return try #require(result.interview, "\(result.diagnostics)")
    }

    func refusal(_ items: String) -> String {
        let text = #"{ "resourceType": "Questionnaire", "status": "active", "item": [ "# + items + " ] }"
        return FHIRImport.load(source: SourceFile(path: "q.json", text: text)).errors.first?.message ?? ""
    }

    static func variable(_ name: String, _ expression: String) -> String {
        """
        { "url": "http://hl7.org/fhir/StructureDefinition/variable",
          "valueExpression": { "name": "\(name)", "language": "text/fhirpath", "expression": "\(expression)" } }
        """
    }

    static func calculated(_ linkID: String, _ expression: String) -> String {
        """
        { "linkId": "\(linkID)", "type": "decimal", "text": "\(linkID)", "extension": [{
          "url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression",
          "valueExpression": { "language": "text/fhirpath", "expression": "\(expression)" } }] }
        """
    }

    static func answer(_ linkID: String) -> String { "%resource.item.where(linkId='\(linkID)').answer.value" }

    func score(_ interview: Interview, _ linkID: String, _ answers: [String: Double]) throws -> Double? {
        var recorded = [ItemState](repeating: .open, count: interview.items.count)
        for (linkID, value) in answers {
            let index = try #require(interview.items.firstIndex { $0.linkID == linkID })
            recorded[index] = .known(.number(value))
        }
        let rule = try #require(interview.rules.first { $0.linkID == linkID })
        return interview.evaluate(recorded: recorded).scores.first { $0.id == rule.id }?.value
    }

    /// Each group's subtotal reads its own group's answers: a variable is in
    /// scope on the item that declares it and the items inside it.
    @Test func aVariableIsScopedToTheItemThatDeclaresIt() throws {
        let interview = try load(
            """
            { "linkId": "g1", "type": "group", "text": "First", "extension": [\(Self.variable("subtotal", Self.answer("a")))],
              "item": [ { "linkId": "a", "type": "integer", "text": "a" }, \(Self.calculated("s1", "%subtotal * 2")) ] },
            { "linkId": "g2", "type": "group", "text": "Second", "extension": [\(Self.variable("subtotal", Self.answer("b")))],
              "item": [ { "linkId": "b", "type": "integer", "text": "b" }, \(Self.calculated("s2", "%subtotal * 2")) ] }
            """)
        #expect(try score(interview, "s1", ["a": 1, "b": 10]) == 2)
        #expect(try score(interview, "s2", ["a": 1, "b": 10]) == 20)
        let outside = refusal(
            """
            { "linkId": "g1", "type": "group", "text": "First", "extension": [\(Self.variable("subtotal", Self.answer("a")))],
              "item": [ { "linkId": "a", "type": "integer", "text": "a" } ] },
            \(Self.calculated("total", "%subtotal + 1"))
            """)
        #expect(outside.contains("linkId 'total'") && outside.contains("%subtotal is not defined"), "\(outside)")
    }

    /// A named expression of any kind is a variable, and a calculated item's
    /// value can be read like an answer.
    @Test func namedExpressionsAndCalculatedValuesCanBeRead() throws {
        let named = """
            "extension": [{ "url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression",
              "valueExpression": { "name": "doubled", "language": "text/fhirpath", "expression": "\(Self.answer("a")) * 2" } }],
            """
        let interview = try load(
            """
            { "linkId": "a", "type": "integer", "text": "a" },
            \(Self.calculated("t1", "%doubled + 1")),
            \(Self.calculated("t2", Self.answer("t1") + " * 10"))
            """, root: named)
        #expect(try score(interview, "t1", ["a": 3]) == 7)
        #expect(try score(interview, "t2", ["a": 3]) == 70)
    }

    @Test func arithmeticRoundingPowersAndPathsAsAuthorsWriteThem() throws {
        let bmi =
            "(%resource.repeat(item).where(linkId='w').answer.value / (\(Self.answer("h")) / 100).power(2)).round(1)"
        let interview = try load(
            """
            { "linkId": "h", "type": "decimal", "text": "height" },
            { "linkId": "w", "type": "decimal", "text": "weight" },
            \(Self.calculated("bmi", bmi)),
            \(Self.calculated("flag", "iif(\(Self.answer("w")) = 70, 1, 0) + \(Self.answer("h")).count()"))
            """)
        #expect(try score(interview, "bmi", ["h": 180, "w": 70]) == 21.6)
        #expect(try score(interview, "flag", ["h": 180, "w": 70]) == 2)
        // FHIRPath's comparison with no answer is empty, and iif takes the else branch.
        #expect(try score(interview, "flag", [:]) == 0)
    }

    @Test func anUnsupportedFunctionOrOperatorIsNamed() {
        for (expression, named) in [
            ("today() - 1", "'today()'"), ("\(Self.answer("a")) div 2", "'div'"),
            ("\(Self.answer("a")).aggregate($total)", "'aggregate()'"), ("'a' & 'b'", "'&'"),
        ] {
            let message = refusal(
                #"{ "linkId": "a", "type": "integer", "text": "a" }, "# + Self.calculated("t", expression))
            #expect(message.contains("linkId 't'") && message.contains(named), "\(expression): \(message)")
        }
    }

    @Test func enableWhenExpressionRoutesAsFHIRSays() throws {
        let interview = try load(
            """
            { "linkId": "n", "type": "integer", "text": "n" },
            { "linkId": "more", "type": "string", "text": "more", "extension": [{
              "url": "http://hl7.org/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression",
              "valueExpression": { "language": "text/fhirpath", "expression": "\(Self.answer("n")) * 2 > 10" } }] },
            { "linkId": "six", "type": "string", "text": "six", "extension": [{
              "url": "http://hl7.org/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression",
              "valueExpression": { "language": "text/fhirpath",
                "expression": "%resource.repeat(item).where(linkId='n' and answer.empty().not()).select(answer.value) = 6" } }] }
            """)
        func route(_ answers: [Int: ItemState]) -> [Bool] {
            var recorded = [ItemState](repeating: .open, count: interview.items.count)
            for (index, state) in answers { recorded[index] = state }
            return interview.evaluate(recorded: recorded).route
        }
        #expect(route([:]) == [true, false, false])
        #expect(route([0: .known(.number(6))]) == [true, true, true])
        #expect(route([0: .known(.number(5))]) == [true, false, false])
    }

    @Test func anOpenChoiceWithAnswerOptionsImportsWithItsOther() throws {
        let interview = try load(
            """
            { "linkId": "c", "type": "open-choice", "text": "c",
              "answerOption": [{ "valueCoding": { "code": "x", "display": "X" } }] },
            { "linkId": "d", "type": "string", "text": "d",
              "enableWhen": [{ "question": "c", "operator": "=", "answerCoding": { "code": "x" } }] }
            """)
        #expect(interview.items[0].kind.options?.map(\.code) == ["x", "other"])
        #expect(interview.items[1].id == "c_other")
    }

    @Test func anOptionWithAnApostropheCanBeAConditionsAnswer() throws {
        let interview = try load(
            """
            { "linkId": "c", "type": "choice", "text": "c", "answerOption": [{ "valueString": "don't know" }, { "valueString": "yes" }] },
            { "linkId": "d", "type": "string", "text": "d",
              "enableWhen": [{ "question": "c", "operator": "=", "answerString": "don't know" }] }
            """)
        var recorded = [ItemState](repeating: .open, count: interview.items.count)
        recorded[0] = .known(.code("don't_know", weight: nil))
        #expect(interview.evaluate(recorded: recorded).route == [true, true])
    }

    @Test func aCalculatedItemSaysWhereItsScoreIsOnce() throws {
        let interview = try load(
            #"{ "linkId": "a", "type": "integer", "text": "a" }, "# + Self.calculated("t", Self.answer("a")))
        let display = try #require(interview.items.first { $0.linkID == "t" })
        #expect(display.instructions?.resolved() == "Calculated: see the results (score t).")
    }

    @Test func duplicateLinkIdsAreRefusedWhereTheSecondStands() {
        let message = refusal(
            #"{ "linkId": "a", "type": "integer", "text": "a" }, { "linkId": "a", "type": "string", "text": "b" }"#)
        #expect(message.contains("linkId 'a' is used twice (first on line 1)"), "\(message)")
    }

    @Test func aQuantityIsADecimalInItsUnit() throws {
        let interview = try load(
            """
            { "linkId": "w", "type": "quantity", "text": "Weight", "extension": [{
              "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-unit",
              "valueCoding": { "system": "http://unitsofmeasure.org", "code": "kg", "display": "kilograms" } }] }
            """)
        guard case .decimal(let range) = interview.items[0].kind else {
            Issue.record("not a decimal: \(interview.items[0].kind)")
            return
        }
        #expect(range.unit == "kilograms")
    }
}

/// answerValueSet by canonical URL, from ValueSets given as files.
@Suite struct FHIRValueSetTests {
    static let questionnaire = """
        { "resourceType": "Questionnaire", "status": "active", "item": [
          { "linkId": "a", "type": "choice", "text": "a", "answerValueSet": "http://example.org/fhir/ValueSet/yes-no-unsure|1.0.0" },
          { "linkId": "b", "type": "choice", "text": "b", "answerValueSet": "http://example.org/fhir/ValueSet/frequency" } ] }
        """

    @Test func optionsComeFromAValueSetFileOrABundle() throws {
        let (library, problems) = ValueSetLibrary.read(path: Repository.path("Tests/Fixtures/value-sets"))
        #expect(problems.isEmpty)
        let result = FHIRImport.load(source: SourceFile(path: "q.json", text: Self.questionnaire), valueSets: library)
        let interview = try #require(result.interview, "\(result.diagnostics)")
        #expect(interview.items[0].kind.options?.map(\.code) == ["Y", "N", "U"])
        #expect(interview.items[1].kind.options?.map { $0.label.resolved() } == ["Never", "Often"])
    }

    @Test func aValueSetThatIsNotGivenIsNamed() {
        let result = FHIRImport.load(source: SourceFile(path: "q.json", text: Self.questionnaire))
        let message = result.errors.first?.message ?? ""
        #expect(
            message.contains("linkId 'a'") && message.contains("http://example.org/fhir/ValueSet/yes-no-unsure|1.0.0"))
        #expect(message.contains("--value-sets"))
    }
}

/// A QuestionnaireResponse answers its Questionnaire as it declares.
@Suite struct FHIRResponseFidelityTests {
    @Test func eachAnswerHasTheTypeItsItemDeclares() throws {
        let text = """
            { "resourceType": "Questionnaire", "status": "active", "url": "http://example.org/fhir/Questionnaire/intake",
              "version": "2", "item": [
              { "linkId": "s", "type": "string", "text": "s" },
              { "linkId": "u", "type": "url", "text": "u" },
              { "linkId": "t", "type": "time", "text": "t" },
              { "linkId": "dt", "type": "dateTime", "text": "dt" },
              { "linkId": "q", "type": "quantity", "text": "q", "extension": [{
                "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-unit", "valueCoding": { "code": "kg" } }] },
              { "linkId": "c", "type": "choice", "text": "c", "answerOption": [
                { "valueCoding": { "system": "http://snomed.info/sct", "code": "373066001", "display": "Yes" },
                  "extension": [{ "url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": 1 }] }] },
              { "linkId": "cs", "type": "choice", "text": "cs", "answerOption": [{ "valueString": "a lot" }] },
              { "linkId": "r", "type": "reference", "text": "r" } ] }
            """
        let interview = try #require(FHIRImport.load(source: SourceFile(path: "q.json", text: text)).interview)
        var session = Session(interview: interview, clock: .fixed(Date(timeIntervalSince1970: 0)))
        for input: AnswerInput in [
            .text("words"), .text("http://example.org"), .text("14:30:00"), .date("2026-12-01"), .number(70.5),
            .code("373066001"), .code("a_lot"), .text("Practitioner/7"),
        ] {
            #expect(session.answer(input).status == .accepted)
        }
        let resource = FHIRResponse.questionnaireResponse(
            session: session, header: nil, status: "completed", authored: nil)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(resource.serialized().utf8)) as? [String: Any])
        #expect(json["questionnaire"] as? String == "http://example.org/fhir/Questionnaire/intake|2")
        let items = try #require(json["item"] as? [[String: Any]])
        var answers: [String: [String: Any]] = [:]
        for item in items {
            answers[item["linkId"] as! String] = (item["answer"] as? [[String: Any]])?.first
        }
        #expect(answers["s"]?["valueString"] as? String == "words")
        #expect(answers["u"]?["valueUri"] as? String == "http://example.org")
        #expect(answers["t"]?["valueTime"] as? String == "14:30:00")
        #expect(answers["dt"]?["valueDateTime"] as? String == "2026-12-01")
        #expect((answers["q"]?["valueQuantity"] as? [String: Any])?["unit"] as? String == "kg")
        let coding = try #require(answers["c"]?["valueCoding"] as? [String: Any])
        #expect(coding["system"] as? String == "http://snomed.info/sct")
        let ordinal = try #require((coding["extension"] as? [[String: Any]])?.first)
        #expect(ordinal["url"] as? String == "http://hl7.org/fhir/StructureDefinition/ordinalValue")
        #expect(answers["cs"]?["valueString"] as? String == "a lot")
        #expect((answers["r"]?["valueReference"] as? [String: Any])?["reference"] as? String == "Practitioner/7")
        // Read back, no answer is dropped (a valueUri once was, silently).
        let (file, problems) = FHIRResponseImport.answerFile(
            source: SourceFile(path: "qr.json", text: resource.serialized()), interview: interview)
        #expect(problems.isEmpty, "\(problems)")
        guard case .object(let answerFile)? = file,
            case .object(let read)? = answerFile.first(where: { $0.0 == "answers" })?.1
        else {
            Issue.record("no answers")
            return
        }
        #expect(read.map(\.0) == ["s", "u", "t", "dt", "q", "c", "cs", "r"])
    }

    @Test func groupsAndQuestionsStayNestedAsInTheQuestionnaire() throws {
        let text = """
            { "resourceType": "Questionnaire", "status": "active", "item": [
              { "linkId": "g1", "type": "group", "text": "Outer", "item": [
                { "linkId": "q1", "type": "string", "text": "q1", "item": [ { "linkId": "q1a", "type": "string", "text": "q1a" } ] },
                { "linkId": "g2", "type": "group", "text": "Inner", "item": [ { "linkId": "q2", "type": "string", "text": "q2" } ] } ] } ] }
            """
        let interview = try #require(FHIRImport.load(source: SourceFile(path: "q.json", text: text)).interview)
        var session = Session(interview: interview, clock: .fixed(Date(timeIntervalSince1970: 0)))
        while session.currentItem != nil { session.answer(.text("x")) }
        let resource = FHIRResponse.questionnaireResponse(
            session: session, header: nil, status: "completed", authored: nil)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(resource.serialized().utf8)) as? [String: Any])
        func linkIDs(_ items: Any?) -> [String] {
            (items as? [[String: Any]])?.compactMap { $0["linkId"] as? String } ?? []
        }
        let top = try #require(json["item"] as? [[String: Any]])
        #expect(linkIDs(top) == ["g1"])
        let outer = try #require(top.first?["item"] as? [[String: Any]])
        #expect(linkIDs(outer) == ["q1", "g2"])
        let answer = try #require((outer[0]["answer"] as? [[String: Any]])?.first)
        #expect(linkIDs(answer["item"]) == ["q1a"])
        #expect(linkIDs(outer[1]["item"]) == ["q2"])
    }
}
