import ClinterviewCore
import ClinterviewJournal
import Foundation

/// Reads a FHIR QuestionnaireResponse as an answer file, matching answers to
/// items by linkId, so real responses can be replayed.
public enum FHIRResponseImport {
    public static func isResponse(_ bytes: [UInt8]) -> Bool {
        guard FHIRSniffing.mayBeResource(bytes) else { return false }
        guard let root = try? JSONParser.parse(bytes), case .object(let object) = root.value,
            case .string(let type)? = object["resourceType"]?.value
        else { return false }
        return type == "QuestionnaireResponse"
    }

    /// The answer file, and problems (answers to unknown linkIds) with their positions.
    public static func answerFile(source: SourceFile, interview: Interview) -> (JSONOutput?, [Diagnostic]) {
        var sink = DiagnosticSink(source: source)
        guard let root = try? JSONParser.parse(source.bytes), case .object(let object) = root.value else {
            sink.error(.jsonSyntax, at: 0, "not a JSON object")
            return (nil, sink.sorted)
        }
        var byLink: [String: Item] = [:]
        for item in interview.items where item.kind.isAnswerable { byLink[item.linkID ?? item.id] = item }
        var answers: [(String, JSONOutput)] = []
        func visit(_ nodes: [JSONNode]) {
            for node in nodes {
                guard case .object(let item) = node.value, case .string(let linkID)? = item["linkId"]?.value else {
                    continue
                }
                var values: [JSONOutput] = []
                if case .array(let list)? = item["answer"]?.value {
                    for answerNode in list {
                        guard case .object(let answer) = answerNode.value else { continue }
                        if let value = convert(answer, item: byLink[linkID]) { values.append(value) }
                        if case .array(let nested)? = answer["item"]?.value { visit(nested) }
                    }
                }
                if !values.isEmpty {
                    if let target = byLink[linkID] {
                        if case .multipleChoice = target.kind {
                            answers.append((target.id, .array(values)))
                        } else {
                            answers.append((target.id, values[0]))
                        }
                    } else if !interview.scores.contains(where: { $0.linkID == linkID }) {
                        sink.warning(
                            .unknownReference, at: node.offset,
                            "linkId '\(linkID)' is not a question of \(interview.id); its answer is ignored")
                    }
                }
                if case .array(let children)? = item["item"]?.value { visit(children) }
            }
        }
        if case .array(let items)? = object["item"]?.value { visit(items) }
        var members: [(String, JSONOutput)] = [("interview", .string(interview.id))]
        if case .object(let subject)? = object["subject"]?.value,
            case .object(let identifier)? = subject["identifier"]?.value,
            case .string(let client)? = identifier["value"]?.value
        {
            members.append(("client", .string(client)))
        }
        if case .string(let authored)? = object["authored"]?.value,
            Timestamp.date(authored) != nil || CalendarDate.daysSinceEpoch(iso: authored) != nil
        {
            members.append(("date", .string(authored)))
        }
        members.append(("answers", .object(answers)))
        return (.object(members), sink.sorted)
    }

    static func convert(_ answer: JSONObject, item: Item?) -> JSONOutput? {
        for member in answer.members where member.key.hasPrefix("value") {
            switch (member.key, member.value.value) {
            case ("valueCoding", .object(let coding)):
                if case .string(let code)? = coding["code"]?.value {
                    return .string(String(code.map { $0.isWhitespace ? "_" : $0 }))
                }
            case ("valueString", .string(let text)):
                if case .text? = item?.kind { return .string(text) }
                return .string(String(text.map { $0.isWhitespace ? "_" : $0 }))
            case ("valueBoolean", .bool(let value)): return .bool(value)
            case ("valueInteger", .number(let n)), ("valueDecimal", .number(let n)):
                if item?.kind.options != nil { return .string(formatNumber(n.value)) }
                return .number(n.value)
            case ("valueDate", .string(let text)), ("valueDateTime", .string(let text)):
                if item?.kind.options != nil { return .string(text) }
                return .string(String(text.prefix(10)))
            case ("valueTime", .string(let text)): return .string(text)
            case ("valueQuantity", .object(let quantity)):
                guard case .number(let amount)? = quantity["value"]?.value else { continue }
                var unitText = ""
                if case .string(let code)? = quantity["code"]?.value {
                    unitText = code
                } else if case .string(let unit)? = quantity["unit"]?.value {
                    unitText = unit
                }
                let units = ["d": "days", "wk": "weeks", "mo": "months", "a": "years"]
                let unit = units[unitText] ?? DurationUnit(word: unitText)?.rawValue
                if case .duration? = item?.kind, let unit { return .string("\(formatNumber(amount.value)) \(unit)") }
                return .number(amount.value)
            default: continue
            }
        }
        return nil
    }
}
