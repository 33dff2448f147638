/// Recursive-descent parser for the expression language (grammar in docs/expressions.md).
struct ExpressionParser {
    static let maximumDepth = 64
    /// Bounds the depth of the tree that operator chains build, so checking and
    /// evaluating an expression can never exhaust the stack.
    static let maximumOperators = 200
    static let maximumTokens = 2_000
    static let keywords = Set(Keyword.allCases.map(\.rawValue))

    private let tokens: [LexedToken]
    /// The expression's UTF-8 bytes, which strings and names are read from.
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var depth = 0
    private var operators = 0
    private var tree = SyntaxTree()
    /// The elements of the lists and calls being parsed, innermost last.
    private var openElements: [SyntaxTree.ID] = []

    /// `trimmed: false` leaves the tree's arrays with spare capacity: for a
    /// tree checked at once and dropped, copying them to size is wasted.
    static func parse(_ text: String, trimmed: Bool = true) throws(ExpressionError) -> SyntaxTree {
        var text = text
        let tree = text.withUTF8 { bytes in
            Result { () throws(ExpressionError) in try parse(bytes: bytes, trimmed: trimmed) }
        }
        return try tree.get()
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>, trimmed: Bool) throws(ExpressionError) -> SyntaxTree {
        let tokens = try Lexer.scan(bytes)
        guard tokens.count <= maximumTokens else {
            throw ExpressionError(
                offset: tokens[maximumTokens].offset,
                message: "expression is longer than \(maximumTokens) tokens: split it into named values or criteria")
        }
        var parser = ExpressionParser(tokens: tokens, bytes: bytes)
        // Every node takes at least one token: the nodes never outgrow this.
        parser.tree.reserveCapacity(nodes: tokens.count)
        guard parser.peek.kind != .end else { throw ExpressionError(offset: 0, message: "empty expression") }
        let root = try parser.parseExpression()
        guard parser.peek.kind == .end else {
            throw ExpressionError(
                offset: parser.peek.offset,
                message: "unexpected \(parser.describe(parser.peek)) after a complete expression")
        }
        parser.tree.root = root
        if trimmed { parser.tree.trim() }
        return parser.tree
    }

    private mutating func node(_ node: SyntaxNode) -> SyntaxTree.ID {
        tree.append(node)
    }

    /// Parses comma-separated elements up to `close` (not consumed) with
    /// `element`, and stores them as one list once all are parsed, so that
    /// nested lists do not interleave with them.
    private mutating func parseElements(
        until close: Symbol, _ element: (inout ExpressionParser) throws(ExpressionError) -> SyntaxTree.ID
    ) throws(ExpressionError) -> SyntaxList {
        let start = openElements.count
        if !isSymbol(close) {
            repeat {
                if openElements.count > start { _ = advance() }
                openElements.append(try element(&self))
            } while isSymbol(.comma)
        }
        let list = tree.appendList(openElements[start...])
        openElements.removeSubrange(start...)
        return list
    }

    private init(tokens: [LexedToken], bytes: UnsafeBufferPointer<UInt8>) {
        self.tokens = tokens
        self.bytes = bytes
    }

    private var peek: LexedToken { tokens[position] }

