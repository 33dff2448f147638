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
        // The first item of each linkId; later instances of a repeating section are found by id.
        var byLink: [String: Item] = [:]
        for item in interview.items where item.kind.isAnswerable && byLink[item.linkID ?? item.id] == nil {
            byLink[item.linkID ?? item.id] = item
        }
        var answers: [(String, JSONOutput)] = []
        var notes: [(String, JSONOutput)] = []
        /// Repeating section (as written) to the most instances answered.
        var instancesUsed: [String: Int] = [:]
        /// The item answering `linkID` in instance `instance` of its section.
        func target(_ linkID: String, instance: Int) -> Item? {
            guard let first = byLink[linkID] else { return nil }
            guard instance > 1 else { return first }
            return interview.itemIndex[RepeatedSection.instanceID(first.id, instance)].map { interview.items[$0] }
        }
        func noteInstance(_ item: Item) {
            let section = interview.sections[item.section].id
            let parts = section.components(separatedBy: RepeatedSection.separator)
            let base = parts[0]
            let instance = parts.count > 1 ? Int(parts[1]) ?? 1 : 1
            if interview.itemIndex[RepeatedSection.moreID(section: base, after: 1)] != nil {
                instancesUsed[base] = max(instancesUsed[base] ?? 0, instance)
            }
        }
        /// `instance`: which instance of a repeated group these items belong to (1 outside any).
        func visit(_ nodes: [JSONNode], instance: Int) {
            var seen: [String: Int] = [:]
            for node in nodes {
                guard case .object(let item) = node.value, case .string(let linkID)? = item["linkId"]?.value else {
                    continue
                }
                // A linkId met again among its siblings is the next instance of a repeating group or question.
                seen[linkID, default: 0] += 1
                let here = instance > 1 ? instance : seen[linkID]!
                var values: [JSONOutput] = []
                if case .array(let list)? = item["answer"]?.value {
                    for answerNode in list {
                        guard case .object(let answer) = answerNode.value else { continue }
                        if let value = convert(answer, item: target(linkID, instance: here)) {
                            values.append(value)
                        } else if let key = answer.members.first(where: { $0.key.hasPrefix("value") })?.key {
                            sink.warning(
                                .invalidAnswer, at: answerNode.offset,
                                "linkId '\(linkID)': a \(key) answer cannot be given to this item; it is left out")
                        }
                        if case .array(let nested)? = answer["item"]?.value { visit(nested, instance: here) }
                    }
                }
                // Notes Clinterview wrote as an extension come back as notes.
                var itemNotes: [JSONOutput] = []
                if case .array(let extensions)? = item["extension"]?.value {
                    for node in extensions {
                        guard case .object(let ext) = node.value,
                            case .string(FHIRResponse.noteExtension)? = ext["url"]?.value,
                            case .string(let note)? = ext["valueString"]?.value
                        else { continue }
                        itemNotes.append(.string(note))
                    }
                }
                if !itemNotes.isEmpty, let noted = target(linkID, instance: here) {
                    notes.append((noted.id, .array(itemNotes)))
                }
                if !values.isEmpty {
                    if let first = target(linkID, instance: here) {
                        if case .multipleChoice = first.kind {
                            answers.append((first.id, .array(values)))
                            noteInstance(first)
                        } else {
                            // Several answers to a question that repeats as a section: one instance each.
                            for (offset, value) in values.enumerated() {
                                guard let answered = target(linkID, instance: here + offset) else { break }
                                if case .string(let text) = value, let options = answered.kind.options,
                                    !options.contains(where: { $0.code == text }),
                                    options.contains(where: { $0.code == "other" }),
                                    interview.itemIndex[answered.id + "_other"] != nil
                                {
                                    // An open-choice answer in words: "other", and the words.
                                    answers.append((answered.id, .string("other")))
                                    answers.append((answered.id + "_other", .string(text)))
                                } else {
                                    answers.append((answered.id, value))
                                }
                                noteInstance(answered)
                            }
                        }
                    } else if !interview.scores.contains(where: { $0.linkID == linkID }) {
                        sink.warning(
                            .unknownReference, at: node.offset,
                            "linkId '\(linkID)' is not a question of \(interview.id); its answer is ignored")
                    }
                }
                if case .array(let children)? = item["item"]?.value { visit(children, instance: here) }
            }
        }
        if case .array(let items)? = object["item"]?.value { visit(items, instance: 1) }
        // The "add another?" answers that bring each instance answered onto the route.
        for (section, used) in instancesUsed.sorted(by: { $0.key < $1.key }) {
            for k in 1..<max(used, 1) {
                answers.append((RepeatedSection.moreID(section: section, after: k), .bool(true)))
            }
            let last = RepeatedSection.moreID(section: section, after: used)
            if interview.itemIndex[last] != nil { answers.append((last, .bool(false))) }
        }
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
        // Clinterview writes the author as "rater (role)".
        if case .object(let author)? = object["author"]?.value, case .string(let display)? = author["display"]?.value {
            if let open = display.lastIndex(of: "("), display.hasSuffix(")"), open > display.startIndex {
                members.append(("rater", .string(String(display[..<open]).trimmingCharacters(in: .whitespaces))))
                members.append(
                    (
                        "role",
                        .string(String(display[display.index(after: open)..<display.index(before: display.endIndex)]))
                    ))
            } else {
                members.append(("rater", .string(display)))
            }
        }
        members.append(("answers", .object(answers)))
        if !notes.isEmpty { members.append(("notes", .object(notes))) }
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
                let code = String(text.map { $0.isWhitespace ? "_" : $0 })
                if let options = item?.kind.options, !options.contains(where: { $0.code == code }),
                    options.contains(where: { $0.code == "other" })
                {
                    return .string(text)
                }
                return .string(code)
            case ("valueBoolean", .bool(let value)): return .bool(value)
            case ("valueInteger", .number(let n)), ("valueDecimal", .number(let n)):
                if item?.kind.options != nil { return .string(formatNumber(n.value)) }
                return .number(n.value)
            case ("valueDate", .string(let text)), ("valueDateTime", .string(let text)):
                if item?.kind.options != nil { return .string(text) }
                return .string(String(text.prefix(10)))
            case ("valueTime", .string(let text)), ("valueUri", .string(let text)): return .string(text)
            case ("valueReference", .object(let reference)):
                if case .string(let text)? = reference["reference"]?.value { return .string(text) }
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
