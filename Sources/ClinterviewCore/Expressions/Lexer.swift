/// A token with its text spelled out: what `Lexer.tokenize` gives, for the
/// lexer's tests (the parser reads `LexedToken`s).
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case number(Double)
        case string(String)
        case identifier(String)
        case keyword(Keyword)
        case date(Int, String)
        case symbol(Symbol)
        case end
    }

    var kind: Kind
    var offset: Int
}

/// A token as the parser reads it: a string, a name or a date's text is a
/// range of the expression's UTF-8 bytes, made into a `String` only for the
/// node that keeps it, so tokens are plain values.
struct LexedToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case number(Double)
        case string
        case identifier
        case keyword(Keyword)
        case date(Int)
        case symbol(Symbol)
        case end
    }

    var kind: Kind
    /// In characters (Unicode scalars) from the start of the expression.
    var offset: Int
    /// The bytes of a string's content, a name, or a date after its '@'.
    var start: Int32 = 0
    var end: Int32 = 0
}

/// The punctuation of the expression language.
enum Symbol: String, Sendable, CaseIterable {
    case range = "..", equal = "==", notEqual = "!=", lessOrEqual = "<=", greaterOrEqual = ">=", less = "<", greater =
        ">"
    case plus = "+", minus = "-", times = "*", divide = "/", openParenthesis = "(", closeParenthesis = ")"
    case openBracket = "[", closeBracket = "]", comma = ",", question = "?"
}

/// Words that cannot be names.
enum Keyword: String, Sendable, CaseIterable {
    case and, or, not, `in`, `true`, `false`, none
}

/// Splits expression text into tokens. Offsets count characters (Unicode scalars).
///
/// Works on the UTF-8 bytes (every token but a string is ASCII) and counts
/// scalars as it goes: a definition of 100,000 items has 100,000 expressions.
struct Lexer {
    /// The tokens of `text` with their texts spelled out.
    static func tokenize(_ text: String) throws(ExpressionError) -> [Token] {
        var text = text
        let tokens = text.withUTF8 { bytes in
            Result { () throws(ExpressionError) in
                try scan(bytes).map { token in
                    let spelled = String(
                        decoding: UnsafeBufferPointer(rebasing: bytes[Int(token.start)..<Int(token.end)]), as: UTF8.self
                    )
                    let kind: Token.Kind =
                        switch token.kind {
                        case .number(let value): .number(value)
                        case .string: .string(spelled)
                        case .identifier: .identifier(spelled)
                        case .keyword(let keyword): .keyword(keyword)
                        case .date(let days): .date(days, spelled)
                        case .symbol(let symbol): .symbol(symbol)
                        case .end: .end
                        }
                    return Token(kind: kind, offset: token.offset)
                }
            }
        }
        return try tokens.get()
    }

