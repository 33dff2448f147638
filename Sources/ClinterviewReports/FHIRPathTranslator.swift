import Foundation

/// Translates the FHIRPath that questionnaires use for totals, calculated
/// values, variables and enableWhenExpression into Clinterview's expression
/// language, so that one evaluator runs them.
///
/// Supported: paths to one question's answer, however written
/// (`%resource.item.where(linkId='x').answer.value`, `.repeat(item)`,
/// `%context`, `item.where(...)`, `.answer.value.code`, `.ordinal()`);
/// `+ - * /`, `= != < > <= >=`, `and or not()`, `iif()`, `.round()`,
/// `.power()` with a whole exponent, `.exists()`, `.empty()`, `.count()`,
/// numbers, strings, `true`, `false`, `{}` and `%variables` in scope.
/// Anything else is refused, naming the function or operator.
struct FHIRPathTranslator {
    struct Failure: Error {
        var message: String
    }

    /// Variables in scope: name to FHIRPath text.
    let variables: [String: String]
    /// linkId to item id.
    let questions: [String: String]
    /// Item ids of questions with several answers (multiple choice).
    let multiple: Set<String>
    /// linkIds of questions asked once per instance of a repeating group, out of reach here.
    let repeated: Set<String>
    /// Ids in `questions` that are calculated values (scores), not answers.
    let computed: Set<String>
    private var expanding: Set<String> = []
    /// The questions whose answers the expression being read uses.
    private var used: Set<String> = []

    init(
        variables: [String: String], questions: [String: String], multiple: Set<String> = [],
        repeated: Set<String> = [], computed: Set<String> = []
    ) {
        self.computed = computed
        self.variables = variables
        self.questions = questions
        self.multiple = multiple
        self.repeated = repeated
    }

    /// What an expression stands for.
    enum Term {
        /// A translated expression.
        case value(String)
        /// A set of items not yet narrowed to one (`%resource.item`, `repeat(item)`).
        case items
        /// One question, before `.answer`; `filter` is a `where(... and answer.exists())`
        /// (true) or `answer.empty()` (false) that came with it.
        case question(String, filter: Bool? = nil)
        /// The answer to one question: its value, code or number.
        case answer(String)
        /// The ordinal weight of a coded answer.
        case weight(String)

        var isPath: Bool {
            if case .value = self { false } else { true }
        }
    }

    mutating func translate(_ text: String) throws(Failure) -> String {
        if let item = try weightPattern(text) { return "weight(\(item))" }
        var parser = Parser(text: text)
        let term = try parseExpression(&parser)
        guard parser.atEnd else { throw Failure(message: "unexpected '\(parser.rest.prefix(20))'") }
        return try value(term)
    }

    private mutating func value(_ term: Term) throws(Failure) -> String {
        switch term {
        case .value(let text): return text
        case .answer(let item):
            if !computed.contains(item) { used.insert(item) }
            return item
        case .weight(let item):
            used.insert(item)
            return "weight(\(item))"
        case .items: throw Failure(message: "a path to several questions where one answer is needed")
        case .question(let item, _): throw Failure(message: "the question '\(item)' needs '.answer.value'")
        }
    }

    // MARK: Operators, loosest first

    private mutating func parseExpression(_ p: inout Parser) throws(Failure) -> Term {
        var left = try parseAnd(&p)
        while true {
            if p.takeWord("or") {
                left = .value("(\(try value(left)) or \(try value(try parseAnd(&p))))")
            } else if p.peekWord("xor") || p.peekWord("implies") {
                throw Failure(message: "the operator '\(p.word() ?? "")' is not supported")
            } else {
                return left
            }
        }
    }

    private mutating func parseAnd(_ p: inout Parser) throws(Failure) -> Term {
        var left = try parseComparison(&p)
        while p.takeWord("and") {
            left = .value("(\(try value(left)) and \(try value(try parseComparison(&p))))")
        }
        return left
    }

