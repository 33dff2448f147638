/// The parsed, not yet resolved form of an expression. Offsets are in characters
/// from the start of the expression text.
indirect enum Syntax: Sendable {
    case number(Double, at: Int)
    case string(String, at: Int)
    case boolean(Bool, at: Int)
    /// `none`: no value at all (unknown), e.g. the empty branch of an `if`.
    case none(at: Int)
    case inadequateCode(at: Int)
    case duration(Double, DurationUnit, at: Int)
    case date(Int, text: String, at: Int)
    case name(String, at: Int)
    case range(String, String, at: Int, endAt: Int)
    case list([Syntax], at: Int)
    case not(Syntax, at: Int)
    case negate(Syntax, at: Int)
    case logical(LogicalOperator, Syntax, Syntax, at: Int)
    case comparison(ComparisonOperator, Syntax, Syntax, at: Int)
    case membership(Syntax, [Syntax], negated: Bool, at: Int)
    case arithmetic(ArithmeticOperator, Syntax, Syntax, at: Int)
    case call(String, [Syntax], at: Int)
    /// A comparison with its left side missing, as in `count(A1..A9, >= 2)`.
    case predicate(ComparisonOperator, Syntax, at: Int)
    case memberPredicate([Syntax], negated: Bool, at: Int)

    var offset: Int {
        switch self {
        case .number(_, let at), .string(_, let at), .boolean(_, let at), .inadequateCode(let at), .none(let at),
             .duration(_, _, let at), .date(_, _, let at), .name(_, let at), .range(_, _, let at, _),
             .list(_, let at), .not(_, let at), .negate(_, let at), .logical(_, _, _, let at),
             .comparison(_, _, _, let at), .membership(_, _, _, let at), .arithmetic(_, _, _, let at),
             .call(_, _, let at), .predicate(_, _, let at), .memberPredicate(_, _, let at):
            at
        }
    }
}

public enum LogicalOperator: String, Sendable {
    case and, or
}

public enum ComparisonOperator: String, Sendable, CaseIterable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

    var isOrdering: Bool { self != .equal && self != .notEqual }
}

public enum ArithmeticOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
}

public struct ExpressionError: Error, Sendable, Equatable {
    /// Character offset into the expression text.
    public var offset: Int
    public var message: String
    /// The stable diagnostic code: `expression-syntax`, `unknown-reference`,
    /// `unknown-code`, `type-mismatch` or `forward-reference`.
    public var code: String

    public init(offset: Int, message: String, code: String = "expression-syntax") {
        self.offset = offset
        self.message = message
        self.code = code
    }
}
