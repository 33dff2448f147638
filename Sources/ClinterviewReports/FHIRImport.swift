import ClinterviewCore
import Foundation

/// Reads a FHIR R4 Questionnaire into an interview definition.
///
/// Routing keeps FHIR's meaning exactly: an unanswered or disabled question
/// makes `=`, `>` and the like false and `!=` true, `exists` compares
/// "has an answer", and a disabled group disables everything in it. Anything
/// that cannot be translated is an error naming the linkId and where it is.
public enum FHIRImport {
    public struct Result: Sendable {
        /// The definition in Clinterview's format, when there were no errors.
        public var definition: JSONOutput?
        public var diagnostics: [Diagnostic]
    }

    public static func isQuestionnaire(_ bytes: [UInt8]) -> Bool {
        guard FHIRSniffing.mayBeResource(bytes) else { return false }
        guard let root = try? JSONParser.parse(bytes), case .object(let object) = root.value,
            case .string(let type)? = object["resourceType"]?.value
        else { return false }
        return type == "Questionnaire"
    }

    public static func convert(source: SourceFile, valueSets: ValueSetLibrary = ValueSetLibrary()) -> Result {
        var run = ImportRun(sink: DiagnosticSink(source: source), valueSets: valueSets)
        let definition = run.convert()
        return Result(definition: run.sink.hasErrors ? nil : definition, diagnostics: run.sink.sorted)
    }

    /// Imports and loads in one step, for commands that accept a Questionnaire
    /// wherever they accept a definition. Diagnostics point into the FHIR file.
    public static func load(source: SourceFile, valueSets: ValueSetLibrary = ValueSetLibrary()) -> LoadResult {
        let imported = convert(source: source, valueSets: valueSets)
        guard let definition = imported.definition else {
            return LoadResult(interview: nil, diagnostics: imported.diagnostics)
        }
        let converted = SourceFile(path: source.path, text: definition.serialized(indent: "  "))
        var loaded = InterviewLoader.load(source: converted)
        loaded.diagnostics = imported.diagnostics + afterImport(loaded.diagnostics)
        return loaded
    }

    /// Problems found in the converted definition are about the translation:
    /// they point at the Questionnaire, never into a file the user has not seen.
    public static func afterImport(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.map { diagnostic in
            var moved = diagnostic
            moved.location = SourcePosition(line: 1, column: 1)
            moved.message = "after import from FHIR: " + diagnostic.message
            return moved
        }
    }
}

/// Loads a definition file in Clinterview's format or as a FHIR Questionnaire.
public enum DefinitionLoader {
    /// `lint: false` leaves out the warnings (errors are always found), for
    /// commands that print only errors: the lint's what-if evaluations were
    /// most of the cost of loading a definition to replay it.
    public static func load(path: String, lint: Bool = true) -> (LoadResult, bytes: [UInt8]?) {
        switch InterviewLoader.readFile(path: path) {
        case .failure(let diagnostic): return (LoadResult(interview: nil, diagnostics: [diagnostic]), nil)
        case .success(let bytes): return (load(source: SourceFile(path: path, bytes: bytes), lint: lint), bytes)
        }
    }

    public static func load(source: SourceFile, lint: Bool = true) -> LoadResult {
        FHIRImport.isQuestionnaire(source.bytes)
            ? FHIRImport.load(source: source) : InterviewLoader.load(source: source, lint: lint)
    }
}

struct ImportRun {
    var sink: DiagnosticSink
    /// linkId to (our id, kind, option codes by FHIR value).
    var questions: [String: Question] = [:]
    var order: [String] = []
    var usedIDs = Set<String>()
    var modules: [JSONOutput] = []
    var scores: [JSONOutput] = []
    var containedValueSets: [String: JSONNode] = [:]
    var valueSets = ValueSetLibrary()
    var variables: [String: String] = [:]
    var calculated: [Calculated] = []
    var ignored: [String: Ignored] = [:]

    struct Ignored {
        var what: String
        var linkID: String
        var offset: Int
        var count = 0
    }
    /// The linkId of the repeating group being read, if any.
    var currentRepeat: String?

    struct Calculated {
        var node: JSONNode
        var linkID: String
        var label: String
        var id: String
        var text: String
        var variables: [String: String]
    }

    struct Question {
        var id: String
        var type: String
        var multiple: Bool
        /// FHIR answer (as written in enableWhen) to our option code.
        var codes: [String: String]
        var position: Int
        /// The repeating group (or repeating question) the question is asked in, once per instance.
        var repeatGroup: String?
    }

    func string(_ node: JSONNode?) -> String? {
        if case .string(let value)? = node?.value { return value }
        return nil
    }

    func objectOf(_ node: JSONNode?) -> JSONObject? {
        if case .object(let object)? = node?.value { return object }
        return nil
    }

    func array(_ node: JSONNode?) -> [JSONNode] {
        if case .array(let elements)? = node?.value { return elements }
        return []
    }

    mutating func error(_ node: JSONNode?, _ message: String) {
        sink.error(.fhirImport, at: node?.offset ?? 0, message)
    }