    /// A comparison with an unanswered question is empty in FHIRPath, and an
    /// empty condition is false (enableWhenExpression, iif): so the comparison
    /// holds only when every answer it reads is there.
    private mutating func parseComparison(_ p: inout Parser) throws(Failure) -> Term {
        let outer = used
        used = []
        defer { used.formUnion(outer) }
        let left = try parseSum(&p)
        for (fhir, ours) in [("!=", "!="), ("<=", "<="), (">=", ">="), ("=", "=="), ("<", "<"), (">", ">")] {
            if p.take(fhir) {
                let right = try parseSum(&p)
                let comparison = "\(try value(left)) \(ours) \(try value(right))"
                let present = used.sorted().map { "answered(\($0))" }
                return .value(present.isEmpty ? comparison : "(\((present + [comparison]).joined(separator: " and ")))")
            }
        }
        for unsupported in ["!~", "~"] where p.take(unsupported) {
            throw Failure(message: "the operator '\(unsupported)' is not supported")
        }
        return left
    }

    private mutating func parseSum(_ p: inout Parser) throws(Failure) -> Term {
        var left = try parseProduct(&p)
        while true {
            if p.take("+") {
                left = .value("\(try value(left)) + \(try value(try parseProduct(&p)))")
            } else if p.take("-") {
                left = .value("\(try value(left)) - \(try value(try parseProduct(&p)))")
            } else if p.take("&") {
                throw Failure(message: "the operator '&' (joining strings) is not supported")
            } else {
                return left
            }
        }
    }

    private mutating func parseProduct(_ p: inout Parser) throws(Failure) -> Term {
        var left = try parseUnary(&p)
        while true {
            if p.take("*") {
                left = .value("\(try value(left)) * \(try value(try parseUnary(&p)))")
            } else if p.take("/") {
                left = .value("\(try value(left)) / \(try value(try parseUnary(&p)))")
            } else if p.peekWord("div") || p.peekWord("mod") {
                throw Failure(message: "the operator '\(p.word() ?? "")' is not supported")
            } else {
                return left
            }
        }
    }

    private mutating func parseUnary(_ p: inout Parser) throws(Failure) -> Term {
        if p.take("-") { return .value("-\(try value(try parseUnary(&p)))") }
        return try parseInvocations(&p)
    }

    // MARK: Paths and functions

    private mutating func parseInvocations(_ p: inout Parser) throws(Failure) -> Term {
        var term = try parsePrimary(&p)
        while true {
            if case .answer = term, p.take("[0]") { continue }
            guard p.take(".") else { return term }
            guard let name = p.word() else { throw Failure(message: "a name is needed after '.'") }
            term = try invoke(name, on: term, &p)
        }
    }

