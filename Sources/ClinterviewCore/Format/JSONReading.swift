/// Helpers that read typed fields from a positioned JSON tree and report every
/// problem, with its position, to a `DiagnosticSink`. Contexts ("the prompt of
/// item 'A1'") are built only when there is a problem to report.
struct JSONReader {
    var sink: DiagnosticSink

    init(source: SourceFile) {
        sink = DiagnosticSink(source: source)
    }

    /// "item 'A1'" when the object has a string id, else "an item".
    static func context(of node: JSONNode, kind: String) -> String {
        if case .object(let object) = node.value, case .string(let id)? = object["id"]?.value {
            return "\(kind) '\(id)'"
        }
        return article(kind) + " " + kind
    }

    static func article(_ noun: String) -> String {
        "aeiou".contains(noun.first ?? "x") ? "an" : "a"
    }

    /// The object in `node`, after reporting any field not in `allowed`.
    mutating func object(
        _ node: JSONNode, _ context: @autoclosure () -> String, allowed: [String], required: [String] = []
    ) -> JSONObject? {
        guard case .object(let object) = node.value else {
            sink.error(.wrongType, at: node.offset, "\(context()) must be an object, but is \(node.value.typeName)")
            return nil
        }
        for member in object.members where !allowed.contains(where: { isSameKey($0, member.key) }) {
            sink.error(
                .unknownField, at: member.keyOffset,
                "\(context()): unknown field '\(member.key)'\(Suggestion.didYouMean(member.key, in: allowed))")
        }
        let missing = required.filter { object[$0] == nil }
        // Only when something is missing: a misspelt key already explains it.
        let misspelled =
            missing.isEmpty
            ? []
            : Set(
                object.members.filter { !allowed.contains($0.key) }.compactMap {
                    Suggestion.closest(to: $0.key, in: allowed)
                })
        for key in missing where !misspelled.contains(key) {
            sink.error(.missingField, at: node.offset, "\(context()): missing required field '\(key)'")
        }
        return object
    }

    mutating func string(_ node: JSONNode?, _ context: @autoclosure () -> String) -> String? {
        guard let node else { return nil }
        guard case .string(let value) = node.value else {
            sink.error(.wrongType, at: node.offset, "\(context()) must be a string, but is \(node.value.typeName)")
            return nil
        }
        return value
    }

    mutating func bool(_ node: JSONNode?, _ context: @autoclosure () -> String) -> Bool? {
        guard let node else { return nil }
        guard case .bool(let value) = node.value else {
            sink.error(
                .wrongType, at: node.offset, "\(context()) must be true or false, but is \(node.value.typeName)")
            return nil
        }
        return value
    }

    mutating func number(_ node: JSONNode?, _ context: @autoclosure () -> String) -> Double? {
        guard let node else { return nil }
        guard case .number(let number) = node.value else {
            sink.error(.wrongType, at: node.offset, "\(context()) must be a number, but is \(node.value.typeName)")
            return nil
        }
        guard abs(number.value) <= 1e15 else {
            sink.error(.wrongType, at: node.offset, "\(context()) is too large (at most 1e15)")
            return nil
        }
        return number.value
    }

    mutating func array(_ node: JSONNode?, _ context: @autoclosure () -> String) -> [JSONNode]? {
        guard let node else { return nil }
        guard case .array(let elements) = node.value else {
            sink.error(.wrongType, at: node.offset, "\(context()) must be an array, but is \(node.value.typeName)")
            return nil
        }
        return elements
    }

    /// A plain string, or an object mapping language codes to strings.
    mutating func text(_ node: JSONNode?, _ context: @autoclosure () -> String, languages: [String]) -> LocalizedText? {
        guard let node else { return nil }
        switch node.value {
        case .string(let value):
            return LocalizedText(value)
        case .object(let object):
            var translations: [String: String] = [:]
            for member in object.members {
                guard case .string(let value) = member.value.value else {
                    sink.error(
                        .wrongType, at: member.value.offset,
                        "\(context()) in '\(member.key)' must be a string, but is \(member.value.value.typeName)")
                    continue
                }
                if !languages.isEmpty, !languages.contains(member.key) {
                    sink.error(
                        .unknownLanguage, at: member.keyOffset,
                        "\(context()): language '\(member.key)' is not declared in 'languages' (\(languages.joined(separator: ", ")))\(Suggestion.didYouMean(member.key, in: languages))"
                    )
                }
                translations[member.key] = value
            }
            if translations.isEmpty {
                sink.error(.wrongType, at: node.offset, "\(context()) has no text in any language")
                return nil
            }
            for language in languages where translations[language] == nil {
                sink.warning(.missingTranslation, at: node.offset, "\(context()) has no text in '\(language)'")
            }
            return LocalizedText(translations: translations)
        default:
            sink.error(
                .wrongType, at: node.offset,
                "\(context()) must be a string or an object of language codes to strings, but is \(node.value.typeName)"
            )
            return nil
        }
    }

    /// The byte offset of character `characterOffset` of `text`, a string
    /// read from `place`, or the place of its opening quote when the string
    /// was written with escapes.
    func offset(in text: String, at place: StringPlace, character characterOffset: Int) -> Int {
        guard let start = place.contentOffset else { return place.offset }
        var bytes = 0
        for (index, scalar) in text.unicodeScalars.enumerated() {
            if index == characterOffset { break }
            bytes += String(scalar).utf8.count
        }
        return start + bytes
    }
}

/// Where a JSON string stands in its file, kept in place of its node once
/// the string has been read.
struct StringPlace {
    /// The offset of the opening quote.
    var offset: Int
    /// The offset of the first character inside the quotes; nil when the
    /// string was written with escapes (positions inside it are then reported
    /// at the quote).
    var contentOffset: Int?

    init(_ node: JSONNode) {
        offset = node.offset
        contentOffset = node.verbatimContentOffset
    }
}
