import ClinterviewCore
import ClinterviewJournal
import Foundation

/// A session as a FHIR R4 QuestionnaireResponse: items on the route only,
/// grouped by section, under their original linkIds when imported.
public enum FHIRResponse {
    public static let noteExtension = "urn:clinterview:extension:note"
    public static let itemCodeExtension = "urn:clinterview:extension:item-code"
    /// R4's extension for an option's score, on the Coding.
    public static let ordinalValueExtension = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
    /// The head of the session's journal chain: anchor it to show later that
    /// nothing was removed or rewritten (`clinterview verify --head`).
    public static let journalHeadExtension = "urn:clinterview:extension:journal-head-sha256"
    public static let definitionExtension = "urn:clinterview:extension:definition-sha256"

    public static func status(of contents: JournalContents) -> String {
        guard let completedAt = contents.records.firstIndex(where: { $0.event == .completed }) else {
            return "in-progress"
        }
        let changedAfter = contents.records[completedAt...].contains {
            if case .changed = $0.event { true } else { false }
        }
        return changedAfter ? "amended" : "completed"
    }

    public static func questionnaireResponse(
        session: Session, header: SessionHeader?, status: String, authored: Date?, journalHead: String? = nil
    ) -> JSONOutput {
        let interview = session.interview
        let language = header?.language
        func text(_ t: LocalizedText?) -> String { t?.resolved(language, fallbacks: interview.languages) ?? "" }
        let imported = interview.items.contains { $0.linkID != nil }
        let evaluation = session.evaluate()
        var placed = Set<String>()
        /// A calculated value, where an imported Questionnaire had its item.
        func calculated(_ rule: Rule) -> JSONOutput? {
            guard let value = evaluation.scores.first(where: { $0.id == rule.id })?.value else { return nil }
            let answer: JSONOutput =
                value.rounded() == value
                ? .object([("valueInteger", .number(value))]) : .object([("valueDecimal", .number(value))])
            return .object([
                ("linkId", .string(rule.linkID ?? rule.id)), ("text", .string(text(rule.label))),
                ("answer", .array([answer])),
            ])
        }
        let tree = ResponseTree()
        for section in interview.sections {
            // Clinterview's own sections are groups; an imported section is one when it came from a group.
            var group: ResponseTree.Entry?
            if section.linkID != nil || !imported {
                let entry = ResponseTree.Entry(
                    linkID: section.linkID ?? section.id, isGroup: true,
                    fields: [
                        ("linkId", .string(section.linkID ?? section.id)), ("text", .string(text(section.title))),
                    ])
                tree.add(entry, parent: section.fhirParent, container: nil)
                group = entry
            }
            for index in section.itemRange where session.route[index] {
                let item = interview.items[index]
                if case .display = item.kind, let linkID = item.linkID,
                    let rule = interview.rules.first(where: { $0.kind == .score && $0.linkID == linkID })
                {
                    placed.insert(rule.id)
                    if case .object(let fields)? = calculated(rule) {
                        tree.add(
                            ResponseTree.Entry(linkID: linkID, isGroup: false, fields: fields), parent: item.fhirParent,
                            container: group)
                    }
                    continue
                }
                if case .display = item.kind, item.fhirType == "group", let linkID = item.linkID {
                    tree.add(
                        ResponseTree.Entry(
                            linkID: linkID, isGroup: true,
                            fields: [("linkId", .string(linkID)), ("text", .string(text(item.prompt)))]),
                        parent: item.fhirParent, container: group)
                    continue
                }
                // Items Clinterview added to an imported form ("add another?", the words of an
                // open-choice "other") are not the form's: the words go in the question's answer.
                if imported, item.linkID == nil { continue }
                let notes = session.notes[index] ?? []
                var answers = answerValues(session.responses[index]?.answer, item: item, text: text)
                if imported, case .value(_, .code("other"))? = session.responses[index]?.answer,
                    let otherIndex = interview.itemIndex[item.id + "_other"],
                    case .value(_, .text(let words))? = session.responses[otherIndex]?.answer
                {
                    answers = [.object([("valueString", .string(words))])]
                }
                var fields: [(String, JSONOutput)] = []
                var extensions: [JSONOutput] = notes.map {
                    .object([("url", .string(noteExtension)), ("valueString", .string($0.text))])
                }
                if let code = item.standardCode {
                    extensions.append(
                        .object([
                            ("url", .string(itemCodeExtension)),
                            ("valueCoding", coding(system: code.system, code: code.code, display: code.display)),
                        ]))
                }
                if !notes.isEmpty || !answers.isEmpty, !extensions.isEmpty {
                    fields.append(("extension", .array(extensions)))
                }
                fields.append(("linkId", .string(item.linkID ?? item.id)))
                fields.append(("text", .string(text(item.prompt))))
                tree.add(
                    ResponseTree.Entry(
                        linkID: item.linkID ?? item.id, isGroup: false, fields: fields, answers: answers),
                    parent: item.fhirParent, container: group)
            }
        }
        var groups = tree.outputs
        for rule in interview.rules where rule.kind == .score && !placed.contains(rule.id) {
            if let entry = calculated(rule) { groups.append(entry) }
        }
        var resource: [(String, JSONOutput)] = [
            ("resourceType", .string("QuestionnaireResponse"))
        ]
        if let header { resource.append(("id", .string(header.sessionID))) }
        var anchors: [JSONOutput] = []
        if let journalHead {
            anchors.append(.object([("url", .string(journalHeadExtension)), ("valueString", .string(journalHead))]))
        }
        if let header {
            anchors.append(
                .object([("url", .string(definitionExtension)), ("valueString", .string(header.definitionSHA256))]))
        }
        if !anchors.isEmpty { resource.append(("extension", .array(anchors))) }
        resource.append(
            (
                "questionnaire",
                .string(interview.fhirQuestionnaire ?? "urn:clinterview:interview:\(interview.id)|\(interview.version)")
            ))
        resource.append(("status", .string(status)))
        if let header {
            resource.append(("subject", .object([("identifier", .object([("value", .string(header.client))]))])))
            resource.append(("author", .object([("display", .string("\(header.rater) (\(header.role))"))])))
        }
        if let authored { resource.append(("authored", .string(Timestamp.string(authored)))) }
        resource.append(("item", .array(groups)))
        return .object(resource)
    }