    private mutating func invoke(_ name: String, on term: Term, _ p: inout Parser) throws(Failure) -> Term {
        let call = p.take("(")
        switch (name, call, term) {
        case ("item", false, .items), ("item", false, .question):
            return .items
        case ("repeat", true, .items), ("descendants", true, .items):
            if name == "repeat" {
                guard p.takeWord("item") else { throw Failure(message: "only repeat(item) is supported") }
            }
            try close(&p, name)
            return .items
        case ("where", true, .items):
            let (linkID, filter) = try linkIDCondition(&p)
            guard let item = questions[linkID] else {
                if repeated.contains(linkID) {
                    throw Failure(
                        message:
                            "'\(linkID)' is asked once for each instance of a repeating group; expressions over its instances are not supported"
                    )
                }
                throw Failure(message: "no question with linkId '\(linkID)' in the Questionnaire")
            }
            return .question(item, filter: filter)
        case ("select", true, .question(let item, let filter)):
            // select(answer.value): the answer, as .answer.value
            guard p.takeWord("answer"), p.take("."), p.takeWord("value"), p.take(")") else {
                throw Failure(message: "select() is supported only as select(answer.value)")
            }
            if filter == false { return .value("none") }
            return .answer(item)
        case ("answer", false, .question(let item, let filter)):
            if filter == false { return .value("none") }
            return .answer(item)
        case ("value", false, .answer), ("code", false, .answer):
            return term
        case (let value, false, .answer) where value.hasPrefix("value"):
            return term
        case ("ordinal", true, .answer(let item)), ("weight", true, .answer(let item)):
            try close(&p, name)
            return .weight(item)
        case ("exists", true, .answer(let item)) where computed.contains(item),
            ("empty", true, .answer(let item)) where computed.contains(item),
            ("count", true, .answer(let item)) where computed.contains(item):
            throw Failure(message: "\(name)() on the calculated value '\(item)' is not supported")
        case ("exists", true, .answer(let item)), ("exists", true, .weight(let item)),
            ("exists", true, .question(let item, nil)), ("exists", true, .question(let item, true)):
            try close(&p, name)
            return .value("answered(\(item))")
        case ("exists", true, .question(let item, false)):
            try close(&p, name)
            return .value("not answered(\(item))")
        case ("empty", true, .answer(let item)), ("empty", true, .weight(let item)),
            ("empty", true, .question(let item, nil)), ("empty", true, .question(let item, true)):
            try close(&p, name)
            return .value("not answered(\(item))")
        case ("empty", true, .question(let item, false)):
            try close(&p, name)
            return .value("answered(\(item))")
        case ("count", true, .answer(let item)):
            try close(&p, name)
            return .value(
                multiple.contains(item) ? "if(answered(\(item)), size(\(item)), 0)" : "if(answered(\(item)), 1, 0)")
        case ("not", true, _) where !term.isPath || term.isAnswer:
            try close(&p, name)
            return .value("not (\(try value(term)))")
        case ("round", true, _) where !term.isPath || term.isAnswer:
            let digits = p.takeNumber() ?? "0"
            try close(&p, name)
            guard let places = Int(digits), (0...6).contains(places) else {
                throw Failure(message: "round() takes a whole number of places from 0 to 6")
            }
            let scale = "1" + String(repeating: "0", count: places)
            return .value(places == 0 ? "round(\(try value(term)))" : "round(\(try value(term)) * \(scale)) / \(scale)")
        case ("power", true, _) where !term.isPath || term.isAnswer:
            guard let exponent = p.takeNumber().flatMap(Int.init), (1...4).contains(exponent) else {
                throw Failure(message: "power() is supported with a whole exponent from 1 to 4")
            }
            try close(&p, name)
            let base = "(\(try value(term)))"
            return .value("(" + Array(repeating: base, count: exponent).joined(separator: " * ") + ")")
        default:
            throw Failure(message: "the function '\(name)\(call ? "()" : "")' is not supported here")
        }
    }

    private func close(_ p: inout Parser, _ name: String) throws(Failure) {
        guard p.take(")") else { throw Failure(message: "missing ')' after \(name)(") }
    }

    /// `linkId = 'x'`, in either order, optionally with `and answer.exists()`
    /// or `and answer.empty()`: the filters on items that are supported.
    private func linkIDCondition(_ p: inout Parser) throws(Failure) -> (String, filter: Bool?) {
        let unsupported = Failure(
            message:
                "where() is supported only as where(linkId = '...'), optionally with 'and answer.exists()' or 'and answer.empty()'"
        )
        let found: String?
        if p.takeWord("linkId") {
            guard p.take("=") else { throw unsupported }
            found = p.takeString()
        } else if let text = p.takeString() {
            guard p.take("="), p.takeWord("linkId") else { throw unsupported }
            found = text
        } else {
            throw unsupported
        }
        guard let linkID = found else { throw unsupported }
        var filter: Bool?
        if p.takeWord("and") {
            guard p.takeWord("answer"), p.take(".") else { throw unsupported }
            if p.takeWord("exists") {
                filter = true
            } else if p.takeWord("empty") {
                filter = false
            } else {
                throw unsupported
            }
            guard p.take("("), p.take(")") else { throw unsupported }
            // answer.empty().not() is answer.exists()
            var ahead = p
            if ahead.take("."), ahead.takeWord("not"), ahead.take("("), ahead.take(")") {
                p = ahead
                filter = filter.map { !$0 }
            }
        }
        guard p.take(")") else { throw unsupported }
        return (linkID, filter)
    }

