import Foundation

/// The outcome of loading a definition: the interview when it has no errors, and
/// every diagnostic (errors and warnings) in file order.
public struct LoadResult: Sendable {
    public var interview: Interview?
    public var diagnostics: [Diagnostic]

    public init(interview: Interview?, diagnostics: [Diagnostic]) {
        self.interview = interview
        self.diagnostics = diagnostics
    }

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
}

public enum InterviewLoader {
    public static let formatName = "clinterview/1"
    /// Larger files are refused before parsing.
    public static let maximumFileSize = 256 * 1024 * 1024

    public static func load(path: String) -> LoadResult {
        switch readFile(path: path) {
        case .success(let bytes): return load(source: SourceFile(path: path, bytes: bytes))
        case .failure(let diagnostic): return LoadResult(interview: nil, diagnostics: [diagnostic])
        }
    }

    /// Loads and checks a definition. `lint: false` leaves out the warnings
    /// (errors are always found): for administering, where no one reads them
    /// and the clinician waits for the first screen.
    public static func load(source: SourceFile, lint: Bool = true) -> LoadResult {
        // The loader's working state (the JSON tree, parsed rules, the table of
        // declared ids) is freed before the plan is built and the lint runs.
        var (interview, diagnostics) = {
            var run = LoaderRun(source: source)
            return (run.load(), run.reader.sink)
        }()
        if interview != nil { interview!.plan = EvaluationPlan(interview!) }
        if lint, let interview, !diagnostics.hasErrors {
            Linter.lint(interview, into: &diagnostics)
        }
        return LoadResult(interview: diagnostics.hasErrors ? nil : interview, diagnostics: diagnostics.sorted)
    }

