/// A resolved, type-checked expression. Items and rules are referred to by index.
public indirect enum Expression: Sendable {
    case constant(Value)
    /// No value: always unknown, and nothing can decide it.
    case none
    case item(Int)
    case rule(Int)
    case not(Expression)
    case and(Expression, Expression)
    case or(Expression, Expression)
    case compare(ComparisonOperator, Expression, Expression)
    case member(Expression, [Expression], negated: Bool)
    case arithmetic(ArithmeticOperator, Expression, Expression)
    case negate(Expression)
    case count([Int], Predicate?)
    case any([Int], Predicate)
    case all([Int], Predicate)
    case sum([Int])
    case mean([Int])
    case answeredCount([Int])
    case knownCount([Int])
    case answered(Int)
    case inadequate(Int)
    case weight(Expression)
    case has(Int, String)
    case size(Int)
    case ifThen(Expression, Expression, Expression)
    case minimum([Expression])
    case maximum([Expression])
    case absolute(Expression)
    case round(Expression)
}

/// The right-hand side of a comparison applied to each item of a list.
public enum Predicate: Sendable {
    case compare(ComparisonOperator, Expression)
    case member([Expression], negated: Bool)
}
