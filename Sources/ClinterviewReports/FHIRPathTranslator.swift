import Foundation

/// Translates the FHIRPath that real questionnaires use to total their answers
/// into Clinterview's expression language: `iif`, `+`, `-`, `and`, `or`,
/// `.exists()`, `{}`, numbers, `%variables`, the ordinal weight of an answer
/// and the value of an answer. Anything else is refused with a reason.
struct FHIRPathTranslator {
    struct Failure: Error {
        var message: String
    }

    let variables: [String: String]
    /// linkId to item id.
    let questions: [String: String]
    private var expanding: Set<String> = []

    init(variables: [String: String], questions: [String: String]) {
        self.variables = variables
        self.questions = questions
    }

    /// What an expression stands for: a translated expression, and when it is the
    /// weight or value of one answer, that item (so `.exists()` can become `answered`).
    struct Term {
        var text: String
        var item: String?
    }

    mutating func translate(_ text: String) throws(Failure) -> String {
        var parser = Parser(text: text)
        let term = try parse(&parser)
        guard parser.atEnd else { throw Failure(message: "unexpected '\(parser.rest.prefix(20))'") }
        return term.text
    }

    mutating func parse(_ p: inout Parser) throws(Failure) -> Term {
        try parseOr(&p)
    }

    private mutating func parseOr(_ p: inout Parser) throws(Failure) -> Term {
        var left = try parseAnd(&p)
        while p.take("or") {
            let right = try parseAnd(&p)
            left = Term(text: "(\(left.text) or \(right.text))", item: nil)
        }
        return left
    }

    private mutating func parseAnd(_ p: inout Parser) throws(Failure) -> Term {
        var left = try parseSum(&p)
        while p.take("and") {
            let right = try parseSum(&p)
            left = Term(text: "(\(left.text) and \(right.text))", item: nil)
        }
        return left
    }

    private mutating func parseSum(_ p: inout Parser) throws(Failure) -> Term {
        var left = try parsePostfix(&p)
        while true {
            if p.take("+") {
                left = Term(text: "\(left.text) + \(try parsePostfix(&p).text)", item: nil)
            } else if p.take("-") {
                left = Term(text: "\(left.text) - \(try parsePostfix(&p).text)", item: nil)
            } else {
                return left
            }
        }
    }

    private mutating func parsePostfix(_ p: inout Parser) throws(Failure) -> Term {
        var term = try parsePrimary(&p)
        while p.take(".exists()") {
            guard let item = term.item else {
                throw Failure(message: "exists() is supported only on the answer to one question")
            }
            term = Term(text: "answered(\(item))", item: nil)
        }
        return term
    }

    private mutating func parsePrimary(_ p: inout Parser) throws(Failure) -> Term {
        if p.take("(") {
            let inner = try parse(&p)
            guard p.take(")") else { throw Failure(message: "missing ')'") }
            return Term(text: "(\(inner.text))", item: inner.item)
        }
        if p.take("{}") { return Term(text: "none", item: nil) }
        if p.take("iif(") {
            let condition = try parse(&p)
            guard p.take(",") else { throw Failure(message: "iif() needs three arguments") }
            let then = try parse(&p)
            guard p.take(",") else { throw Failure(message: "iif() needs three arguments") }
            let otherwise = try parse(&p)
            guard p.take(")") else { throw Failure(message: "missing ')' after iif()") }
            return Term(text: "if(\(condition.text), \(then.text), \(otherwise.text))", item: nil)
        }
        if let number = p.takeNumber() { return Term(text: number, item: nil) }
        if let name = p.takeVariable() {
            guard let definition = variables[name] else { throw Failure(message: "unknown variable %\(name)") }
            guard !expanding.contains(name) else { throw Failure(message: "variable %\(name) refers to itself") }
            expanding.insert(name)
            defer { expanding.remove(name) }
            if let direct = try patternTerm(definition) { return direct }
            var inner = Parser(text: definition)
            let term = try parse(&inner)
            guard inner.atEnd else { throw Failure(message: "cannot translate %\(name): \(definition.prefix(80))") }
            return Term(text: "(\(term.text))", item: term.item)
        }
        throw Failure(message: "cannot translate '\(p.rest.prefix(40))'")
    }

    /// The two path shapes questionnaires use for one answer.
    private func patternTerm(_ expression: String) throws(Failure) -> Term? {
        let compact = expression.replacingOccurrences(of: " ", with: "")
        let weight =
            #"^%questionnaire\.item\.where\(linkId='([^']+)'\)\.answerOption\.where\(valueCoding\.code=%resource\.item\.where\(linkId='([^']+)'\)\.answer\.valueCoding\.code\)\.extension\.where\(url=%[A-Za-z_]+\)\.value(Decimal|Integer)$"#
        if let match = compact.range(of: weight, options: .regularExpression) {
            let linkIDs = captures(in: String(compact[match]), pattern: weight)
            guard linkIDs.count >= 2, linkIDs[0] == linkIDs[1], let item = questions[linkIDs[0]] else {
                throw Failure(message: "the weight refers to an unknown question")
            }
            return Term(text: "weight(\(item))", item: item)
        }
        let value = #"^%resource\.item\.where\(linkId='([^']+)'\)\.answer\.value$"#
        if compact.range(of: value, options: .regularExpression) != nil {
            let linkIDs = captures(in: compact, pattern: value)
            guard let linkID = linkIDs.first, let item = questions[linkID] else {
                throw Failure(message: "the value refers to an unknown question")
            }
            return Term(text: item, item: item)
        }
        if compact.hasPrefix("'"), compact.hasSuffix("'") { return Term(text: "none", item: nil) }
        return nil
    }

    private func captures(in text: String, pattern: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
        else { return [] }
        return (1..<match.numberOfRanges).compactMap { Range(match.range(at: $0), in: text).map { String(text[$0]) } }
    }

    struct Parser {
        var scalars: [Character]
        var index = 0

        init(text: String) {
            scalars = Array(text)
        }

        var atEnd: Bool {
            var i = index
            while i < scalars.count, scalars[i].isWhitespace { i += 1 }
            return i == scalars.count
        }

        var rest: String { String(scalars[min(index, scalars.count)...]) }

        mutating func skipSpace() {
            while index < scalars.count, scalars[index].isWhitespace { index += 1 }
        }

        mutating func take(_ word: String) -> Bool {
            skipSpace()
            let characters = Array(word)
            guard index + characters.count <= scalars.count,
                Array(scalars[index..<(index + characters.count)]) == characters
            else { return false }
            if let last = characters.last, last.isLetter, index + characters.count < scalars.count,
                scalars[index + characters.count].isLetter
            {
                return false
            }
            index += characters.count
            return true
        }

        mutating func takeNumber() -> String? {
            skipSpace()
            let start = index
            while index < scalars.count, scalars[index].isNumber || scalars[index] == "." { index += 1 }
            return index > start ? String(scalars[start..<index]) : nil
        }

        mutating func takeVariable() -> String? {
            skipSpace()
            guard index < scalars.count, scalars[index] == "%" else { return nil }
            var end = index + 1
            while end < scalars.count, scalars[end].isLetter || scalars[end].isNumber || scalars[end] == "_" {
                end += 1
            }
            guard end > index + 1 else { return nil }
            let name = String(scalars[(index + 1)..<end])
            index = end
            return name
        }
    }
}