    /// Reads a whole file, refusing directories and files over `maximumFileSize`.
    /// Read with POSIX calls. Reading stops past `maximumFileSize`, so a
    /// device or pipe that never ends cannot hang the program.
    public static func readFile(path: String) -> Result<[UInt8], Diagnostic> {
        func failure(_ message: String) -> Result<[UInt8], Diagnostic> {
            .failure(
                Diagnostic(
                    .error, code: .unreadableFile, file: path, location: SourcePosition(line: 1, column: 1),
                    message: message))
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            switch errno {
            case ENOENT, ENOTDIR: return failure("no such file")
            case EACCES, EPERM: return failure("cannot be opened for reading: check its permissions")
            default: return failure("cannot be opened: \(String(cString: strerror(errno)))")
            }
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            return failure("cannot be read: \(String(cString: strerror(errno)))")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { return failure("is a directory, not a file") }
        var tooLarge: Result<[UInt8], Diagnostic> {
            failure(
                "is over \(maximumFileSize / 1_048_576) MB; definitions and answer files may be at most \(maximumFileSize / 1_048_576) MB"
            )
        }
        if Int(info.st_size) > maximumFileSize { return tooLarge }
        var bytes = [UInt8]()
        bytes.reserveCapacity(Int(info.st_size) + 1)
        // One byte more than the size, to see the end at once; pipes and devices
        // report no size and are read in 64 KB chunks.
        var chunk = [UInt8](repeating: 0, count: info.st_size > 0 ? min(Int(info.st_size) + 1, 1 << 20) : 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return failure("cannot be read: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes += chunk[0..<count]
            if bytes.count > maximumFileSize { return tooLarge }
        }
        return .success(bytes)
    }
}

/// One load of one file: reads the JSON tree into the model, then compiles and
/// checks every expression.
struct LoaderRun {
    var reader: JSONReader
    var languages: [String] = []

    var scales: [String: Scale] = ["scid": BuiltInScales.scid]
    var modules: [Module] = []
    var sections: [Section] = []
    var items: [Item] = []
    /// Items whose kind or scale could not be read (reported where it was).
    var itemsWithoutKind: Set<Int> = []
    var rules: [Rule] = []
    var alerts: [Alert] = []

    /// Expressions waiting to be compiled once every name is known.
    enum Target {
        case module(Int), section(Int), item(Int), check(item: Int, check: Int), rule(Int), alert(Int)
    }
    /// An expression's text, what it belongs to and where it stands (the
    /// place of the string, not its JSON node, which is freed before checking).
    struct PendingExpression {
        var target: Target
        var text: String
        var place: StringPlace
    }
    var pending: [PendingExpression] = []
    /// Each rule's parsed expression, by rule, while the rules are ordered and checked.
    var syntaxOfRule: [SyntaxTree?] = []

    /// Where each id was first declared, across items, sections, modules, rules, alerts and checks.
    var declared: [String: (kind: String, offset: Int)] = [:]

    init(source: SourceFile) {
        reader = JSONReader(source: source)
    }

    /// Changed in place (`_modify`), so adding a message never copies the
    /// messages before it: the time to report n problems must stay linear.
    var sink: DiagnosticSink {
        get { reader.sink }
        _modify { yield &reader.sink }
    }

    /// What the document says of the interview as a whole.
    struct Header {
        var id: String
        var version: String
        var title: LocalizedText
        var description: LocalizedText?
        var source: LocalizedText?
        var copyright: LocalizedText?
        var licence: LocalizedText?
        var notice: LocalizedText?
        var timeFrames: [String: LocalizedText]
        var fhirQuestionnaire: String?
    }

    mutating func load() -> Interview? {
        // The JSON tree lives only while the document is read: the expressions
        // are compiled after it is freed.
        guard let header = parseDocument().flatMap({ readDocument($0) }) else { return nil }
        let ruleIndex = Self.firstIndices(of: rules.map(\.id))
        checkDiagnosisCriteria(ruleIndex: ruleIndex)
        let distinct = distinctConditionTexts()
        let itemIndex = Self.firstIndices(of: items.map(\.id))

        let (ruleOrder, ruleItems, conditionGroups) = compileExpressions(
            itemIndex: itemIndex, ruleIndex: ruleIndex, distinct: distinct)

        var interview = Interview(
            path: sink.source.path, id: header.id, version: header.version, title: header.title,
            description: header.description,
            languages: languages, source: header.source, copyright: header.copyright, licence: header.licence,
            notice: header.notice,
            timeFrames: header.timeFrames,
            scales: scales, modules: modules, sections: sections, items: items, rules: rules, alerts: alerts,
            itemIndex: itemIndex, ruleIndex: ruleIndex, ruleOrder: ruleOrder
        )
        interview.fhirQuestionnaire = header.fhirQuestionnaire
        interview.itemBounds = items.indices.map { items[$0].numericBounds }
        // Worked out while checking: the plan need not find it again.
        interview.plan.ruleItems = ruleItems
        interview.plan.itemConditionGroups = conditionGroups.ofItem
        interview.plan.conditionGroupCount = conditionGroups.count
        return interview
    }

    /// Each id's first place. Filled last to first, so a duplicated id keeps
    /// its first place with one lookup for each id; sized beforehand, so the
    /// table is never rehashed.
    static func firstIndices(of ids: [String]) -> [String: Int] {
        var table = [String: Int](minimumCapacity: ids.count)
        for index in ids.indices.reversed() { table[ids[index]] = index }
        return table
    }

    /// The file's JSON tree, or nil after reporting why it is not JSON.
    mutating func parseDocument() -> JSONNode? {
        do {
            return try JSONParser.parse(sink.source.bytes)
        } catch {
            sink.error(.jsonSyntax, at: error.offset, error.message)
            return nil
        }
    }

    /// Reads every module, rule and alert into the model, queueing their
    /// expressions; nil when the file is not an interview at all.
    mutating func readDocument(_ root: JSONNode) -> Header? {
        let topLevel = [
            "format", "id", "version", "title", "description", "languages", "source", "copyright",
            "licence", "notice", "time_frames", "scales", "modules", "values", "criteria", "diagnoses", "scores",
            "alerts", "fhir_questionnaire",
        ]
        guard
            let object = reader.object(
                root, "the interview", allowed: topLevel, required: ["format", "id", "version", "title", "modules"])
        else {
            return nil
        }
        if let format = reader.string(object["format"], "'format'"), format != InterviewLoader.formatName {
            sink.error(
                .unsupportedFormat, at: object["format"]!.offset,
                "unsupported format '\(format)': this version reads '\(InterviewLoader.formatName)'")
        }
        if let list = reader.array(object["languages"], "'languages'") {
            languages = list.compactMap { reader.string($0, "a language code") }
        }
        let id = reader.string(object["id"], "'id'") ?? ""
        if let node = object["id"], case .string = node.value,
            id.first.map({ $0.isASCII && ($0.isLetter || $0.isNumber) }) != true
                || !id.unicodeScalars.allSatisfy({
                    $0.isASCII
                        && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0))
                })
        {
            sink.error(
                .invalidID, at: node.offset,
                "the interview id '\(id)' must start with a letter or digit and contain only ASCII letters, digits, '.', '_' and '-'"
            )
        }
        let version = reader.string(object["version"], "'version'") ?? ""
        let title = reader.text(object["title"], "'title'", languages: languages) ?? LocalizedText("")
        let description = reader.text(object["description"], "'description'", languages: languages)
        let sourceNote = reader.text(object["source"], "'source'", languages: languages)
        let copyright = reader.text(object["copyright"], "'copyright'", languages: languages)
        let licence = reader.text(object["licence"], "'licence'", languages: languages)
        let notice = reader.text(object["notice"], "'notice'", languages: languages)
        var timeFrames: [String: LocalizedText] = [:]
        if let node = object["time_frames"] {
            if case .object(let frames) = node.value {
                for member in frames.members {
                    if let text = reader.text(member.value, "time frame '\(member.key)'", languages: languages) {
                        timeFrames[member.key] = text
                    }
                }
            } else {
                sink.error(
                    .wrongType, at: node.offset,
                    "'time_frames' must be an object of names to texts, e.g. {\"intake\": \"in the past month\", \"follow_up\": \"since the last assessment\"}"
                )
            }
        }

        if case .array(let list)? = object["modules"]?.value, list.isEmpty {
            sink.error(
                .missingField, at: object["modules"]!.offset,
                "the interview has no modules: add at least one module with a section and an item")
        }
        readScales(of: object)
        for node in reader.array(object["modules"], "'modules'") ?? [] { readModule(node) }
        for (key, kind) in [
            ("values", Rule.Kind.value), ("criteria", .criterion), ("diagnoses", .diagnosis), ("scores", .score),
        ] {
            for node in reader.array(object[key], "'\(key)'") ?? [] { readRule(node, kind: kind) }
        }
        for node in reader.array(object["alerts"], "'alerts'") ?? [] { readAlert(node) }

        return Header(
            id: id, version: version, title: title, description: description, source: sourceNote,
            copyright: copyright, licence: licence, notice: notice, timeFrames: timeFrames,
            fhirQuestionnaire: reader.string(object["fhir_questionnaire"], "'fhir_questionnaire'"))
    }

