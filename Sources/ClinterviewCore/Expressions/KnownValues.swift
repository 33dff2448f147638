extension Evaluator {
    /// The value of `expression` when it is known, computed without intervals or
    /// blockers and stopping at the first open or skipped item: most of what a
    /// replay or a finished session evaluates is known. Nil means "not decided
    /// here": the full evaluation then gives the answer, so every case returns
    /// nil where it is unsure, and a value only where the full evaluation gives
    /// that same known value (compared on random interviews by the tests).
    mutating func knownValue(_ expression: Expression) -> Value? {
        switch expression {
        case .constant(let value):
            return value
        case .none:
            return nil
        case .item(let index):
            return knownItem(index)
        case .rule(let index):
            return evaluateRule(index).value
        case .not(let inner):
            guard case .bool(let value)? = knownOperand(inner) else { return nil }
            return .bool(!value)
        case .and(let left, let right):
            return knownLogic(left, right, dominant: false)
        case .or(let left, let right):
            return knownLogic(left, right, dominant: true)
        case .compare(let op, let left, let right):
            guard let a = knownOperand(left), let b = knownOperand(right) else { return nil }
            return .bool(OutcomeMath.compareKnown(op, a, b))
        case .member(let subject, let candidates, let negated):
            guard let value = knownOperand(subject), let found = knownMembership(value, candidates) else { return nil }
            return .bool(found != negated)
        case .arithmetic(let op, let left, let right):
            guard let x = knownOperand(left)?.numeric, let y = knownOperand(right)?.numeric else { return nil }
            switch op {
            case .add: return .number(x + y)
            case .subtract: return .number(x - y)
            case .multiply: return .number(x * y)
            case .divide: return y == 0 ? nil : .number(x / y)
            }
        case .negate(let inner):
            guard case .number(let value)? = knownValue(inner) else { return nil }
            return .number(-value)
        case .count(let items, let predicate):
            var count = 0
            for index in items {
                guard let value = knownItem(index) else { return nil }
                let test = predicate.map { knownTest($0, value) } ?? value
                guard case .bool(let passes)? = test else { return nil }
                if passes { count += 1 }
            }
            return .number(Double(count))
        case .any(let items, let predicate), .all(let items, let predicate):
            let wanted: Bool
            if case .any = expression { wanted = true } else { wanted = false }
            for index in items {
                guard let value = knownItem(index), case .bool(let passes)? = knownTest(predicate, value) else { return nil }
                if passes == wanted { return .bool(wanted) }
            }
            return .bool(!wanted)
        case .sum(let items):
            var total = 0.0
            for index in items {
                guard let value = knownItem(index), let number = OutcomeMath.asNumber(value).numeric else { return nil }
                total += number
            }
            return .number(total)
        case .mean(let items):
            // As in the full evaluation: the mean of the items answered with numbers.
            var total = 0.0
            var count = 0
            for index in items {
                if let value = knownItem(index), case .number(let number) = OutcomeMath.asNumber(value) {
                    total += number
                    count += 1
                }
            }
            return count == 0 ? nil : .number(total / Double(count))
        case .answeredCount(let items):
            return .number(Double(items.reduce(0) { $0 + (isAnswered($1) ? 1 : 0) }))
        case .knownCount(let items):
            return .number(Double(items.reduce(0) { $0 + (knownItem($1) == nil ? 0 : 1) }))
        case .answered(let index):
            return .bool(isAnswered(index))
        case .inadequate(let index):
            return .bool(state(ofItem: index) == .inadequate)
        case .weight(let inner):
            return knownValue(inner).map(OutcomeMath.asNumber)
        case .has(let index, let code):
            guard case .codes(let codes)? = knownItem(index) else { return nil }
            return .bool(codes.contains(code))
        case .size(let index):
            guard case .codes(let codes)? = knownItem(index) else { return nil }
            return .number(Double(codes.count))
        case .ifThen(let condition, let then, let otherwise):
            guard case .bool(let test)? = knownOperand(condition) else { return nil }
            return knownOperand(test ? then : otherwise)
        case .minimum(let arguments), .maximum(let arguments):
            var numbers: [Double] = []
            for argument in arguments {
                guard let value = knownValue(argument), let number = OutcomeMath.asNumber(value).numeric else { return nil }
                numbers.append(number)
            }
            guard let low = numbers.min(), let high = numbers.max() else { return nil }
            if case .minimum = expression { return .number(low) }
            return .number(high)
        case .absolute(let inner):
            guard case .number(let value)? = knownValue(inner) else { return nil }
            return .number(Swift.abs(value))
        case .round(let inner):
            guard case .number(let value)? = knownValue(inner) else { return nil }
            return .number(value.rounded(.toNearestOrAwayFromZero))
        }
    }

    /// `knownValue` with the commonest leaves (constants, items, `answered`,
    /// an item compared with a constant) answered in place: the call per node
    /// was half the cost of evaluating.
    @inline(__always)
    private mutating func knownOperand(_ expression: Expression) -> Value? {
        switch expression {
        case .constant(let value): return value
        case .item(let index): return knownItem(index)
        case .answered(let index): return .bool(isAnswered(index))
        case .compare(let op, .item(let index), .constant(let constant)):
            guard let value = knownItem(index) else { return nil }
            return .bool(OutcomeMath.compareKnown(op, value, constant))
        case .and(let left, let right): return knownLogic(left, right, dominant: false)
        case .or(let left, let right): return knownLogic(left, right, dominant: true)
        default: return knownValue(expression)
        }
    }

    /// Mutating for the same reason as `isAnswered`.
    private mutating func knownItem(_ index: Int) -> Value? {
        if case .known(let value) = state(ofItem: index) { return value }
        return nil
    }

    /// Kleene's and (`dominant` false) and or (`dominant` true), on known values:
    /// the dominant value on the left decides without the right.
    private mutating func knownLogic(_ left: Expression, _ right: Expression, dominant: Bool) -> Value? {
        guard case .bool(let a)? = knownOperand(left) else { return nil }
        if a == dominant { return .bool(a) }
        guard case .bool(let b)? = knownOperand(right) else { return nil }
        return .bool(b)
    }

    /// Whether `value` equals one of `candidates`; nil when a candidate before
    /// the first match is not known.
    private mutating func knownMembership(_ value: Value, _ candidates: [Expression]) -> Bool? {
        for candidate in candidates {
            guard let other = knownValue(candidate) else { return nil }
            if OutcomeMath.valuesEqual(value, other) { return true }
        }
        return false
    }

    private mutating func knownTest(_ predicate: Predicate, _ value: Value) -> Value? {
        switch predicate {
        case .compare(let op, let right):
            guard let other = knownValue(right) else { return nil }
            return .bool(OutcomeMath.compareKnown(op, value, other))
        case .member(let candidates, let negated):
            guard let found = knownMembership(value, candidates) else { return nil }
            return .bool(found != negated)
        }
    }
}

extension OutcomeMath {
    /// Coded values as their weights, yes/no as 1/0, durations as days, for
    /// sums and arithmetic (as the full evaluation's `numeric` does).
    static func asNumber(_ value: Value) -> Value {
        switch value {
        case .code(_, let weight?): .number(weight)
        case .bool(let b): .number(b ? 1 : 0)
        case .duration(let d): .number(d)
        default: value
        }
    }
}
