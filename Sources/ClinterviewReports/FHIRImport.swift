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

    public static func convert(source: SourceFile) -> Result {
        var run = ImportRun(sink: DiagnosticSink(source: source))
        let definition = run.convert()
        return Result(definition: run.sink.hasErrors ? nil : definition, diagnostics: run.sink.sorted)
    }

    /// Imports and loads in one step, for commands that accept a Questionnaire
    /// wherever they accept a definition. Diagnostics point into the FHIR file.
    public static func load(source: SourceFile) -> LoadResult {
        let imported = convert(source: source)
        guard let definition = imported.definition else {
            return LoadResult(interview: nil, diagnostics: imported.diagnostics)
        }
        let converted = SourceFile(path: source.path, text: definition.serialized(indent: "  "))
        var loaded = InterviewLoader.load(source: converted)
        // Problems found after translation are about the translation: say so.
        loaded.diagnostics =
            imported.diagnostics
            + loaded.diagnostics.map { diagnostic in
                var moved = diagnostic
                moved.location = SourcePosition(line: 1, column: 1)
                moved.message = "after import from FHIR: " + diagnostic.message
                return moved
            }
        return loaded
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
    var variables: [String: String] = [:]

    struct Question {
        var id: String
        var type: String
        var multiple: Bool
        /// FHIR answer (as written in enableWhen) to our option code.
        var codes: [String: String]
        var position: Int
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
        collectVariables(object)
        var topLevel: [JSONNode] = []
        for node in array(object["item"]) {
            if string(objectOf(node)?["type"]) == "group" {
                flushLoose(&topLevel)
                convertGroup(node, conditions: [], depth: 0)
            } else {
                topLevel.append(node)
            }
        }
        flushLoose(&topLevel)
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
        if modules.isEmpty {
            error(root, "the Questionnaire has no items")
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

    mutating func convertGroup(_ node: JSONNode, conditions: [String], depth: Int) {
        guard let object = objectOf(node), let linkID = string(object["linkId"]) else {
            error(node, "an item has no linkId")
            return
        }
        if object["repeats"].map({ if case .bool(true) = $0.value { true } else { false } }) == true {
            error(object["repeats"], "linkId '\(linkID)': repeating groups are not supported")
            return
        }
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
            if !conditions.isEmpty {
                section.append(("when", .string(conditions.map { "(\($0))" }.joined(separator: " and "))))
            }
            section.append(("items", .array(loose)))
            sections.append(.object(section))
            loose = []
        }
        for child in array(object["item"]) {
            if string(objectOf(child)?["type"]) == "group" {
                flushSection(&self)
                // Nested groups become the next sections of the same module.
                let before = modules.count
                convertGroup(child, conditions: conditions, depth: depth + 1)
                if modules.count > before, case .object(let added) = modules.removeLast(),
                    case .array(let moreSections)? = added.first(where: { $0.0 == "sections" })?.1
                {
                    sections += moreSections
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

    mutating func convertItem(_ node: JSONNode, conditions: [String], into items: inout [JSONOutput]) {
        guard let object = objectOf(node), let linkID = string(object["linkId"]) else {
            error(node, "an item has no linkId")
            return
        }
        guard let type = string(object["type"]) else {
            error(node, "linkId '\(linkID)': the item has no type")
            return
        }
        var conditions = conditions
        if let condition = enableCondition(object, linkID: linkID) { conditions.append(condition) }
        let calculated = array(object["extension"]).first {
            string(objectOf($0)?["url"])?.hasSuffix("calculatedExpression") == true
        }
        if let calculated {
            // The calculated item keeps its place as a display item, so a response lists it where it stood.
            if let scoreID = convertCalculated(calculated, linkID: linkID, label: string(object["text"]) ?? linkID) {
                var display: [(String, JSONOutput)] = [
                    ("id", .string(uniqueID(scoreID + "_display"))), ("link_id", .string(linkID)),
                    ("kind", .string("display")),
                    ("prompt", .string(string(object["text"]) ?? linkID)),
                    ("instructions", .string("Calculated: see the results (score \(scoreID))).")),
                ]
                if !conditions.isEmpty {
                    display.append(("when", .string(conditions.map { "(\($0))" }.joined(separator: " and "))))
                }
                items.append(.object(display))
            }
            return
        }
        let id = uniqueID(identifier(for: linkID))
        let repeats = object["repeats"].map { if case .bool(true) = $0.value { true } else { false } } ?? false
        var fields: [(String, JSONOutput)] = [("id", .string(id)), ("link_id", .string(linkID))]
        var codes: [String: String] = [:]
        switch type {
        case _
        where type != "display" && type != "group"
            && (object["answerOption"] != nil || object["answerValueSet"] != nil):
            // Any question with a list of answers is a choice, whatever its value type.
            let options = answerOptions(object, linkID: linkID, codes: &codes)
            fields.append(("kind", .string(repeats ? "multichoice" : "choice")))
            fields.append(("options", .array(options)))
        case "display": fields.append(("kind", .string("display")))
        case "boolean": fields.append(("kind", .string("yesno")))
        case "decimal": fields.append(("kind", .string("decimal")))
        case "integer": fields.append(("kind", .string("integer")))
        case "date", "dateTime": fields.append(("kind", .string("date")))
        case "string", "text", "time", "url": fields.append(("kind", .string("text")))
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
                "linkId '\(linkID)': item type '\(type)' is not supported (supported: group, display, boolean, decimal, integer, date, dateTime, string, text, choice, open-choice)"
            )
            return
        }
        if repeats, type != "choice", type != "open-choice", type != "display", object["answerOption"] == nil,
            object["answerValueSet"] == nil
        {
            error(object["repeats"], "linkId '\(linkID)': repeating answers are supported for choice items only")
        }
        fields.append(("prompt", .string(string(object["text"]) ?? linkID)))
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
        questions[linkID] = Question(id: id, type: type, multiple: repeats, codes: codes, position: order.count)
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
                error(
                    child,
                    "linkId '\(string(objectOf(child)?["linkId"]) ?? "?")': a group nested under a question is not supported"
                )
                continue
            }
            convertItem(child, conditions: conditions, into: &items)
        }
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
        func add(code raw: String, label: String, weight: Double?, fhirKey: String) {
            var code = String(raw.map { $0.isWhitespace ? "_" : $0 })
            if code.isEmpty { code = "_" }
            codes[fhirKey] = code
            var fields: [(String, JSONOutput)] = [("code", .string(code)), ("label", .string(label))]
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
            if let coding = objectOf(option["valueCoding"]), let code = string(coding["code"]) {
                add(code: code, label: string(coding["display"]) ?? code, weight: w, fhirKey: code)
            } else if let text = string(option["valueString"]) {
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
            guard reference.hasPrefix("#"), let valueSet = objectOf(containedValueSets[String(reference.dropFirst())])
            else {
                error(
                    object["answerValueSet"],
                    "linkId '\(linkID)': answerValueSet '\(reference)' is not a contained ValueSet; only '#id' references to contained ValueSets can be imported"
                )
                return options
            }
            var concepts: [JSONNode] = []
            for include in array(objectOf(valueSet["compose"])?["include"]) {
                concepts += array(objectOf(include)?["concept"])
            }
            concepts += array(objectOf(valueSet["expansion"])?["contains"])
            for node in concepts {
                guard let concept = objectOf(node), let code = string(concept["code"]) else { continue }
                add(
                    code: code, label: string(concept["display"]) ?? code, weight: weight(array(concept["extension"])),
                    fhirKey: code)
            }
        }
        if options.isEmpty {
            error(
                object["linkId"],
                "linkId '\(linkID)': a choice item without answerOption or answerValueSet cannot be imported")
        }
        return options
    }

    // MARK: enableWhen

    mutating func enableCondition(_ object: JSONObject, linkID: String) -> String? {
        if object["extension"].map({
            array($0).contains { string(objectOf($0)?["url"])?.hasSuffix("enableWhenExpression") == true }
        }) == true {
            error(
                object["extension"],
                "linkId '\(linkID)': enableWhenExpression (FHIRPath) is not supported; use enableWhen")
            return nil
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
                error(
                    condition["question"],
                    "linkId '\(linkID)': enableWhen refers to '\(question)', which is not a question asked before it; Clinterview's routing only looks back, so it can never loop"
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
                error(
                    answer,
                    "linkId '\(linkID)': '\(string(coding["code"]) ?? "?")' is not an answer option of the question it refers to"
                )
                return nil
            }
            literal = "'\(ours)'"
        case ("answerString", .string(let text)):
            if let ours = target.codes[text] {
                literal = "'\(ours)'"
            } else {
                literal = "'\(text.replacingOccurrences(of: "'", with: ""))'"
            }
        case (_, .string(let text)) where target.codes[text] != nil:
            if answerKey != "answerDate" && answerKey != "answerTime" {
                sink.warning(
                    .fhirImport, at: answer.offset,
                    "linkId '\(linkID)': \(answerKey) holds a string; it is read as the answer option '\(text)'")
            }
            literal = "'\(target.codes[text]!)'"
        case ("answerInteger", .number(let n)), ("answerDecimal", .number(let n)):
            literal = target.codes[formatNumber(n.value)].map { "'\($0)'" } ?? formatNumber(n.value)
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

    mutating func collectVariables(_ object: JSONObject) {
        var pending: [JSONNode] = array(object["extension"])
        var stack = array(object["item"])
        while let node = stack.popLast() {
            guard let item = objectOf(node) else { continue }
            pending += array(item["extension"])
            stack += array(item["item"])
        }
        for node in pending {
            guard let ext = objectOf(node), string(ext["url"])?.hasSuffix("/variable") == true,
                let expression = objectOf(ext["valueExpression"]), let name = string(expression["name"]),
                let text = string(expression["expression"])
            else { continue }
            variables[name] = text
        }
    }

    mutating func convertCalculated(_ node: JSONNode, linkID: String, label: String) -> String? {
        guard let ext = objectOf(node), let expression = objectOf(ext["valueExpression"]),
            let text = string(expression["expression"])
        else {
            error(node, "linkId '\(linkID)': a calculatedExpression without an expression")
            return nil
        }
        var translator = FHIRPathTranslator(variables: variables, questions: questions.mapValues(\.id))
        do {
            let translated = try translator.translate(text)
            let id = uniqueID(identifier(for: linkID))
            scores.append(
                .object([
                    ("id", .string(id)), ("link_id", .string(linkID)), ("label", .string(label)),
                    ("expr", .string(translated)),
                ]))
            return id
        } catch {
            self.error(
                node,
                "linkId '\(linkID)': the calculatedExpression cannot be translated (\(error.message)): \(text.prefix(200))"
            )
            return nil
        }
    }
}
