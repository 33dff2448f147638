import ClinterviewTestSupport
import Testing

@testable import ClinterviewCore

/// The first lexer, on an array of Unicode scalars: the reference the faster one must agree with.
enum ReferenceLexer {
    static let symbols = ["..", "==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "(", ")", "[", "]", ",", "?"]
    static let keywords = ["and", "or", "not", "in", "true", "false", "none"]

    static func tokenize(_ text: String) throws(ExpressionError) -> [Token] {
        let scalars = Array(text.unicodeScalars)
        var tokens: [Token] = []
        var index = 0

        func isIdentifierStart(_ s: Unicode.Scalar) -> Bool {
            s == "_" || ("a"..."z").contains(s) || ("A"..."Z").contains(s)
        }
        func isIdentifierPart(_ s: Unicode.Scalar) -> Bool { isIdentifierStart(s) || isDigit(s) }
        func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 48 && s.value <= 57 }

        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
                index += 1
                continue
            }
            let start = index
            if isDigit(scalar) {
                while index < scalars.count, isDigit(scalars[index]) { index += 1 }
                if index + 1 < scalars.count, scalars[index] == ".", isDigit(scalars[index + 1]) {
                    index += 1
                    while index < scalars.count, isDigit(scalars[index]) { index += 1 }
                }
                let text = String(String.UnicodeScalarView(scalars[start..<index]))
                guard let value = Double(text), value.isFinite, text.count <= 15 else {
                    throw ExpressionError(offset: start, message: "number '\(text.prefix(20))' is too long")
                }
                tokens.append(Token(kind: .number(value), offset: start))
            } else if isIdentifierStart(scalar) {
                while index < scalars.count, isIdentifierPart(scalars[index]) { index += 1 }
                let word = String(String.UnicodeScalarView(scalars[start..<index]))
                let kind: Token.Kind = keywords.contains(word) ? .keyword(Keyword(rawValue: word)!) : .identifier(word)
                tokens.append(Token(kind: kind, offset: start))
            } else if scalar == "\"" || scalar == "'" {
                index += 1
                var value = String.UnicodeScalarView()
                while index < scalars.count, scalars[index] != scalar {
                    value.append(scalars[index])
                    index += 1
                }
                guard index < scalars.count else {
                    throw ExpressionError(offset: start, message: "unterminated string")
                }
                index += 1
                tokens.append(Token(kind: .string(String(value)), offset: start))
            } else if scalar == "@" {
                index += 1
                while index < scalars.count, isDigit(scalars[index]) || scalars[index] == "-" { index += 1 }
                let text = String(String.UnicodeScalarView(scalars[(start + 1)..<index]))
                guard let days = CalendarDate.daysSinceEpoch(iso: text) else {
                    throw ExpressionError(offset: start, message: "invalid date '@\(text)': write it as @YYYY-MM-DD")
                }
                tokens.append(Token(kind: .date(days, text), offset: start))
            } else if let symbol = symbols.first(where: { matches($0, scalars, at: index) }) {
                index += symbol.unicodeScalars.count
                tokens.append(Token(kind: .symbol(Symbol(rawValue: symbol)!), offset: start))
            } else if scalar == "=" {
                throw ExpressionError(offset: start, message: "unexpected '=': write '==' to compare")
            } else if scalar == "&" || scalar == "|" || scalar == "!" {
                throw ExpressionError(offset: start, message: "unexpected '\(scalar)': write 'and', 'or', 'not'")
            } else {
                throw ExpressionError(offset: start, message: "unexpected character '\(scalar.escaped(asASCII: true))'")
            }
        }
        tokens.append(Token(kind: .end, offset: scalars.count))
        return tokens
    }

    private static func matches(_ symbol: String, _ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        var position = index
        for s in symbol.unicodeScalars {
            guard position < scalars.count, scalars[position] == s else { return false }
            position += 1
        }
        return true
    }
}

