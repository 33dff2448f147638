struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case number(Double)
        case string(String)
        case identifier(String)
        case date(Int, String)
        case symbol(String)
        case end
    }

    var kind: Kind
    var offset: Int
}

/// Splits expression text into tokens. Offsets count characters (Unicode scalars).
struct Lexer {
    static let symbols = ["..", "==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "(", ")", "[", "]", ",", "?"]

    static func tokenize(_ text: String) throws(ExpressionError) -> [Token] {
        let scalars = Array(text.unicodeScalars)
        var tokens: [Token] = []
        var index = 0

        func isIdentifierStart(_ s: Unicode.Scalar) -> Bool { s == "_" || ("a"..."z").contains(s) || ("A"..."Z").contains(s) }
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
                tokens.append(Token(kind: .identifier(String(String.UnicodeScalarView(scalars[start..<index]))), offset: start))
            } else if scalar == "\"" || scalar == "'" {
                index += 1
                var value = String.UnicodeScalarView()
                while index < scalars.count, scalars[index] != scalar {
                    value.append(scalars[index])
                    index += 1
                }
                guard index < scalars.count else { throw ExpressionError(offset: start, message: "unterminated string") }
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
                tokens.append(Token(kind: .symbol(symbol), offset: start))
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