    /// The tokens of an expression's UTF-8 bytes, read in place: copying the
    /// text into an array first, and making names from slices of it, was a
    /// fifth of tokenizing.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) throws(ExpressionError) -> [LexedToken] {
        var cursor = Cursor(bytes: bytes)
        var tokens: [LexedToken] = []
        // A token takes at least one byte and usually three or more.
        tokens.reserveCapacity(bytes.count / 3 + 2)
        while let byte = cursor.current {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                cursor.skipASCII { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
                continue
            }
            let start = cursor.offset
            let startIndex = cursor.index
            if isDigit(byte) {
                cursor.skipASCII(while: isDigit)
                if cursor.current == UInt8(ascii: "."), let next = cursor.peek(1), isDigit(next) {
                    cursor.advance()
                    cursor.skipASCII(while: isDigit)
                }
                if cursor.index - startIndex <= 15, let whole = cursor.wholeNumber(from: startIndex) {
                    // Digits only: exact in a Double, read without `Double(String)`.
                    tokens.append(LexedToken(kind: .number(whole), offset: start))
                    continue
                }
                let text = cursor.text(from: startIndex)
                guard let value = Double(text), value.isFinite, text.utf8.count <= 15 else {
                    throw ExpressionError(offset: start, message: "number '\(text.prefix(20))' is too long")
                }
                tokens.append(LexedToken(kind: .number(value), offset: start))
            } else if isIdentifierStart(byte) {
                cursor.skipASCII(while: isIdentifierPart)
                if let keyword = cursor.keyword(from: startIndex) {
                    tokens.append(LexedToken(kind: .keyword(keyword), offset: start))
                } else {
                    tokens.append(
                        LexedToken(kind: .identifier, offset: start, start: Int32(startIndex), end: Int32(cursor.index))
                    )
                }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                cursor.advance()
                cursor.skip { $0 != byte }
                guard cursor.current != nil else {
                    throw ExpressionError(offset: start, message: "unterminated string")
                }
                let end = cursor.index
                cursor.advance()
                tokens.append(LexedToken(kind: .string, offset: start, start: Int32(startIndex + 1), end: Int32(end)))
            } else if byte == UInt8(ascii: "@") {
                cursor.advance()
                cursor.skip { isDigit($0) || $0 == UInt8(ascii: "-") }
                let text = cursor.text(from: startIndex + 1)
                guard let days = CalendarDate.daysSinceEpoch(iso: text) else {
                    throw ExpressionError(offset: start, message: "invalid date '@\(text)': write it as @YYYY-MM-DD")
                }
                tokens.append(
                    LexedToken(kind: .date(days), offset: start, start: Int32(startIndex + 1), end: Int32(cursor.index))
                )
            } else if let symbol = symbol(byte, followedBy: cursor.peek(1)) {
                for _ in symbol.rawValue.utf8 { cursor.advance() }
                tokens.append(LexedToken(kind: .symbol(symbol), offset: start))
            } else if byte == UInt8(ascii: "=") {
                throw ExpressionError(offset: start, message: "unexpected '=': write '==' to compare")
            } else if byte == UInt8(ascii: "&") || byte == UInt8(ascii: "|") || byte == UInt8(ascii: "!") {
                throw ExpressionError(
                    offset: start, message: "unexpected '\(Character(Unicode.Scalar(byte)))': write 'and', 'or', 'not'")
            } else {
                let scalar = cursor.scalar()
                throw ExpressionError(offset: start, message: "unexpected character '\(scalar.escaped(asASCII: true))'")
            }
        }
        tokens.append(LexedToken(kind: .end, offset: cursor.offset))
        return tokens
    }

    /// The symbol that starts with `byte`, the longer when two could.
    private static func symbol(_ byte: UInt8, followedBy next: UInt8?) -> Symbol? {
        let equals = next == UInt8(ascii: "=")
        switch byte {
        case UInt8(ascii: "."): return next == UInt8(ascii: ".") ? .range : nil
        case UInt8(ascii: "="): return equals ? .equal : nil
        case UInt8(ascii: "!"): return equals ? .notEqual : nil
        case UInt8(ascii: "<"): return equals ? .lessOrEqual : .less
        case UInt8(ascii: ">"): return equals ? .greaterOrEqual : .greater
        case UInt8(ascii: "+"): return .plus
        case UInt8(ascii: "-"): return .minus
        case UInt8(ascii: "*"): return .times
        case UInt8(ascii: "/"): return .divide
        case UInt8(ascii: "("): return .openParenthesis
        case UInt8(ascii: ")"): return .closeParenthesis
        case UInt8(ascii: "["): return .openBracket
        case UInt8(ascii: "]"): return .closeBracket
        case UInt8(ascii: ","): return .comma
        case UInt8(ascii: "?"): return .question
        default: return nil
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isIdentifierStart(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "_") || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A)
    }
    private static func isIdentifierPart(_ byte: UInt8) -> Bool { isIdentifierStart(byte) || isDigit(byte) }

    /// A position in UTF-8 bytes that also knows how many scalars lie before it.
    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        /// Unicode scalars before `index`.
        var offset = 0

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        func peek(_ distance: Int) -> UInt8? { index + distance < bytes.count ? bytes[index + distance] : nil }

        /// Moves past one scalar (its first byte and any continuation bytes).
        mutating func advance() {
            offset += 1
            index += 1
            while index < bytes.count, bytes[index] & 0xC0 == 0x80 { index += 1 }
        }

        mutating func skip(while test: (UInt8) -> Bool) {
            while let byte = current, test(byte) { advance() }
        }

        /// Moves past bytes that `test` accepts, all of them ASCII (one byte,
        /// one scalar each): names and numbers, read without looking for
        /// continuation bytes after every byte.
        mutating func skipASCII(while test: (UInt8) -> Bool) {
            let start = index
            while index < bytes.count, test(bytes[index]) { index += 1 }
            offset += index - start
        }

        func text(from start: Int) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        }

        /// The keyword spelled by the identifier from `start`, if it is one:
        /// compared byte by byte, so that the parser tests tags, not strings.
        func keyword(from start: Int) -> Keyword? {
            func spells(_ word: StaticString) -> Bool {
                guard index - start == word.utf8CodeUnitCount else { return false }
                let expected = word.utf8Start
                for offset in 0..<(index - start) where bytes[start + offset] != expected[offset] { return false }
                return true
            }
            switch index - start {
            case 2: return spells("or") ? .or : spells("in") ? .in : nil
            case 3: return spells("and") ? .and : spells("not") ? .not : nil
            case 4: return spells("true") ? .true : spells("none") ? Keyword.none : nil
            case 5: return spells("false") ? .false : nil
            default: return nil
            }
        }

        /// The number written from `start`, when it is digits only.
        func wholeNumber(from start: Int) -> Double? {
            var value = 0
            for byte in bytes[start..<index] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return Double(value)
        }

        func scalar() -> Unicode.Scalar {
            var end = index + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self).unicodeScalars
                .first ?? "\u{FFFD}"
        }
    }
}