    private mutating func parsePrimary(_ p: inout Parser) throws(Failure) -> Term {
        if p.take("(") {
            let inner = try parseExpression(&p)
            guard p.take(")") else { throw Failure(message: "missing ')'") }
            if case .value(let text) = inner { return .value("(\(text))") }
            return inner
        }
        if p.take("{}") { return .value("none") }
        if let number = p.takeNumber() { return .value(number) }
        if let text = p.takeString() { return .value(Self.quoted(text)) }
        if var name = p.takeVariable() {
            // Some forms name variables with '-' (%has-fever): the longer name, when it is defined.
            var longer = p
            if variables[name] == nil, let hyphenated = longer.hyphenated(name), variables[hyphenated] != nil {
                name = hyphenated
                p = longer
            }
            return try variable(name)
        }
        guard let word = p.word() else { throw Failure(message: "cannot read '\(p.rest.prefix(20))'") }
        switch word {
        case "true", "false": return .value(word)
        case "item": return .items
        case "repeat", "descendants":
            return try invoke(word, on: .items, &p)
        case "iif":
            guard p.take("(") else { break }
            let condition = try value(try parseExpression(&p))
            guard p.take(",") else { throw Failure(message: "iif() needs three arguments") }
            let then = try value(try parseExpression(&p))
            guard p.take(",") else { throw Failure(message: "iif() with two arguments is not supported") }
            let otherwise = try value(try parseExpression(&p))
            guard p.take(")") else { throw Failure(message: "missing ')' after iif(") }
            return .value("if(\(condition), \(then), \(otherwise))")
        default: break
        }
        let call = p.take("(")
        throw Failure(message: "the function '\(word)\(call ? "()" : "")' is not supported")
    }

    private mutating func variable(_ name: String) throws(Failure) -> Term {
        switch name {
        case "resource", "context", "questionnaire": return .items
        default: break
        }
        guard let definition = variables[name] else {
            throw Failure(message: "the variable %\(name) is not defined on this item or an item containing it")
        }
        guard !expanding.contains(name) else { throw Failure(message: "the variable %\(name) refers to itself") }
        expanding.insert(name)
        defer { expanding.remove(name) }
        if let item = try weightPattern(definition) { return .weight(item) }
        if Self.isStringLiteral(definition) { return .value("none") }
        var inner = Parser(text: definition)
        let term = try parseExpression(&inner)
        guard inner.atEnd else { throw Failure(message: "cannot translate %\(name): \(definition.prefix(80))") }
        if case .value(let text) = term { return .value("(\(text))") }
        return term
    }

    /// The path questionnaires use for the ordinal weight of a coded answer: its item.
    private func weightPattern(_ expression: String) throws(Failure) -> String? {
        let compact = expression.replacingOccurrences(of: " ", with: "")
        let weight =
            #"^%questionnaire\.item\.where\(linkId='([^']+)'\)\.answerOption\.where\(valueCoding\.code=%resource\.item\.where\(linkId='([^']+)'\)\.answer\.valueCoding\.code\)\.extension\.where\(url=%[A-Za-z_]+\)\.value(Decimal|Integer)$"#
        guard let regex = try? NSRegularExpression(pattern: weight),
            let match = regex.firstMatch(in: compact, range: NSRange(compact.startIndex..., in: compact))
        else { return nil }
        let linkIDs = (1..<match.numberOfRanges).compactMap {
            Range(match.range(at: $0), in: compact).map { String(compact[$0]) }
        }
        guard linkIDs.count >= 2, linkIDs[0] == linkIDs[1], let item = questions[linkIDs[0]] else {
            throw Failure(message: "the weight refers to an unknown question")
        }
        return item
    }