/// The lexer works on UTF-8 bytes and counts scalars for offsets; on random
/// text (ASCII, accents, CJK, emoji, quotes, dates, numbers, stray symbols) it
/// must give exactly the tokens, or the error and offset, of the reference.
@Suite struct LexerTests {
    static let pieces = [
        "A1", "_x9", "é", "日本", "😀", " ", "\t", "\n", "'", "\"", "@2024-02-29", "@2024-13-01", "@", "12", "3.5", "1.",
        ".5",
        "1234567890123456", "..", ".", "==", "=", "!=", "!", "<=", ">=", "<", ">", "+", "-", "*", "/", "(", ")", "[",
        "]", ",", "?", "&", "|", "#", "\u{0}", "\u{301}", "and", "or", "not", "in", "true", "false", "none", "AND",
        "nonE", "an", "falsey", "'é日'",
    ]

    func describe(_ run: () throws(ExpressionError) -> [Token]) -> String {
        do {
            return try run().map { "\($0.kind)@\($0.offset)" }.joined(separator: " ")
        } catch {
            return "error \(error.offset): \(error.message)"
        }
    }

    @Test func agreesWithTheReferenceOnRandomText() {
        var rng = SplitMix64(state: 42)
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 0...10, using: &rng)).map { _ in Self.pieces.randomElement(using: &rng)! }
                .joined()
            #expect(
                describe { () throws(ExpressionError) in try Lexer.tokenize(text) }
                    == describe { () throws(ExpressionError) in try ReferenceLexer.tokenize(text) },
                "\(text.debugDescription)")
        }
    }
}

/// The parser reads comparison operators with a switch of its own: every
/// operator must come out as itself, and nothing else as an operator.
@Suite struct ComparisonParsingTests {
    @Test(arguments: ComparisonOperator.allCases)
    func everyOperatorParsesAsItself(op: ComparisonOperator) throws {
        let syntax = try ExpressionParser.parse("A1 \(op.rawValue) 2")
        guard case .comparison(let parsed, _, _, _) = syntax[syntax.root] else {
            Issue.record("not a comparison: \(syntax)")
            return
        }
        #expect(parsed == op)
    }

    @Test func otherSymbolsAreNotComparisons() {
        for text in ["A1 =< 2", "A1 => 2", "A1 = 2", "A1 <> 2"] {
            #expect(throws: ExpressionError.self, "\(text)") { try ExpressionParser.parse(text) }
        }
    }
}

/// `formatNumber` writes whole numbers itself; it must write them as `String(Int)` does.
@Suite struct NumberTextTests {
    @Test func wholeNumbersAsStringWritesThem() {
        var rng = SplitMix64(state: 7)
        var numbers = [0, 1, -1, 9, 10, -10, 99, 100, 999_999_999_999_999, -999_999_999_999_999, Int.max, Int.min]
        for _ in 0..<10_000 { numbers.append(Int.random(in: -999_999_999_999_999...999_999_999_999_999, using: &rng)) }
        for _ in 0..<1_000 { numbers.append(Int.random(in: -1000...1000, using: &rng)) }
        for number in numbers { #expect(String(number) == String(number), "\(number)") }
        #expect(formatNumber(-0.0) == "0")
        #expect(formatNumber(3) == "3")
        #expect(formatNumber(2.5) == "2.5")
        #expect(formatNumber(1e15) == String(1e15))
    }
}

/// Function names are told apart by length and first and last letter before
/// one comparison: each name must find its function, and nothing else any.
@Suite struct FunctionNameTests {
    @Test(arguments: Function.allCases)
    func everyNameFindsItsFunction(function: Function) {
        #expect(Function(name: function.rawValue) == function)
    }

    @Test func otherWordsFindNone() {
        let near = [
            "", "i", "iff", "fi", "any_", "aly", "sun", "mun", "mix", "ads", "hbs", "meen", "sire", "cunt", "rount",
            "weighs",
            "answerad", "inadequabe", "known_cunt", "answered_cunt", "Count", "IF", "answered_counts", "min2",
        ]
        for word in near { #expect(Function(name: word) == nil, "\(word)") }
    }
}