    /// The text of a string, name or date token.
    private func text(_ token: LexedToken) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(token.start)..<Int(token.end)]), as: UTF8.self)
    }

    private mutating func countOperator() throws(ExpressionError) {
        operators += 1
        guard operators <= Self.maximumOperators else {
            throw ExpressionError(
                offset: peek.offset,
                message:
                    "expression has more than \(Self.maximumOperators) operators: split it into named values or criteria"
            )
        }
    }

    private mutating func advance() -> LexedToken {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func isSymbol(_ symbol: Symbol) -> Bool {
        if case .symbol(let next) = peek.kind { return next == symbol }
        return false
    }

    private func isKeyword(_ keyword: Keyword) -> Bool {
        if case .keyword(let next) = peek.kind { return next == keyword }
        return false
    }

    /// `not in`, two tokens ahead.
    private var isNotIn: Bool {
        guard isKeyword(.not), position + 1 < tokens.count, case .keyword(.in) = tokens[position + 1].kind else {
            return false
        }
        return true
    }

    private func describe(_ token: LexedToken) -> String {
        switch token.kind {
        case .number(let value): "number \(formatNumber(value))"
        case .string: "string '\(text(token))'"
        case .identifier: "'\(text(token))'"
        case .keyword(let keyword): "'\(keyword.rawValue)'"
        case .date: "date @\(text(token))"
        case .symbol(let symbol): "'\(symbol.rawValue)'"
        case .end: "end of expression"
        }
    }

    /// `context` is built only for the message: "to close the arguments of
    /// answered()" built for every call was a string allocated and freed.
    private mutating func expectSymbol(_ symbol: Symbol, _ context: @autoclosure () -> String) throws(ExpressionError) {
        guard isSymbol(symbol) else {
            throw ExpressionError(
                offset: peek.offset, message: "expected '\(symbol.rawValue)' \(context()), found \(describe(peek))")
        }
        _ = advance()
    }

    private mutating func nested<T>(
        _ body: (inout ExpressionParser) throws(ExpressionError) -> T
    ) throws(ExpressionError) -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else {
            throw ExpressionError(
                offset: peek.offset, message: "expression nested more than \(Self.maximumDepth) levels deep")
        }
        return try body(&self)
    }

    mutating func parseExpression() throws(ExpressionError) -> SyntaxTree.ID {
        try nested { (p: inout ExpressionParser) throws(ExpressionError) in try p.parseOr() }
    }

    private mutating func parseOr() throws(ExpressionError) -> SyntaxTree.ID {
        var left = try parseAnd()
        while isKeyword(.or) {
            try countOperator()
            let at = advance().offset
            left = node(.logical(.or, left, try parseAnd(), at: at))
        }
        return left
    }

    private mutating func parseAnd() throws(ExpressionError) -> SyntaxTree.ID {
        var left = try parseNot()
        while isKeyword(.and) {
            try countOperator()
            let at = advance().offset
            left = node(.logical(.and, left, try parseNot(), at: at))
        }
        return left
    }

    private mutating func parseNot() throws(ExpressionError) -> SyntaxTree.ID {
        if isKeyword(.not) {
            let at = advance().offset
            return node(
                .not(try nested { (p: inout ExpressionParser) throws(ExpressionError) in try p.parseNot() }, at: at))
        }
        return try parseComparison()
    }

    private mutating func comparisonOperator() -> ComparisonOperator? {
        guard case .symbol(let symbol) = peek.kind else { return nil }
        switch symbol {
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .less: return .less
        case .lessOrEqual: return .lessOrEqual
        case .greater: return .greater
        case .greaterOrEqual: return .greaterOrEqual
        default: return nil
        }
    }

    private mutating func parseComparison() throws(ExpressionError) -> SyntaxTree.ID {
        let left = try parseAdditive()
        if let op = comparisonOperator() {
            let at = advance().offset
            let right = try parseAdditive()
            if comparisonOperator() != nil {
                throw ExpressionError(
                    offset: peek.offset, message: "comparisons cannot be chained: join them with 'and'")
            }
            return node(.comparison(op, left, right, at: at))
        }
        if isKeyword(.in) {
            let at = advance().offset
            return node(.membership(left, try parseList(), negated: false, at: at))
        }
        if isNotIn {
            let at = advance().offset
            _ = advance()
            return node(.membership(left, try parseList(), negated: true, at: at))
        }
        return left
    }

    private mutating func parseAdditive() throws(ExpressionError) -> SyntaxTree.ID {
        var left = try parseMultiplicative()
        while isSymbol(.plus) || isSymbol(.minus) {
            try countOperator()
            let token = advance()
            let op: ArithmeticOperator = token.kind == .symbol(.plus) ? .add : .subtract
            left = node(.arithmetic(op, left, try parseMultiplicative(), at: token.offset))
        }
        return left
    }

    private mutating func parseMultiplicative() throws(ExpressionError) -> SyntaxTree.ID {
        var left = try parseUnary()
        while isSymbol(.times) || isSymbol(.divide) {
            try countOperator()
            let token = advance()
            let op: ArithmeticOperator = token.kind == .symbol(.times) ? .multiply : .divide
            left = node(.arithmetic(op, left, try parseUnary(), at: token.offset))
        }
        return left
    }

    private mutating func parseUnary() throws(ExpressionError) -> SyntaxTree.ID {
        if isSymbol(.minus) {
            let at = advance().offset
            return node(
                .negate(
                    try nested { (p: inout ExpressionParser) throws(ExpressionError) in try p.parseUnary() }, at: at))
        }
        return try parsePrimary()
    }

    private mutating func parseList() throws(ExpressionError) -> SyntaxList {
        guard isSymbol(.openBracket) else {
            throw ExpressionError(
                offset: peek.offset, message: "expected a list in brackets, such as [1, 2], found \(describe(peek))")
        }
        // In two steps: `tree[try parsePrimary()]` reads the tree before the
        // list is added to it.
        let list = try parsePrimary()
        guard case .list(let elements, _) = tree[list] else { return SyntaxList(start: 0, count: 0) }
        return elements
    }

    private mutating func parsePrimary() throws(ExpressionError) -> SyntaxTree.ID {
        let token = advance()
        switch token.kind {
        case .number(let value):
            if case .identifier = peek.kind, case let word = text(peek), let unit = DurationUnit(word: word),
                word.count > 1
            {
                _ = advance()
                return node(.duration(value, unit, at: token.offset))
            }
            return node(.number(value, at: token.offset))
        case .string:
            return node(.string(text(token), at: token.offset))
        case .date(let days):
            return node(.date(days, text: text(token), at: token.offset))
        case .symbol(.question):
            return node(.inadequateCode(at: token.offset))
        case .symbol(.openParenthesis):
            let inner = try parseExpression()
            try expectSymbol(.closeParenthesis, "to close '('")
            return inner
        case .symbol(.openBracket):
            let elements = try parseElements(until: .closeBracket) {
                (p: inout ExpressionParser) throws(ExpressionError) in try p.parseListElement()
            }
            try expectSymbol(.closeBracket, "to close the list")
            return node(.list(elements, at: token.offset))
        case .keyword(.true): return node(.boolean(true, at: token.offset))
        case .keyword(.false): return node(.boolean(false, at: token.offset))
        case .keyword(.none): return node(.none(at: token.offset))
        case .identifier:
            let name = text(token)
            if isSymbol(.openParenthesis) {
                _ = advance()
                let arguments = try parseElements(until: .closeParenthesis) {
                    (p: inout ExpressionParser) throws(ExpressionError) in try p.parseArgument()
                }
                try expectSymbol(.closeParenthesis, "to close the arguments of \(name)()")
                return node(.call(name, arguments, at: token.offset))
            }
            if isSymbol(.range) { return try parseRange(from: name, at: token.offset) }
            return node(.name(name, at: token.offset))
        default:
            throw ExpressionError(
                offset: token.offset, message: "unexpected \(describe(token)): expected a value, a name or '('")
        }
    }

    private mutating func parseRange(from first: String, at offset: Int) throws(ExpressionError) -> SyntaxTree.ID {
        _ = advance()
        let end = advance()
        guard case .identifier = end.kind else {
            throw ExpressionError(offset: end.offset, message: "expected an item id after '..', found \(describe(end))")
        }
        let last = text(end)
        let firstNode = node(.name(first, at: offset))
        return node(.range(firstNode, node(.name(last, at: end.offset)), at: offset))
    }

    private mutating func parseListElement() throws(ExpressionError) -> SyntaxTree.ID {
        try parseExpression()
    }

    private mutating func parseArgument() throws(ExpressionError) -> SyntaxTree.ID {
        if let op = comparisonOperator() {
            let at = advance().offset
            return node(.predicate(op, try parseAdditive(), at: at))
        }
        if isKeyword(.in) {
            let at = advance().offset
            return node(.memberPredicate(try parseList(), negated: false, at: at))
        }
        if isNotIn {
            let at = advance().offset
            _ = advance()
            return node(.memberPredicate(try parseList(), negated: true, at: at))
        }
        return try parseExpression()
    }
}

/// A number as people write it: whole numbers without a decimal point.
public func formatNumber(_ value: Double) -> String {
    if value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
    return String(value)
}