    /// `'a' | 'b' | 'c'` (strings, numbers, @dates, @Ttimes): the values, else nil.
    static func literalUnion(_ text: String) -> [String]? {
        var values: [String] = []
        for part in text.split(separator: "|") {
            let literal = part.trimmingCharacters(in: .whitespaces)
            if isStringLiteral(literal) {
                values.append(String(literal.dropFirst().dropLast()))
            } else if Double(literal) != nil {
                values.append(literal)
            } else if literal.hasPrefix("@"), literal.count > 1,
                literal.dropFirst().allSatisfy({ $0.isNumber || "-:T.".contains($0) })
            {
                values.append(String(literal.dropFirst().drop { $0 == "T" }))
            } else {
                return nil
            }
        }
        return values.isEmpty ? nil : values
    }

    static func isStringLiteral(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.count >= 2 && trimmed.hasPrefix("'") && trimmed.hasSuffix("'")
    }

    /// A string literal in Clinterview's language: single quotes, or double
    /// quotes when the text holds an apostrophe.
    static func quoted(_ text: String) -> String {
        if !text.contains("'") { return "'\(text)'" }
        if !text.contains("\"") { return "\"\(text)\"" }
        return "'\(text.replacingOccurrences(of: "'", with: "’"))'"
    }

    struct Parser {
        var characters: [Character]
        var index = 0

        init(text: String) {
            characters = Array(text)
        }

        var atEnd: Bool {
            var i = index
            while i < characters.count, characters[i].isWhitespace { i += 1 }
            return i == characters.count
        }

        var rest: String { String(characters[min(index, characters.count)...]) }

        mutating func skipSpace() {
            while index < characters.count, characters[index].isWhitespace { index += 1 }
        }

        mutating func take(_ symbol: String) -> Bool {
            skipSpace()
            let wanted = Array(symbol)
            guard index + wanted.count <= characters.count,
                Array(characters[index..<(index + wanted.count)]) == wanted
            else { return false }
            // '=' must not take the start of '==' style typos, nor '<' the start of '<='.
            if symbol == "<" || symbol == ">" || symbol == "!" || symbol == "=",
                index + 1 < characters.count, characters[index + 1] == "="
            {
                return false
            }
            index += wanted.count
            return true
        }

        /// A name: letters, digits and '_', starting with a letter.
        mutating func word() -> String? {
            skipSpace()
            guard index < characters.count, characters[index].isLetter else { return nil }
            let start = index
            while index < characters.count,
                characters[index].isLetter || characters[index].isNumber
                    || characters[index] == "_"
            {
                index += 1
            }
            return String(characters[start..<index])
        }

        func peekWord(_ name: String) -> Bool {
            var copy = self
            return copy.word() == name
        }

        mutating func takeWord(_ name: String) -> Bool {
            var copy = self
            guard copy.word() == name else { return false }
            self = copy
            return true
        }

        mutating func takeNumber() -> String? {
            skipSpace()
            let start = index
            while index < characters.count, characters[index].isNumber || characters[index] == "." { index += 1 }
            return index > start ? String(characters[start..<index]) : nil
        }

        /// A FHIRPath string in single quotes, with its escapes undone.
        mutating func takeString() -> String? {
            skipSpace()
            guard index < characters.count, characters[index] == "'" else { return nil }
            var text = ""
            var i = index + 1
            while i < characters.count, characters[i] != "'" {
                if characters[i] == "\\", i + 1 < characters.count {
                    i += 1
                }
                text.append(characters[i])
                i += 1
            }
            guard i < characters.count else { return nil }
            index = i + 1
            return text
        }

        /// `name-more`, when the text goes on with '-' and a letter.
        mutating func hyphenated(_ name: String) -> String? {
            guard index + 1 < characters.count, characters[index] == "-", characters[index + 1].isLetter else {
                return nil
            }
            index += 1
            return word().map { name + "-" + $0 }
        }

        mutating func takeVariable() -> String? {
            skipSpace()
            guard index < characters.count, characters[index] == "%" else { return nil }
            var end = index + 1
            while end < characters.count, characters[end].isLetter || characters[end].isNumber || characters[end] == "_"
            {
                end += 1
            }
            guard end > index + 1 else { return nil }
            let name = String(characters[(index + 1)..<end])
            index = end
            return name
        }
    }
}

extension FHIRPathTranslator.Term {
    var isAnswer: Bool {
        if case .answer = self { true } else { false }
    }
}