    static func coding(system: String?, code: String, display: String?) -> JSONOutput {
        var fields: [(String, JSONOutput)] = []
        if let system { fields.append(("system", .string(system))) }
        fields.append(("code", .string(code)))
        if let display { fields.append(("display", .string(display))) }
        return .object(fields)
    }

    /// An answer as the item's value[x]: for an imported item, the type its
    /// Questionnaire declares (`fhirType`, and `fhirAnswer` for a choice).
    static func answerValues(_ answer: RecordedAnswer?, item: Item, text: (LocalizedText?) -> String) -> [JSONOutput] {
        guard let answer else { return [] }
        func value(_ key: String, _ content: JSONOutput) -> JSONOutput { .object([(key, content)]) }
        func optionAnswer(_ code: String) -> JSONOutput {
            let option = item.option(code)
            switch item.fhirAnswer {
            case "valueString": return value("valueString", .string(option.map { text($0.label) } ?? code))
            case "valueInteger": return value("valueInteger", Double(code).map(JSONOutput.number) ?? .string(code))
            case "valueDate": return value("valueDate", .string(code))
            case "valueTime": return value("valueTime", .string(code))
            default: break
            }
            var fields: [(String, JSONOutput)] = []
            if let weight = option?.weight {
                fields.append(
                    (
                        "extension",
                        .array([.object([("url", .string(ordinalValueExtension)), ("valueDecimal", .number(weight))])])
                    ))
            }
            if let system = option?.system { fields.append(("system", .string(system))) }
            fields.append(("code", .string(code)))
            if let label = option.map({ text($0.label) }) { fields.append(("display", .string(label))) }
            return value("valueCoding", .object(fields))
        }
        switch answer {
        case .skipped: return []
        case .inadequate(let code): return [optionAnswer(code)]
        case .value(_, let input):
            switch (input, item.kind) {
            case (.code(let code), _): return [optionAnswer(code)]
            case (.codes(let codes), _): return codes.map(optionAnswer)
            case (.bool(let b), _): return [value("valueBoolean", .bool(b))]
            case (.number(let n), _) where item.fhirType == "quantity":
                var quantity: [(String, JSONOutput)] = [("value", .number(n))]
                if case .decimal(let range) = item.kind, let unit = range.unit {
                    quantity.append(("unit", .string(unit)))
                }
                return [value("valueQuantity", .object(quantity))]
            case (.number(let n), .integer): return [value("valueInteger", .number(n))]
            case (.number(let n), _): return [value("valueDecimal", .number(n))]
            case (.date(let d), _):
                return [value(item.fhirType == "dateTime" ? "valueDateTime" : "valueDate", .string(d))]
            case (.text(let t), _):
                switch item.fhirType {
                case "url": return [value("valueUri", .string(t))]
                case "reference": return [value("valueReference", .object([("reference", .string(t))]))]
                case "time" where Self.isTime(t): return [value("valueTime", .string(t))]
                default: return [value("valueString", .string(t))]
                }
            case (.duration(let amount, let unit), _):
                let ucum = ["days": "d", "weeks": "wk", "months": "mo", "years": "a"][unit.rawValue] ?? "d"
                return [
                    value(
                        "valueQuantity",
                        .object([
                            ("value", .number(amount)), ("unit", .string(unit.rawValue)),
                            ("system", .string("http://unitsofmeasure.org")), ("code", .string(ucum)),
                        ]))
                ]
            }
        }
    }

    /// FHIR's time: hh:mm:ss, with an optional fraction.
    static func isTime(_ text: String) -> Bool {
        text.range(of: #"^([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?$"#, options: .regularExpression)
            != nil
    }
}