    mutating func convert() -> JSONOutput? {
        let root: JSONNode
        do {
            root = try JSONParser.parse(sink.source.bytes)
        } catch {
            sink.error(.jsonSyntax, at: error.offset, error.message)
            return nil
        }
        guard let object = objectOf(root), string(object["resourceType"]) == "Questionnaire" else {
            error(root, "not a FHIR Questionnaire: 'resourceType' must be \"Questionnaire\"")
            return nil
        }
        for resource in array(object["contained"]) {
            if let contained = objectOf(resource), string(contained["resourceType"]) == "ValueSet",
                let id = string(contained["id"])
            {
                containedValueSets[id] = resource
            }
        }
        declareVariables(object)
        guard linkIDsAreUnique(object) else { return nil }
        var topLevel: [JSONNode] = []
        for node in array(object["item"]) {
            if string(objectOf(node)?["type"]) == "group" {
                flushLoose(&topLevel)
                convertGroup(node, conditions: [], depth: 0)
            } else if isRepeatingQuestion(node) {
                flushLoose(&topLevel)
                if let section = repeatingQuestion(node, conditions: []) {
                    let id = uniqueID("items_\(modules.count + 1)")
                    modules.append(
                        .object([
                            ("id", .string("module_" + id)), ("title", .string("Questions")),
                            ("sections", .array([section])),
                        ]))
                }
            } else {
                topLevel.append(node)
            }
        }
        flushLoose(&topLevel)
        translateCalculated()
        warnIgnored()
        let title = string(object["title"]) ?? string(object["name"]) ?? "Imported questionnaire"
        var id = string(object["id"]) ?? string(object["name"]) ?? "fhir-questionnaire"
        id = String(id.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "-" })
        if id.isEmpty || !(id.first!.isLetter || id.first!.isNumber) { id = "q" + id }
        var members: [(String, JSONOutput)] = [
            ("format", .string(InterviewLoader.formatName)), ("id", .string(id)),
            ("version", .string(string(object["version"]) ?? "1")),
            ("title", .string(title)),
            (
                "source",
                .string(
                    "Imported from the FHIR R4 Questionnaire \(sink.source.path)"
                        + (string(object["url"]).map { " (\($0))" } ?? ""))
            ),
            ("notice", .string("Imported from FHIR by Clinterview; check it against its source before clinical use.")),
        ]
        if let copyright = string(object["copyright"]) { members.append(("copyright", .string(copyright))) }
        if let url = string(object["url"]) {
            let canonical = url + (string(object["version"]).map { "|" + $0 } ?? "")
            members.append(("fhir_questionnaire", .string(canonical)))
        }
        if modules.isEmpty {
            // Items that were each refused already say why; this is for a form with none at all.
            if !sink.hasErrors { error(root, "the Questionnaire has no items") }
            return nil
        }
        members.append(("modules", .array(modules)))
        if !scores.isEmpty { members.append(("scores", .array(scores))) }
        return .object(members)
    }

    // MARK: Structure

    /// Items outside any group become a module of their own.
    mutating func flushLoose(_ nodes: inout [JSONNode]) {
        guard !nodes.isEmpty else { return }
        var items: [JSONOutput] = []
        for node in nodes { convertItem(node, conditions: [], into: &items) }
        let id = uniqueID("items_\(modules.count + 1)")
        modules.append(
            .object([
                ("id", .string("module_" + id)), ("title", .string("Questions")),
                (
                    "sections",
                    .array([.object([("id", .string(id)), ("title", .string("Questions")), ("items", .array(items))])])
                ),
            ]))
        nodes = []
    }

    mutating func convertGroup(_ node: JSONNode, conditions: [String], depth: Int, parent: String? = nil) {
        guard let object = objectOf(node), let linkID = string(object["linkId"]) else {
            error(node, "an item has no linkId")
            return
        }
        let outerVariables = variables
        defer { variables = outerVariables }
        declareVariables(object)
        let repeats = isTrue(object["repeats"])
        if repeats {
            if let nested = array(object["item"]).first(where: { string(objectOf($0)?["type"]) == "group" }) {
                error(
                    nested,
                    "linkId '\(string(objectOf(nested)?["linkId"]) ?? "?")': a group inside the repeating group '\(linkID)' is not supported (repeating groups hold questions only)"
                )
                return
            }
            if let outer = currentRepeat {
                error(
                    object["repeats"],
                    "linkId '\(linkID)': a repeating group inside the repeating group '\(outer)' is not supported")
                return
            }
        }
        let outerRepeat = currentRepeat
        defer { currentRepeat = outerRepeat }
        if repeats { currentRepeat = linkID }
        var conditions = conditions
        if let condition = enableCondition(object, linkID: linkID) { conditions.append(condition) }
        var sections: [JSONOutput] = []
        var loose: [JSONOutput] = []
        let title = string(object["text"]) ?? linkID
        func flushSection(_ run: inout ImportRun) {
            guard !loose.isEmpty else { return }
            let id = run.uniqueID(run.identifier(for: linkID) + (sections.isEmpty ? "" : "_\(sections.count + 1)"))
            var section: [(String, JSONOutput)] = [
                ("id", .string(id)), ("link_id", .string(linkID)), ("title", .string(title)),
            ]
            if let parent { section.append(("fhir_parent", .string(parent))) }
            if !conditions.isEmpty {
                section.append(("when", .string(conditions.map { "(\($0))" }.joined(separator: " and "))))
            }
            if repeats { section.append(("repeat", run.repeatLimit(object, prompt: "Add another: \(title)?"))) }
            section.append(("items", .array(loose)))
            sections.append(.object(section))
            loose = []
        }
        for child in array(object["item"]) {
            if string(objectOf(child)?["type"]) == "group" {
                flushSection(&self)
                // Nested groups become the next sections of the same module.
                let before = modules.count
                convertGroup(child, conditions: conditions, depth: depth + 1, parent: linkID)
                if modules.count > before, case .object(let added) = modules.removeLast(),
                    case .array(let moreSections)? = added.first(where: { $0.0 == "sections" })?.1
                {
                    sections += moreSections
                }
            } else if !repeats, isRepeatingQuestion(child) {
                flushSection(&self)
                if let section = repeatingQuestion(child, conditions: conditions, parent: linkID) {
                    sections.append(section)
                }
            } else {
                convertItem(child, conditions: [], into: &loose)
            }
        }
        flushSection(&self)
        guard !sections.isEmpty else { return }
        modules.append(
            .object([
                ("id", .string(uniqueID("module_" + identifier(for: linkID)))), ("title", .string(title)),
                ("sections", .array(sections)),
            ]))
    }

    /// FHIR requires every linkId to be unique: answers are matched by it.
    mutating func linkIDsAreUnique(_ root: JSONObject) -> Bool {
        var first: [String: Int] = [:]
        var unique = true
        var stack = array(root["item"]).reversed() as [JSONNode]
        while let node = stack.popLast() {
            guard let object = objectOf(node) else { continue }
            if let linkNode = object["linkId"], let linkID = string(linkNode) {
                if let earlier = first[linkID] {
                    let line = sink.source.location(ofByte: earlier).line
                    error(
                        linkNode,
                        "linkId '\(linkID)' is used twice (first on line \(line)); linkIds must be unique in a Questionnaire"
                    )
                    unique = false
                } else {
                    first[linkID] = linkNode.offset
                }
            }
            stack += array(object["item"]).reversed()
            for answer in array(object["answer"]) { stack += array(objectOf(answer)?["item"]).reversed() }
        }
        return unique
    }

    func isTrue(_ node: JSONNode?) -> Bool {
        if case .bool(true)? = node?.value { true } else { false }
    }

    /// A question that takes several answers but is not a choice: asked as a
    /// section of one item that repeats.
    func isRepeatingQuestion(_ node: JSONNode) -> Bool {
        guard let object = objectOf(node), isTrue(object["repeats"]), let type = string(object["type"]) else {
            return false
        }
        return !["group", "display", "choice", "open-choice"].contains(type) && object["answerOption"] == nil
            && object["answerValueSet"] == nil
    }

    /// `repeat` for a section: questionnaire-maxOccurs when given, else 10.
    func repeatLimit(_ object: JSONObject, prompt: String) -> JSONOutput {
        var limit = 10
        for node in array(object["extension"]) {
            guard let ext = objectOf(node), string(ext["url"])?.hasSuffix("questionnaire-maxOccurs") == true,
                case .number(let n)? = ext["valueInteger"]?.value, let value = n.integerValue
            else { continue }
            limit = min(max(value, 2), 100)
        }
        return .object([("max", .number(Double(limit))), ("prompt", .string(prompt))])
    }

    mutating func repeatingQuestion(_ node: JSONNode, conditions: [String], parent: String? = nil) -> JSONOutput? {
        guard let object = objectOf(node), let linkID = string(object["linkId"]) else { return nil }
        let outerRepeat = currentRepeat
        defer { currentRepeat = outerRepeat }
        currentRepeat = linkID
        var items: [JSONOutput] = []
        convertItem(node, conditions: [], into: &items, repeatsAsSection: true, parent: parent)
        guard !items.isEmpty else { return nil }
        let title = string(object["text"]) ?? linkID
        var section: [(String, JSONOutput)] = [
            ("id", .string(uniqueID(identifier(for: linkID) + "_answers"))), ("title", .string(title)),
        ]
        if !conditions.isEmpty {
            section.append(("when", .string(conditions.map { "(\($0))" }.joined(separator: " and "))))
        }
        section.append(("repeat", repeatLimit(object, prompt: "Another answer to: \(title)?")))
        section.append(("items", .array(items)))
        return .object(section)
    }

    func identifier(for linkID: String) -> String {
        var id = String(
            linkID.unicodeScalars.map {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) ? Character($0) : "_"
            })
        while id.hasPrefix("_") { id.removeFirst() }
        if id.isEmpty || id.first!.isNumber { id = "q_" + id }
        if ["and", "or", "not", "in", "true", "false", "none"].contains(id) { id = "q_" + id }
        return id
    }

    mutating func uniqueID(_ base: String) -> String {
        var id = base
        var n = 2
        while usedIDs.contains(id) {
            id = "\(base)_\(n)"
            n += 1
        }
        usedIDs.insert(id)
        return id
    }

    mutating func convertItem(
        _ node: JSONNode, conditions: [String], into items: inout [JSONOutput], repeatsAsSection: Bool = false,
        parent: String? = nil
    ) {
        guard let object = objectOf(node), let linkID = string(object["linkId"]) else {
            error(node, "an item has no linkId")
            return
        }
        guard let type = string(object["type"]) else {
            error(node, "linkId '\(linkID)': the item has no type")
            return
        }
        let outerVariables = variables
        defer { variables = outerVariables }
        declareVariables(object)
        var conditions = conditions
        if let condition = enableCondition(object, linkID: linkID) { conditions.append(condition) }
        let calculated = array(object["extension"]).first {
            string(objectOf($0)?["url"])?.hasSuffix("calculatedExpression") == true
        }
        if calculated != nil, let group = currentRepeat {
            error(node, "linkId '\(linkID)': a calculated item inside the repeating group '\(group)' is not supported")
            return
        }
        if let calculated {
            // The calculated item keeps its place as a display item, so a response lists it where it stood.
            if let scoreID = convertCalculated(calculated, linkID: linkID, label: string(object["text"]) ?? linkID) {
                var display: [(String, JSONOutput)] = [
                    ("id", .string(uniqueID(scoreID + "_display"))), ("link_id", .string(linkID)),
                    ("kind", .string("display")),
                    ("prompt", .string(string(object["text"]) ?? linkID)),
                    ("instructions", .string("Calculated: see the results (score \(scoreID)).")),
                ]
                if let parent { display.append(("fhir_parent", .string(parent))) }
                if !conditions.isEmpty {
                    display.append(("when", .string(conditions.map { "(\($0))" }.joined(separator: " and "))))
                }
                items.append(.object(display))
            }
            return
        }
        let id = uniqueID(identifier(for: linkID))
        let repeats = !repeatsAsSection && isTrue(object["repeats"])
        var fields: [(String, JSONOutput)] = [("id", .string(id)), ("link_id", .string(linkID))]
        var codes: [String: String] = [:]
        switch type {
        case _
        where type != "display" && type != "group"
            && (object["answerOption"] != nil || object["answerValueSet"] != nil):
            // Any question with a list of answers is a choice, whatever its value type.
            var options = answerOptions(object, linkID: linkID, codes: &codes)
            if type == "open-choice" {
                codes["__other"] = "other"
                options.append(.object([("code", .string("other")), ("label", .string("Other (please specify)"))]))
            }
            fields.append(("kind", .string(repeats ? "multichoice" : "choice")))
            fields.append(("options", .array(options)))
        case "display": fields.append(("kind", .string("display")))
        case "boolean": fields.append(("kind", .string("yesno")))
        case "decimal": fields.append(("kind", .string("decimal")))
        case "integer": fields.append(("kind", .string("integer")))
        case "date", "dateTime": fields.append(("kind", .string("date")))
        case "string", "text", "time", "url": fields.append(("kind", .string("text")))
        case "quantity":
            fields.append(("kind", .string("decimal")))
            if let unit = quantityUnit(object) { fields.append(("unit", .string(unit))) }
        case "reference":
            fields.append(("kind", .string("text")))
            sink.warning(
                .fhirImport, at: object["type"]?.offset ?? 0,
                "linkId '\(linkID)': a reference is asked as text (write the resource, e.g. Practitioner/123); no search for resources"
            )
        case "attachment":
            fields.append(("kind", .string("display")))
            sink.warning(
                .fhirImport, at: object["type"]?.offset ?? 0,
                "linkId '\(linkID)': an attachment cannot be given in a terminal; the item is shown, not asked")
        case "choice", "open-choice":
            let options = answerOptions(object, linkID: linkID, codes: &codes)
            if type == "open-choice" {
                codes["__other"] = "other"
            }
            var all = options
            if type == "open-choice" {
                all.append(.object([("code", .string("other")), ("label", .string("Other (please specify)"))]))
            }
            fields.append(("kind", .string(repeats ? "multichoice" : "choice")))
            fields.append(("options", .array(all)))
        default:
            error(
                object["type"],
                "linkId '\(linkID)': item type '\(type)' is not supported (supported: group, display, boolean, decimal, integer, quantity, date, dateTime, time, string, text, url, choice, open-choice, reference as text, attachment shown only)"
            )
            return
        }
        fields.append(("prompt", .string(string(object["text"]) ?? linkID)))
        fields.append(("fhir_type", .string(type)))
        if let parent { fields.append(("fhir_parent", .string(parent))) }
        if let answer = answerType(object) { fields.append(("fhir_answer", .string(answer))) }
        if ["integer", "decimal", "quantity"].contains(type) {
            if let low = boundValue(object, "minValue") { fields.append(("min", .number(low))) }
            if let high = boundValue(object, "maxValue") { fields.append(("max", .number(high))) }
        }
        if let format = extensionString(object, "entryFormat") {
            fields.append(("instructions", .string("Format: \(format)")))
        }
        noteIgnored(object, linkID: linkID)
        if let code = array(object["code"]).first.flatMap(objectOf), let system = string(code["system"]),
            let value = string(code["code"])
        {
            var coding: [(String, JSONOutput)] = [("system", .string(system)), ("code", .string(value))]
            if let display = string(code["display"]) { coding.append(("display", .string(display))) }
            fields.append(("code", .object(coding)))
        }
        if case .bool(true)? = object["required"]?.value { fields.append(("required", .bool(true))) }
        if !conditions.isEmpty {
            fields.append(("when", .string(conditions.map { "(\($0))" }.joined(separator: " and "))))
        }
        questions[linkID] = Question(
            id: id, type: type, multiple: repeats, codes: codes, position: order.count, repeatGroup: currentRepeat)
        order.append(linkID)
        items.append(.object(fields))
        if type == "open-choice" {
            let otherID = uniqueID(id + "_other")
            let test = repeats ? "has(\(id), 'other')" : "\(id) == 'other'"
            items.append(
                .object([
                    ("id", .string(otherID)), ("kind", .string("text")), ("prompt", .string("Other: please specify")),
                    ("when", .string((conditions.map { "(\($0))" } + [test]).joined(separator: " and "))),
                ]))
        }
        // Questions nested under a question are asked after it, disabled with it.
        for child in array(object["item"]) {
            if string(objectOf(child)?["type"]) == "group" {
                convertNestedGroup(child, conditions: conditions, into: &items, parent: linkID)
                continue
            }
            convertItem(child, conditions: conditions, into: &items, parent: linkID)
        }
    }

    /// A group under a question: its text shown, its questions asked after the
    /// question and disabled with it (and with the group's own enableWhen).
    mutating func convertNestedGroup(
        _ node: JSONNode, conditions: [String], into items: inout [JSONOutput], parent: String
    ) {
        guard let object = objectOf(node), let linkID = string(object["linkId"]) else {
            error(node, "an item has no linkId")
            return
        }
        if isTrue(object["repeats"]) {
            error(object["repeats"], "linkId '\(linkID)': a repeating group under a question is not supported")
            return
        }
        let outerVariables = variables
        defer { variables = outerVariables }
        declareVariables(object)
        var conditions = conditions
        if let condition = enableCondition(object, linkID: linkID) { conditions.append(condition) }
        do {
            // The group itself, shown; a response nests its questions in it.
            var display: [(String, JSONOutput)] = [
                ("id", .string(uniqueID(identifier(for: linkID)))), ("link_id", .string(linkID)),
                ("kind", .string("display")), ("prompt", .string(string(object["text"]) ?? linkID)),
                ("fhir_type", .string("group")), ("fhir_parent", .string(parent)),
            ]
            if !conditions.isEmpty {
                display.append(("when", .string(conditions.map { "(\($0))" }.joined(separator: " and "))))
            }
            items.append(.object(display))
        }
        for child in array(object["item"]) {
            if string(objectOf(child)?["type"]) == "group" {
                convertNestedGroup(child, conditions: conditions, into: &items, parent: linkID)
            } else {
                convertItem(child, conditions: conditions, into: &items, parent: linkID)
            }
        }
    }

    /// The answer[x] of a question's options, as a QuestionnaireResponse gives it.
    func answerType(_ object: JSONObject) -> String? {
        if let first = array(object["answerOption"]).first.flatMap(objectOf) {
            return first.members.first { $0.key.hasPrefix("value") }?.key
        }
        if object["answerValueSet"] != nil { return "valueCoding" }
        if let node = array(object["extension"]).first(where: {
            string(objectOf($0)?["url"])?.hasSuffix("answerExpression") == true
        }), let text = string(objectOf(objectOf(node)?["valueExpression"])?["expression"]),
            let first = text.split(separator: "|").first?.trimmingCharacters(in: .whitespaces)
        {
            if first.hasPrefix("@T") { return "valueTime" }
            if first.hasPrefix("@") { return "valueDate" }
            return Double(first) != nil ? "valueInteger" : "valueString"
        }
        return nil
    }

    /// minValue / maxValue (valueInteger or valueDecimal).
    func boundValue(_ object: JSONObject, _ name: String) -> Double? {
        for node in array(object["extension"]) {
            guard let ext = objectOf(node), string(ext["url"])?.hasSuffix("/" + name) == true else { continue }
            for key in ["valueInteger", "valueDecimal"] {
                if case .number(let n)? = ext[key]?.value { return n.value }
            }
        }
        return nil
    }

    func extensionString(_ object: JSONObject, _ name: String) -> String? {
        for node in array(object["extension"]) {
            guard let ext = objectOf(node), string(ext["url"])?.hasSuffix("/" + name) == true else { continue }
            return string(ext["valueString"])
        }
        return nil
    }

    /// What the import reads and uses; any other extension or field is named in a warning.
    static let usedExtensions: Set<String> = [
        "variable", "sdc-questionnaire-calculatedExpression", "sdc-questionnaire-enableWhenExpression",
        "sdc-questionnaire-answerExpression", "questionnaire-unit", "questionnaire-unitOption", "minValue",
        "maxValue", "entryFormat", "questionnaire-maxOccurs", "questionnaire-optionPrefix", "ordinalValue",
        "itemWeight", "iso21090-CO-value", "questionnaire-displayCategory",
    ]
    static let ignoredFields: [String: String] = [
        "initial": "initial values (the clinician enters every answer)",
        "readOnly": "readOnly (the item is asked like any other)", "maxLength": "maxLength",
        "definition": "definition", "prefix": "prefix",
    ]

    mutating func noteIgnored(_ object: JSONObject, linkID: String) {
        for node in array(object["extension"]) {
            guard let url = string(objectOf(node)?["url"]) else { continue }
            let name = String(url.split(separator: "/").last ?? Substring(url))
            if Self.usedExtensions.contains(name) { continue }
            ignored[name, default: Ignored(what: "the extension \(name)", linkID: linkID, offset: node.offset)].count +=
                1
        }
        for member in object.members {
            guard let what = Self.ignoredFields[member.key] else { continue }
            ignored[member.key, default: Ignored(what: what, linkID: linkID, offset: member.value.offset)].count += 1
        }
        for option in array(object["answerOption"]) where objectOf(option)?["initialSelected"] != nil {
            ignored[
                "initialSelected",
                default: Ignored(
                    what: "initialSelected (no option is chosen in advance)", linkID: linkID, offset: option.offset)
            ].count += 1
        }
    }

    mutating func warnIgnored() {
        for (_, entry) in ignored.sorted(by: { $0.value.offset < $1.value.offset }) {
            sink.warning(
                .fhirImport, at: entry.offset,
                "not used: \(entry.what), on \(entry.count) item\(entry.count == 1 ? "" : "s") (first linkId '\(entry.linkID)')"
            )
        }
    }

    /// The unit a quantity is asked in: questionnaire-unit, else the first unitOption.
    func quantityUnit(_ object: JSONObject) -> String? {
        for suffix in ["questionnaire-unit", "questionnaire-unitOption"] {
            for node in array(object["extension"]) {
                guard let ext = objectOf(node), string(ext["url"])?.hasSuffix(suffix) == true,
                    let coding = objectOf(ext["valueCoding"])
                else { continue }
                if let unit = string(coding["display"]) ?? string(coding["code"]) { return unit }
            }
        }
        return nil
    }

    /// Options from answerOption or a contained ValueSet, with weights.
    mutating func answerOptions(_ object: JSONObject, linkID: String, codes: inout [String: String]) -> [JSONOutput] {
        var options: [JSONOutput] = []
        func weight(_ extensions: [JSONNode]) -> Double? {
            for node in extensions {
                guard let ext = objectOf(node), let url = string(ext["url"]),
                    url.hasSuffix("ordinalValue") || url.hasSuffix("itemWeight") || url.hasSuffix("iso21090-CO-value")
                else { continue }
                for key in ["valueDecimal", "valueInteger"] {
                    if case .number(let n)? = ext[key]?.value { return n.value }
                }
            }
            return nil
        }
        func add(code raw: String, label: String, weight: Double?, fhirKey: String, system: String? = nil) {
            var code = String(raw.map { $0.isWhitespace ? "_" : $0 })
            if code.isEmpty { code = "_" }
            codes[fhirKey] = code
            var fields: [(String, JSONOutput)] = [("code", .string(code)), ("label", .string(label))]
            if let system { fields.append(("system", .string(system))) }
            if let weight {
                fields.append(("weight", .number(weight)))
            } else if Double(code) != nil {
                fields.append(("weight", .number(Double(code)!)))
            }
            options.append(.object(fields))
        }
        for node in array(object["answerOption"]) {
            guard let option = objectOf(node) else { continue }
            let w = weight(array(option["extension"]))
            let prefix = extensionString(option, "questionnaire-optionPrefix").map { $0 + " " } ?? ""
            if let coding = objectOf(option["valueCoding"]),
                let code = string(coding["code"]) ?? string(coding["display"])
            {
                add(
                    code: code, label: prefix + (string(coding["display"]) ?? code), weight: w, fhirKey: code,
                    system: string(coding["system"]))
            } else if let text = string(option["valueString"]) {
                // The label is the string itself: a response answers with it.
                add(code: text, label: text, weight: w, fhirKey: text)
            } else if case .number(let n)? = option["valueInteger"]?.value {
                add(
                    code: formatNumber(n.value), label: formatNumber(n.value), weight: w ?? n.value,
                    fhirKey: formatNumber(n.value))
            } else if let date = string(option["valueDate"]) ?? string(option["valueTime"]) {
                add(code: date, label: date, weight: w, fhirKey: date)
            } else {
                error(
                    node,
                    "linkId '\(linkID)': an answerOption needs valueCoding, valueString, valueInteger, valueDate or valueTime"
                )
            }
        }
        if let reference = string(object["answerValueSet"]) {
            let found =
                reference.hasPrefix("#")
                ? containedValueSets[String(reference.dropFirst())] : valueSets.valueSet(reference)
            guard let valueSet = objectOf(found) else {
                error(
                    object["answerValueSet"],
                    reference.hasPrefix("#")
                        ? "linkId '\(linkID)': answerValueSet '\(reference)' names no contained ValueSet"
                        : "linkId '\(linkID)': answerValueSet '\(reference)' is neither contained in the Questionnaire nor among the ValueSets given (import-fhir --value-sets PATH); no terminology server is asked"
                )
                return options
            }
            // Each concept with its system: an include's, or the expansion entry's own.
            var concepts: [(JSONNode, String?)] = []
            for include in array(objectOf(valueSet["compose"])?["include"]) {
                let system = string(objectOf(include)?["system"])
                concepts += array(objectOf(include)?["concept"]).map { ($0, system) }
            }
            concepts += array(objectOf(valueSet["expansion"])?["contains"]).map {
                ($0, string(objectOf($0)?["system"]))
            }
            for (node, system) in concepts {
                guard let concept = objectOf(node), let code = string(concept["code"]) else { continue }
                add(
                    code: code, label: string(concept["display"]) ?? code, weight: weight(array(concept["extension"])),
                    fhirKey: code, system: system)
            }
        }
        if options.isEmpty,
            let node = array(object["extension"]).first(where: {
                string(objectOf($0)?["url"])?.hasSuffix("answerExpression") == true
            })
        {
            let text = string(objectOf(objectOf(node)?["valueExpression"])?["expression"]) ?? ""
            guard let literals = FHIRPathTranslator.literalUnion(text) else {
                error(
                    node,
                    "linkId '\(linkID)': an answerExpression that computes the options (from answers, queries or the record) is not supported; only a list of literals ('a' | 'b') is: \(text.prefix(120))"
                )
                return options
            }
            for literal in literals { add(code: literal, label: literal, weight: nil, fhirKey: literal) }
        }
        if options.isEmpty {
            error(
                object["linkId"],
                "linkId '\(linkID)': a choice item without answerOption, answerValueSet or answerExpression cannot be imported"
            )
        }
        return options
    }

    // MARK: enableWhen

    mutating func enableCondition(_ object: JSONObject, linkID: String) -> String? {
        if let node = array(object["extension"]).first(where: {
            string(objectOf($0)?["url"])?.hasSuffix("enableWhenExpression") == true
        }) {
            guard let text = string(objectOf(objectOf(node)?["valueExpression"])?["expression"]) else {
                error(node, "linkId '\(linkID)': an enableWhenExpression without an expression")
                return nil
            }
            var translator = translator()
            do {
                return try translator.translate(text)
            } catch {
                self.error(
                    node,
                    "linkId '\(linkID)': the enableWhenExpression cannot be run (\(error.message)): \(text.prefix(200))"
                )
                return nil
            }
        }
        let conditions = array(object["enableWhen"])
        guard !conditions.isEmpty else { return nil }
        var parts: [String] = []
        for node in conditions {
            guard let condition = objectOf(node), let question = string(condition["question"]),
                let op = string(condition["operator"])
            else {
                error(node, "linkId '\(linkID)': an enableWhen needs 'question' and 'operator'")
                continue
            }
            guard let target = questions[question] else {
                // One condition Clinterview cannot keep: dropped, said, and the form still imports.
                sink.warning(
                    .fhirImport, at: condition["question"]?.offset ?? node.offset,
                    "linkId '\(linkID)': enableWhen on '\(question)' is dropped: it is not a question asked before this item (a later or calculated item, or no item at all); Clinterview's routing only looks back, so it can never loop"
                )
                continue
            }
            if let group = target.repeatGroup, group != currentRepeat {
                error(
                    condition["question"],
                    "linkId '\(linkID)': enableWhen refers to '\(question)', which is asked once for each instance of the repeating group '\(group)'; only questions in the same instance can be referred to"
                )
                continue
            }
            guard let translated = translate(op: op, target: target, condition: condition, linkID: linkID, node: node)
            else { continue }
            parts.append(translated)
        }
        guard !parts.isEmpty else { return nil }
        let behavior = string(object["enableBehavior"]) ?? "all"
        if conditions.count > 1, object["enableBehavior"] == nil {
            sink.warning(
                .fhirImport, at: conditions[0].offset,
                "linkId '\(linkID)': several enableWhen without enableBehavior; FHIR requires it, 'all' is assumed")
        }
        return parts.map { "(\($0))" }.joined(separator: behavior == "any" ? " or " : " and ")
    }

    mutating func translate(
        op: String, target: Question, condition: JSONObject, linkID: String, node: JSONNode
    ) -> String? {
        let q = target.id
        let answerKey = condition.members.first { $0.key.hasPrefix("answer") }?.key
        guard let answerKey, let answer = condition[answerKey] else {
            error(node, "linkId '\(linkID)': the enableWhen has no answer[x]")
            return nil
        }
        if op == "exists" {
            guard case .bool(let wanted) = answer.value else {
                error(answer, "linkId '\(linkID)': 'exists' takes answerBoolean")
                return nil
            }
            return wanted ? "answered(\(q))" : "not answered(\(q))"
        }
        let literal: String
        switch (answerKey, answer.value) {
        case ("answerCoding", .object(let coding)):
            guard let code = string(coding["code"]), let ours = target.codes[code] else {
                sink.warning(
                    .fhirImport, at: answer.offset,
                    "linkId '\(linkID)': enableWhen on '\(string(coding["code"]) ?? "?")' is dropped: it is not an answer option of the question it refers to, so it could never match"
                )
                return op == "!=" ? "true" : "false"
            }
            literal = FHIRPathTranslator.quoted(ours)
        case ("answerString", .string(let text)):
            literal = FHIRPathTranslator.quoted(target.codes[text] ?? text)
        case (_, .string(let text)) where target.codes[text] != nil:
            if answerKey != "answerDate" && answerKey != "answerTime" {
                sink.warning(
                    .fhirImport, at: answer.offset,
                    "linkId '\(linkID)': \(answerKey) holds a string; it is read as the answer option '\(text)'")
            }
            literal = FHIRPathTranslator.quoted(target.codes[text]!)
        case ("answerInteger", .number(let n)), ("answerDecimal", .number(let n)):
            literal = target.codes[formatNumber(n.value)].map(FHIRPathTranslator.quoted) ?? formatNumber(n.value)
        case ("answerBoolean", .bool(let b)):
            literal = b ? "true" : "false"
        case ("answerDate", .string(let date)):
            literal = "@" + date.prefix(10)
        default:
            error(
                answer,
                "linkId '\(linkID)': \(answerKey) with \(answer.value.typeName) cannot be used here (answerCoding, answerString, answerInteger, answerDecimal, answerBoolean and answerDate are supported, each with a value of its own type)"
            )
            return nil
        }
        let comparison: String
        if target.multiple {
            guard op == "=" || op == "!=" else {
                error(node, "linkId '\(linkID)': '\(op)' cannot compare a question with several answers")
                return nil
            }
            comparison = "has(\(q), \(literal))"
            return op == "=" ? "answered(\(q)) and \(comparison)" : "not answered(\(q)) or not \(comparison)"
        }
        switch op {
        case "=": return "answered(\(q)) and \(q) == \(literal)"
        case "!=": return "not answered(\(q)) or \(q) != \(literal)"
        case ">", "<", ">=", "<=": return "answered(\(q)) and \(q) \(op) \(literal)"
        default:
            error(node, "linkId '\(linkID)': unknown enableWhen operator '\(op)'")
            return nil
        }
    }

    // MARK: Calculated values (SDC)

    /// The SDC variables (and other named expressions) an item or the Questionnaire declares. A variable is
    /// in scope on the item that declares it and the items inside it; an inner
    /// declaration hides an outer one of the same name.
    mutating func declareVariables(_ object: JSONObject) {
        for node in array(object["extension"]) {
            // A variable, or any other expression given a name (SDC: a named expression is reusable).
            guard let ext = objectOf(node), let expression = objectOf(ext["valueExpression"]),
                let name = string(expression["name"]),
                let text = string(expression["expression"])
            else { continue }
            variables[name] = text
        }
    }

    func translator() -> FHIRPathTranslator {
        let visible = questions.filter { $0.value.repeatGroup == nil || $0.value.repeatGroup == currentRepeat }
        // A calculated item's value is its score, which an expression may read like an answer.
        var readable = visible.mapValues(\.id)
        for pending in calculated where readable[pending.linkID] == nil { readable[pending.linkID] = pending.id }
        return FHIRPathTranslator(
            variables: variables, questions: readable,
            multiple: Set(visible.values.filter(\.multiple).map(\.id)),
            repeated: Set(questions.keys).subtracting(visible.keys), computed: Set(calculated.map(\.id)))
    }

    /// A calculated item becomes a score. Its expression is translated once
    /// every question is known, since a score may read any answer, earlier or
    /// later, with the variables in scope where it stood.
    mutating func convertCalculated(_ node: JSONNode, linkID: String, label: String) -> String? {
        guard let ext = objectOf(node), let expression = objectOf(ext["valueExpression"]),
            let text = string(expression["expression"])
        else {
            error(node, "linkId '\(linkID)': a calculatedExpression without an expression")
            return nil
        }
        let id = uniqueID(identifier(for: linkID))
        calculated.append(
            Calculated(node: node, linkID: linkID, label: label, id: id, text: text, variables: variables))
        return id
    }

    mutating func translateCalculated() {
        for pending in calculated {
            variables = pending.variables
            var translator = translator()
            do {
                let translated = try translator.translate(pending.text)
                scores.append(
                    .object([
                        ("id", .string(pending.id)), ("link_id", .string(pending.linkID)),
                        ("label", .string(pending.label)), ("expr", .string(translated)),
                    ]))
            } catch {
                self.error(
                    pending.node,
                    "linkId '\(pending.linkID)': the calculatedExpression cannot be translated (\(error.message)): \(pending.text.prefix(200))"
                )
            }
        }
    }

}