    // MARK: Identifiers

    static let reservedWords: Set<String> = ExpressionParser.keywords
    /// Longer ids are not looked up among the reserved words.
    static let longestReservedWord = reservedWords.map(\.utf8.count).max() ?? 0

    /// An ASCII letter or '_', then ASCII letters, digits and '_'. Tested on
    /// bytes: every other byte is outside ASCII or not allowed.
    static func isValidID(_ id: String) -> Bool {
        func isLetter(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "_") || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
        }
        var id = id
        return id.withUTF8 { bytes in
            guard let first = bytes.first, isLetter(first) else { return false }
            return bytes.allSatisfy { isLetter($0) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }
        }
    }

    mutating func declare(_ node: JSONNode?, kind: String, owner: JSONNode) -> String? {
        guard let node else {
            sink.error(.missingField, at: owner.offset, "\(kind) has no 'id'")
            return nil
        }
        guard let id = reader.string(node, "the id of a \(kind)") else { return nil }
        if !Self.isValidID(id) {
            sink.error(
                .invalidID, at: node.offset,
                "\(kind) id '\(id)' must start with a letter or '_' and contain only ASCII letters, digits and '_'")
        } else if id.utf8.count <= Self.longestReservedWord, Self.reservedWords.contains(id) {
            sink.error(
                .invalidID, at: node.offset, "\(kind) id '\(id)' is a reserved word of the expression language")
        }
        // One lookup for a new id, the usual case; a duplicate puts the first
        // declaration back.
        if let previous = declared.updateValue((kind, node.offset), forKey: id) {
            declared[id] = previous
            let location = sink.source.location(ofByte: previous.offset)
            sink.error(
                .duplicateID, at: node.offset,
                "duplicate id '\(id)': already used by \(JSONReader.article(previous.kind)) \(previous.kind) at line \(location.line)"
            )
        }
        return id
    }

    // MARK: Scales and options

    mutating func readScales(of document: JSONObject) {
        for node in reader.array(document["scales"], "'scales'") ?? [] { readScale(node) }
    }

    mutating func readScale(_ node: JSONNode) {
        guard
            let object = reader.object(
                node, JSONReader.context(of: node, kind: "scale"), allowed: ["id", "label", "options"],
                required: ["id", "options"]),
            let id = reader.string(object["id"], "the id of a scale")
        else { return }
        if scales[id] != nil {
            let builtIn = id == "scid" ? " (it is built in)" : ""
            sink.error(.duplicateID, at: object["id"]!.offset, "duplicate scale '\(id)'\(builtIn)")
            return
        }
        let options = readOptions(object["options"], context: "scale '\(id)'")
        scales[id] = Scale(
            id: id, label: reader.text(object["label"], "the label of scale '\(id)'", languages: languages),
            options: options, offset: node.offset)
    }

    mutating func readOptions(_ node: JSONNode?, context: String) -> [ChoiceOption] {
        guard let node, let list = reader.array(node, "the options of \(context)") else { return [] }
        if list.isEmpty { sink.error(.missingField, at: node.offset, "\(context) has no options") }
        var options: [ChoiceOption] = []
        var seen: Set<String> = []
        for optionNode in list {
            guard
                let object = reader.object(
                    optionNode, "an option of \(context)", allowed: ["code", "label", "weight", "unknown", "system"],
                    required: ["code", "label"])
            else { continue }
            var code: String?
            if let codeNode = object["code"] {
                switch codeNode.value {
                case .string(let text) where !text.isEmpty && !text.contains(where: \.isWhitespace): code = text
                case .number(let number) where number.integerValue != nil: code = String(number.integerValue!)
                default:
                    sink.error(
                        .wrongType, at: codeNode.offset,
                        "an option code of \(context) must be a whole number or a non-empty string without spaces")
                }
            }
            guard let code else { continue }
            if !seen.insert(code).inserted {
                sink.error(.duplicateID, at: object["code"]!.offset, "\(context) has the code \(code) twice")
            }
            let isUnknown = reader.bool(object["unknown"], "'unknown'") ?? false
            var weight = reader.number(object["weight"], "the weight of option \(code)")
            if weight == nil, !isUnknown, let numeric = Double(code) { weight = numeric }
            if isUnknown, object["weight"] != nil {
                sink.error(
                    .wrongType, at: object["weight"]!.offset,
                    "option \(code) of \(context) means inadequate information and cannot have a weight")
                weight = nil
            }
            let label =
                reader.text(object["label"], "the label of option \(code)", languages: languages) ?? LocalizedText(code)
            var option = ChoiceOption(code: code, label: label, weight: weight, isUnknown: isUnknown)
            option.system = reader.string(object["system"], "the system of option \(code)")
            options.append(option)
        }
        return options
    }

    // MARK: Modules, sections, items

    mutating func readModule(_ node: JSONNode) {
        guard
            let object = reader.object(
                node, JSONReader.context(of: node, kind: "module"),
                allowed: ["id", "title", "description", "when", "risk", "seconds_per_question", "sections"],
                required: ["id", "title", "sections"])
        else { return }
        let id = declare(object["id"], kind: "module", owner: node) ?? "?"
        let context = "module '\(id)'"
        let moduleIndex = modules.count
        let firstSection = sections.count
        modules.append(
            Module(
                id: id,
                title: reader.text(object["title"], "the title of \(context)", languages: languages)
                    ?? LocalizedText(id),
                description: reader.text(object["description"], "the description of \(context)", languages: languages),
                condition: nil, sectionRange: firstSection..<firstSection, offset: node.offset))
        if let when = object["when"] { queue(.module(moduleIndex), when, context: "the condition of \(context)") }
        if let node = object["seconds_per_question"],
            let seconds = reader.number(node, "'seconds_per_question' of \(context)")
        {
            if seconds > 0 {
                modules[moduleIndex].secondsPerQuestion = seconds
            } else {
                sink.error(
                    .wrongType, at: node.offset,
                    "'seconds_per_question' of \(context) must be more than 0 (seconds to ask and rate one question), not \(formatNumber(seconds))"
                )
            }
        }
        let list = reader.array(object["sections"], "the sections of \(context)") ?? []
        if object["sections"] != nil, list.isEmpty {
            sink.warning(.emptyContainer, at: object["sections"]!.offset, "\(context) has no sections")
        }
        let firstItem = items.count
        for sectionNode in list { readSection(sectionNode, module: moduleIndex) }
        modules[moduleIndex].sectionRange = firstSection..<sections.count
        // Every question of a risk module is a risk question.
        if reader.bool(object["risk"], "'risk' of \(context)") == true {
            for index in firstItem..<items.count { items[index].isRisk = true }
        }
    }

    mutating func readSection(_ node: JSONNode, module: Int) {
        if case .object(let raw) = node.value, let repeatNode = raw["repeat"] {
            readRepeatedSection(raw, repeat: repeatNode, at: node.offset, module: module)
            return
        }
        guard
            let object = reader.object(
                node, JSONReader.context(of: node, kind: "section"),
                allowed: ["id", "title", "when", "items", "link_id", "fhir_parent"], required: ["id", "title", "items"])
        else { return }
        let id = declare(object["id"], kind: "section", owner: node) ?? "?"
        let context = "section '\(id)'"
        let sectionIndex = sections.count
        let firstItem = items.count
        sections.append(
            Section(
                id: id, linkID: reader.string(object["link_id"], "'link_id'"),
                title: reader.text(object["title"], "the title of \(context)", languages: languages)
                    ?? LocalizedText(id),
                condition: nil, module: module, itemRange: firstItem..<firstItem, offset: node.offset))
        sections[sectionIndex].fhirParent = reader.string(object["fhir_parent"], "'fhir_parent' of \(context)")
        if let when = object["when"] { queue(.section(sectionIndex), when, context: "the condition of \(context)") }
        let list = reader.array(object["items"], "the items of \(context)") ?? []
        if object["items"] != nil, list.isEmpty {
            sink.warning(.emptyContainer, at: object["items"]!.offset, "\(context) has no items")
        }
        for itemNode in list { readItem(itemNode, section: sectionIndex) }
        sections[sectionIndex].itemRange = firstItem..<items.count
    }

    /// `"repeat": {"max": N, "prompt": "..."}`: the section's N instances (RepeatedSection).
    mutating func readRepeatedSection(_ section: JSONObject, repeat node: JSONNode, at offset: Int, module: Int) {
        let context = "the repeat of section '\(reader.string(section["id"], "'id'") ?? "?")'"
        guard let repeatObject = reader.object(node, context, allowed: ["max", "prompt"], required: ["max"]) else {
            return
        }
        guard case .number(let number)? = repeatObject["max"]?.value, let max = number.integerValue,
            (2...100).contains(max)
        else {
            sink.error(
                .wrongType, at: repeatObject["max"]?.offset ?? node.offset,
                "\(context): 'max' must be a whole number from 2 to 100 (the most instances a clinician may add)")
            return
        }
        if let prompt = repeatObject["prompt"] {
            _ = reader.text(prompt, "the prompt of \(context)", languages: languages)
        }
        for instance in RepeatedSection.instances(of: section, at: offset, max: max, prompt: repeatObject["prompt"]) {
            readSection(instance, module: module)
        }
    }

    mutating func readItem(_ node: JSONNode, section: Int) {
        // The usual item, an object with only item fields and the required
        // ones, is read in one pass; any other goes through the reader, which
        // says what is wrong.
        let fields: ItemFields
        if case .object(let object) = node.value, case let quick = ItemFields(object),
            !quick.hasUnknownKey, quick[.id] != nil, quick[.kind] != nil, quick[.prompt] != nil
        {
            fields = quick
        } else {
            guard
                let object = reader.object(
                    node, JSONReader.context(of: node, kind: "item"), allowed: ItemFields.keys,
                    required: ["id", "kind", "prompt"])
            else { return }
            fields = ItemFields(object)
        }
        let id = declare(fields[.id], kind: "item", owner: node) ?? "?"
        // Built only for a message: built for every item, the context was a
        // string allocated and freed per item.
        func context() -> String { "item '\(id)'" }
        let kindName = reader.string(fields[.kind], "the kind of \(context())") ?? ""
        let kind = readKind(kindName, fields: fields, node: node, context: context())
        let itemIndex = items.count
        var probes: [LocalizedText] = []
        for probe in reader.array(fields[.probes], "the probes of \(context())") ?? [] {
            if let text = reader.text(probe, "a probe of \(context())", languages: languages) { probes.append(text) }
        }
        var standardCode: StandardCode?
        if let codeNode = fields[.code],
            let codeObject = reader.object(
                codeNode, "the standard code of \(context())", allowed: ["system", "code", "display"],
                required: ["system", "code"])
        {
            if let system = reader.string(codeObject["system"], "'system'"),
                let code = reader.string(codeObject["code"], "'code'")
            {
                standardCode = StandardCode(
                    system: system, code: code, display: reader.string(codeObject["display"], "'display'"))
            }
        }
        if kind == nil { itemsWithoutKind.insert(itemIndex) }
        items.append(
            Item(
                id: id, linkID: reader.string(fields[.linkID], "'link_id' of \(context())"), kind: kind ?? .display,
                prompt: reader.text(fields[.prompt], "the prompt of \(context())", languages: languages)
                    ?? LocalizedText(""),
                instructions: reader.text(
                    fields[.instructions], "the instructions of \(context())", languages: languages),
                probes: probes, standardCode: standardCode,
                notesAllowed: reader.bool(fields[.notes], "'notes' of \(context())") ?? true,
                isRequired: reader.bool(fields[.required], "'required' of \(context())") ?? false,
                isRisk: reader.bool(fields[.risk], "'risk' of \(context())") ?? false,
                condition: nil, checks: [], section: section, offset: node.offset
            ))
        items[itemIndex].fhirType = reader.string(fields[.fhirType], "'fhir_type' of \(context())")
        items[itemIndex].fhirAnswer = reader.string(fields[.fhirAnswer], "'fhir_answer' of \(context())")
        items[itemIndex].fhirParent = reader.string(fields[.fhirParent], "'fhir_parent' of \(context())")
        if let when = fields[.when] { queue(.item(itemIndex), when, context: "the condition of \(context())") }
        for checkNode in reader.array(fields[.checks], "the checks of \(context())") ?? [] {
            readCheck(checkNode, item: itemIndex, context: context())
        }
    }

    mutating func readKind(
        _ name: String, fields: ItemFields, node: JSONNode, context: @autoclosure () -> String
    ) -> ItemKind? {
        func forbid(_ list: [ItemFields.Field], _ more: [ItemFields.Field] = []) {
            for field in list where fields[field] != nil { forbidden(field) }
            for field in more where fields[field] != nil { forbidden(field) }
        }
        func forbidden(_ field: ItemFields.Field) {
            sink.error(
                .unknownField, at: fields.keyOffset(field)!,
                "\(context()): '\(field.key)' does not apply to \(JSONReader.article(name)) \(name) item")
        }
        let numericFields: [ItemFields.Field] = [.min, .max, .unit]
        switch name {
        case "rating":
            forbid([.options], numericFields)
            let scaleID = reader.string(fields[.scale], "the scale of \(context())") ?? "scid"
            guard let scale = scales[scaleID] else {
                sink.error(
                    .unknownReference, at: fields[.scale]?.offset ?? node.offset,
                    "\(context()) uses unknown scale '\(scaleID)'\(Suggestion.didYouMean(scaleID, in: scales.keys))")
                return nil
            }
            return .rating(scale: scaleID, options: scale.options)
        case "choice", "multichoice":
            forbid(numericFields)
            var options: [ChoiceOption] = []
            if let scaleNode = fields[.scale] {
                if fields[.options] != nil {
                    sink.error(
                        .wrongType, at: scaleNode.offset, "\(context()) has both 'scale' and 'options': give one")
                }
                let scaleID = reader.string(scaleNode, "the scale of \(context())") ?? ""
                guard let scale = scales[scaleID] else {
                    sink.error(
                        .unknownReference, at: scaleNode.offset,
                        "\(context()) uses unknown scale '\(scaleID)'\(Suggestion.didYouMean(scaleID, in: scales.keys))"
                    )
                    return nil
                }
                options = scale.options
            } else if fields[.options] != nil {
                options = readOptions(fields[.options], context: context())
            } else {
                sink.error(
                    .missingField, at: node.offset,
                    "\(context()) is \(JSONReader.article(name)) \(name) item and needs 'options' or 'scale'")
                return nil
            }
            return name == "choice" ? .choice(options: options) : .multipleChoice(options: options)
        case "integer", "decimal":
            forbid([.options, .scale])
            let low = reader.number(fields[.min], "'min' of \(context())")
            let high = reader.number(fields[.max], "'max' of \(context())")
            if let low, let high, low > high {
                sink.error(
                    .wrongType, at: fields[.min]!.offset,
                    "\(context()): 'min' (\(formatNumber(low))) is greater than 'max' (\(formatNumber(high)))")
            }
            if name == "integer" {
                for (field, value) in [(ItemFields.Field.min, low), (.max, high)]
                where value.map({ $0.rounded() != $0 }) == true {
                    sink.error(
                        .wrongType, at: fields[field]!.offset,
                        "\(context()): '\(field.key)' of an integer item must be a whole number")
                }
            }
            let range = NumericRange(min: low, max: high, unit: reader.string(fields[.unit], "'unit' of \(context())"))
            return name == "integer" ? .integer(range: range) : .decimal(range: range)
        case "yesno", "duration", "date", "text", "display":
            forbid([.options, .scale], numericFields)
            switch name {
            case "yesno": return .yesNo
            case "duration": return .duration
            case "date": return .date
            case "text": return .text
            default:
                if fields[.checks] != nil { forbid([.checks]) }
                return .display
            }
        default:
            let kinds = [
                "rating", "yesno", "choice", "multichoice", "integer", "decimal", "duration", "date", "text", "display",
            ]
            if !name.isEmpty || fields[.kind] != nil {
                sink.error(
                    .unknownKind, at: fields[.kind]?.offset ?? node.offset,
                    "\(context()) has unknown kind '\(name)'\(Suggestion.didYouMean(name, in: kinds)) (kinds: \(kinds.joined(separator: ", ")))"
                )
            }
            return nil
        }
    }

    mutating func readCheck(_ node: JSONNode, item: Int, context: String) {
        guard
            let object = reader.object(
                node, JSONReader.context(of: node, kind: "check"), allowed: ["id", "severity", "rule", "message"],
                required: ["id", "severity", "rule", "message"])
        else { return }
        let id = declare(object["id"], kind: "check", owner: node) ?? "?"
        var severity = Check.Severity.hard
        if let name = reader.string(object["severity"], "the severity of check '\(id)'") {
            if let value = Check.Severity(rawValue: name) {
                severity = value
            } else {
                sink.error(
                    .wrongType, at: object["severity"]!.offset,
                    "check '\(id)': severity must be 'hard' or 'soft', not '\(name)'")
            }
        }
        let message =
            reader.text(object["message"], "the message of check '\(id)'", languages: languages) ?? LocalizedText(id)
        let checkIndex = items[item].checks.count
        items[item].checks.append(Check(id: id, severity: severity, rule: placeholder(node), message: message))
        if let rule = object["rule"] {
            queue(.check(item: item, check: checkIndex), rule, context: "the rule of check '\(id)'")
        }
    }

    func placeholder(_ node: JSONNode) -> Condition {
        Condition(source: "", expression: .constant(.bool(true)), offset: node.offset)
    }

    // MARK: Rules and alerts

    mutating func readRule(_ node: JSONNode, kind: Rule.Kind) {
        let expressionKey = kind == .value || kind == .score ? "expr" : "rule"
        var allowed = ["id", "label", expressionKey, "link_id"]
        if kind == .diagnosis { allowed += ["criteria", "period"] }
        if kind == .score { allowed.append("bands") }
        guard
            let object = reader.object(
                node, JSONReader.context(of: node, kind: kind.noun), allowed: allowed,
                required: ["id", expressionKey] + (kind == .value ? [] : ["label"]))
        else { return }
        let id = declare(object["id"], kind: kind.noun, owner: node) ?? "?"
        let context = "\(kind.noun) '\(id)'"
        var criteria: [String] = []
        if let list = reader.array(object["criteria"], "the criteria of \(context)") {
            criteria = list.compactMap { reader.string($0, "a criterion id") }
        }
        let bands = kind == .score ? readBands(object["bands"], context: context) : []
        var period = DiagnosisPeriod.current
        if let name = reader.string(object["period"], "the period of \(context)") {
            if let value = DiagnosisPeriod(rawValue: name) {
                period = value
            } else {
                let names = DiagnosisPeriod.allCases.map(\.rawValue)
                sink.error(
                    .wrongType, at: object["period"]!.offset,
                    "\(context): period must be one of \(names.joined(separator: ", ")), not '\(name)'\(Suggestion.didYouMean(name, in: names))"
                )
            }
        }
        let index = rules.count
        rules.append(
            Rule(
                linkID: reader.string(object["link_id"], "'link_id'"), id: id, kind: kind,
                label: reader.text(object["label"], "the label of \(context)", languages: languages),
                expression: placeholder(node), criteria: criteria, period: period, bands: bands, offset: node.offset))
        if let expression = object[expressionKey] {
            queue(.rule(index), expression, context: "the \(expressionKey) of \(context)")
        }
        criteriaNodes[index] = object["criteria"]
    }

    var criteriaNodes: [Int: JSONNode] = [:]

    mutating func checkDiagnosisCriteria(ruleIndex: [String: Int]) {
        for (index, node) in criteriaNodes.sorted(by: { $0.key < $1.key }) {
            guard case .array(let elements) = node.value else { continue }
            for element in elements {
                guard case .string(let name) = element.value else { continue }
                if let target = ruleIndex[name] {
                    if rules[target].kind != .criterion && rules[target].kind != .diagnosis {
                        sink.error(
                            .wrongType, at: element.offset,
                            "diagnosis '\(rules[index].id)' lists '\(name)' as a criterion, but it is a \(rules[target].kind.noun): list criteria or diagnoses"
                        )
                    } else if target == index {
                        sink.error(.wrongType, at: element.offset, "diagnosis '\(name)' lists itself as a criterion")
                    }
                } else {
                    let criteria = rules.filter { $0.kind == .criterion || $0.kind == .diagnosis }.map(\.id)
                    sink.error(
                        .unknownReference, at: element.offset,
                        "diagnosis '\(rules[index].id)' lists unknown criterion '\(name)'\(Suggestion.didYouMean(name, in: criteria))"
                    )
                }
            }
        }
    }

    mutating func readBands(_ node: JSONNode?, context: String) -> [Band] {
        var bands: [(Band, Int)] = []
        for bandNode in reader.array(node, "the bands of \(context)") ?? [] {
            guard
                let object = reader.object(
                    bandNode, "a band of \(context)", allowed: ["min", "max", "label"],
                    required: ["min", "max", "label"]),
                let low = reader.number(object["min"], "'min'"), let high = reader.number(object["max"], "'max'")
            else { continue }
            if low > high {
                sink.error(
                    .wrongType, at: bandNode.offset,
                    "a band of \(context) has 'min' \(formatNumber(low)) above 'max' \(formatNumber(high))")
                continue
            }
            let label = reader.text(object["label"], "the label of a band", languages: languages) ?? LocalizedText("")
            bands.append((Band(min: low, max: high, label: label), bandNode.offset))
        }
        let sorted = bands.sorted { $0.0.min < $1.0.min }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where next.0.min <= previous.0.max {
            sink.error(
                .overlappingBands, at: next.1,
                "bands of \(context) overlap: \(formatNumber(previous.0.min))-\(formatNumber(previous.0.max)) and \(formatNumber(next.0.min))-\(formatNumber(next.0.max))"
            )
        }
        return bands.map(\.0)
    }

    mutating func readAlert(_ node: JSONNode) {
        guard
            let object = reader.object(
                node, JSONReader.context(of: node, kind: "alert"), allowed: ["id", "severity", "when", "message"],
                required: ["id", "severity", "when", "message"])
        else { return }
        let id = declare(object["id"], kind: "alert", owner: node) ?? "?"
        var severity = Alert.Severity.warning
        if let name = reader.string(object["severity"], "the severity of alert '\(id)'") {
            if let value = Alert.Severity(rawValue: name) {
                severity = value
            } else {
                sink.error(
                    .wrongType, at: object["severity"]!.offset,
                    "alert '\(id)': severity must be one of info, warning, urgent, not '\(name)'\(Suggestion.didYouMean(name, in: Alert.Severity.allCases.map(\.rawValue)))"
                )
            }
        }
        let index = alerts.count
        alerts.append(
            Alert(
                id: id, severity: severity, condition: placeholder(node),
                message: reader.text(object["message"], "the message of alert '\(id)'", languages: languages)
                    ?? LocalizedText(id), offset: node.offset))
        if let when = object["when"] { queue(.alert(index), when, context: "the condition of alert '\(id)'") }
    }

    mutating func queue(_ target: Target, _ node: JSONNode, context: @autoclosure () -> String) {
        guard let text = reader.string(node, context()) else { return }
        pending.append(PendingExpression(target: target, text: text, place: StringPlace(node)))
    }
}
