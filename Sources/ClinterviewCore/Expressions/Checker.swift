/// Resolves names in a parsed expression, checks its types and codes, and
/// produces the `Expression` the evaluator runs.
struct ExpressionChecker {
    let items: [Item]
    let itemIndex: [String: Int]
    let ruleIndex: [String: Int]
    /// Types of rules already checked; nil while unknown (not yet checked or in a cycle).
    let ruleTypes: [ExpressionType?]
    let ruleKinds: [Rule.Kind]
    /// Items whose kind could not be read (an unknown kind or scale, already
    /// reported): expressions that use them are left unchecked rather than
    /// reported a second time for a mistake that is not theirs.
    let itemsWithoutKind: Set<Int>
    /// Every name that may be referred to, for did-you-mean suggestions: built only
    /// when a name is wrong, since building it for every expression would make
    /// loading quadratic in the size of the interview.
    var allNames: [String] { Array(itemIndex.keys) + Array(ruleIndex.keys) }

    /// The items and rules named, in the order met, repeats included; only a
    /// rule's references are ever read as sets.
    private var itemReferences: [Int] = []
    private var ruleReferences: [Int] = []
    var referencedItems: Set<Int> { Set(itemReferences) }
    var referencedRules: Set<Int> { Set(ruleReferences) }
    /// The expression being checked.
    private var tree = SyntaxTree()
    /// The last name looked up among the items, and its item (-1: none): an
    /// item is usually named twice in a row (`answered(A1) and A1 == 3`).
    private var lastItemName = ""
    private var lastItem = -1

    private mutating func item(named name: String) -> Int? {
        if name != lastItemName {
            lastItemName = name
            lastItem = itemIndex[name] ?? -1
        }
        return lastItem >= 0 ? lastItem : nil
    }

    init(
        items: [Item], itemIndex: [String: Int], ruleIndex: [String: Int], ruleTypes: [ExpressionType?],
        ruleKinds: [Rule.Kind],
        itemsWithoutKind: Set<Int> = []
    ) {
        self.items = items
        self.itemsWithoutKind = itemsWithoutKind
        self.itemIndex = itemIndex
        self.ruleIndex = ruleIndex
        self.ruleTypes = ruleTypes
        self.ruleKinds = ruleKinds
    }

    static let functions = Function.allCases.map(\.rawValue)

    mutating func check(
        _ tree: SyntaxTree, expecting expected: ExpressionType? = nil
    ) throws(ExpressionError) -> (Expression, ExpressionType) {
        // The references are this expression's own: one checker serves many.
        itemReferences.removeAll(keepingCapacity: true)
        ruleReferences.removeAll(keepingCapacity: true)
        self.tree = tree
        defer { self.tree = SyntaxTree() }
        return try check(tree.root, expecting: expected)
    }

    private mutating func check(
        _ syntax: SyntaxTree.ID, expecting expected: ExpressionType? = nil
    ) throws(ExpressionError) -> (Expression, ExpressionType) {
        let (expression, type) = try infer(syntax)
        if let expected, expected == .bool, type != .bool, type != .invalid {
            throw ExpressionError(
                offset: tree.offset(of: syntax), message: "expected a condition (yes/no) but this is \(type)",
                code: .typeMismatch)
        }
        if let expected, expected == .number, !type.isNumeric, type != .invalid {
            throw ExpressionError(
                offset: tree.offset(of: syntax), message: "expected a number but this is \(type)", code: .typeMismatch
            )
        }
        if expected == .number, case .coded = type { return (.weight(expression), .number) }
        return (expression, type)
    }

    private func mismatch(_ syntax: SyntaxTree.ID, _ message: String) -> ExpressionError {
        ExpressionError(offset: tree.offset(of: syntax), message: message, code: .typeMismatch)
    }

    private mutating func infer(_ syntax: SyntaxTree.ID) throws(ExpressionError) -> (Expression, ExpressionType) {
        switch tree[syntax] {
        case .number(let value, _):
            return (.constant(.number(value)), .number)
        case .string(let value, _):
            return (.constant(.text(value)), .text)
        case .boolean(let value, _):
            return (.constant(.bool(value)), .bool)
        case .none:
            return (.none, .invalid)
        case .duration(let amount, let unit, _):
            return (.constant(.duration(amount * unit.days)), .duration)
        case .date(let days, _, _):
            return (.constant(.date(days)), .date)
        case .inadequateCode(let at):
            throw ExpressionError(
                offset: at,
                message: "'?' is not a value that can be compared: write inadequate(ITEM) to test for a '?' rating",
                code: .typeMismatch)
        case .name(let name, let at):
            return try resolveName(name, at: at)
        case .range(_, _, let at):
            throw ExpressionError(
                offset: at,
                message:
                    "an item range can only be used inside count(), sum(), mean(), any(), all(), answered_count() or known_count()",
                code: .typeMismatch)
        case .list(_, let at):
            throw ExpressionError(
                offset: at, message: "a list can only follow 'in' or be an argument of count(), sum() and the like",
                code: .typeMismatch)
        case .predicate(_, _, let at), .memberPredicate(_, _, let at):
            throw ExpressionError(
                offset: at,
                message: "a comparison with no left side can only be the second argument of count(), any() or all()",
                code: .expressionSyntax)
        case .not(let inner, _):
            let (expression, _) = try check(inner, expecting: .bool)
            return (.not(expression), .bool)
        case .negate(let inner, _):
            let (expression, _) = try check(inner, expecting: .number)
            return (.negate(expression), .number)
        case .logical(let op, let left, let right, _):
            let (l, _) = try check(left, expecting: .bool)
            let (r, _) = try check(right, expecting: .bool)
            return (op == .and ? .and(l, r) : .or(l, r), .bool)
        case .arithmetic(let op, let left, let right, _):
            let (l, lt) = try infer(left)
            let (r, rt) = try infer(right)
            if (op == .add || op == .subtract), lt == .duration, rt == .duration {
                return (.arithmetic(op, l, r), .duration)
            }
            guard lt.isNumeric else { throw mismatch(left, "arithmetic needs numbers, but this is \(lt)") }
            guard rt.isNumeric else { throw mismatch(right, "arithmetic needs numbers, but this is \(rt)") }
            return (.arithmetic(op, weighted(l, lt), weighted(r, rt)), .number)
        case .comparison(let op, let left, let right, let at):
            let (l, lt) = try infer(left)
            let (r, rt) = try comparand(right, against: lt, subject: subjectName(left), op: op)
            let (lhs, rhs) = try unify(op, l, lt, r, rt, at: at)
            if lt == .duration, rt == .duration {
                if case .duration(let amount, let unit, _) = tree[right] {
                    return (Self.calendarComparison(op, lhs, amount, unit), .bool)
                }
                if case .duration(let amount, let unit, _) = tree[left] {
                    return (Self.calendarComparison(op.mirrored, rhs, amount, unit), .bool)
                }
            }
            return (.compare(op, lhs, rhs), .bool)
        case .membership(let subject, let candidates, let negated, _):
            let (s, st) = try infer(subject)
            var resolved: [Expression] = []
            for candidate in tree[candidates] {
                let (c, ct) = try comparand(candidate, against: st, subject: subjectName(subject), op: .equal)
                let (_, rhs) = try unify(.equal, s, st, c, ct, at: tree.offset(of: candidate))
                resolved.append(rhs)
            }
            return (.member(s, resolved, negated: negated), .bool)
        case .call(let name, let arguments, let at):
            return try call(name, arguments, at: at)
        }
    }

    /// `subject op AMOUNT UNIT` against every length the calendar gives the
    /// literal: `>=` and `<` compare with its shortest, `>` and `<=` with its
    /// longest, `==` holds anywhere between them, so each operator stays the
    /// negation of its opposite (docs/expressions.md, "Durations").
    static func calendarComparison(
        _ op: ComparisonOperator, _ subject: Expression, _ amount: Double, _ unit: DurationUnit
    ) -> Expression {
        let (shortest, longest) = unit.calendarDays(amount)
        switch op {
        case .greaterOrEqual, .less: return .compare(op, subject, .constant(.duration(shortest)))
        case .greater, .lessOrEqual: return .compare(op, subject, .constant(.duration(longest)))
        case .equal:
            return .and(
                .compare(.greaterOrEqual, subject, .constant(.duration(shortest))),
                .compare(.lessOrEqual, subject, .constant(.duration(longest))))
        case .notEqual:
            return .or(
                .compare(.less, subject, .constant(.duration(shortest))),
                .compare(.greater, subject, .constant(.duration(longest))))
        }
    }

    private func weighted(_ expression: Expression, _ type: ExpressionType) -> Expression {
        if case .coded = type { return .weight(expression) }
        return expression
    }

    private mutating func resolveName(_ name: String, at: Int) throws(ExpressionError) -> (Expression, ExpressionType) {
        if let index = item(named: name) {
            if itemsWithoutKind.contains(index) {
                itemReferences.append(index)
                return (.none, .invalid)
            }
            // The item's fields are read in place: a copy retained each of them.
            if case .display = items[index].kind {
                throw ExpressionError(
                    offset: at, message: "'\(name)' is a display item and has no answer", code: .typeMismatch)
            }
            itemReferences.append(index)
            return (.item(index), itemType(index))
        }
        if let index = ruleIndex[name] {
            ruleReferences.append(index)
            return (.rule(index), ruleTypes[index] ?? .invalid)
        }
        if Function(name: name) != nil {
            throw ExpressionError(
                offset: at, message: "\(name) is a function: write \(name)(...)", code: .expressionSyntax)
        }
        throw ExpressionError(
            offset: at, message: "unknown name '\(name)'\(Suggestion.didYouMean(name, in: allNames))",
            code: .unknownReference)
    }

    private func itemType(_ index: Int) -> ExpressionType {
        if itemsWithoutKind.contains(index) { return .invalid }
        switch items[index].kind.valueType {
        case .coded(_, let options): return .coded(owner: .item(items[index].id), options: options)
        case .codeSet(_, let options): return .codeSet(owner: .item(items[index].id), options: options)
        case let other: return other
        }
    }

    /// Checks the right side of a comparison; a literal compared with a coded value
    /// must be one of its codes.
    private mutating func comparand(
        _ syntax: SyntaxTree.ID, against subjectType: ExpressionType, subject: String, op: ComparisonOperator
    ) throws(ExpressionError) -> (Expression, ExpressionType) {
        if case .coded(let owner, let options) = subjectType {
            let literal: String?
            switch tree[syntax] {
            case .number(let value, _): literal = formatNumber(value)
            case .string(let value, _): literal = value
            case .inadequateCode(let at):
                throw ExpressionError(
                    offset: at,
                    message:
                        "'?' means inadequate information and never compares equal: write inadequate(\(subject)) instead",
                    code: .typeMismatch)
            default: literal = nil
            }
            if let literal {
                guard let option = options.first(where: { $0.code == literal }) else {
                    let codes = options.map(\.code).joined(separator: ", ")
                    throw ExpressionError(
                        offset: tree.offset(of: syntax),
                        message: "\(owner) has no code \(literal) (its codes: \(codes))", code: .unknownCode)
                }
                if option.isUnknown {
                    throw ExpressionError(
                        offset: tree.offset(of: syntax),
                        message:
                            "code \(literal) of \(owner) means inadequate information and never compares equal: write inadequate(\(subject)) instead",
                        code: .typeMismatch)
                }
                if op.isOrdering, option.weight == nil {
                    throw ExpressionError(
                        offset: tree.offset(of: syntax),
                        message: "code \(literal) of \(owner) has no weight, so it cannot be ordered",
                        code: .typeMismatch)
                }
                return (.constant(.code(option.code, weight: option.weight)), subjectType)
            }
        }
        return try infer(syntax)
    }

    private func subjectName(_ syntax: SyntaxTree.ID) -> String {
        if case .name(let name, _) = tree[syntax] { return name }
        return "ITEM"
    }

    /// Whether two option lists have a code in common. Most comparisons are of
    /// an item with one of its own codes, whose list is the item's very array.
    static func shareACode(_ a: [ChoiceOption], _ b: [ChoiceOption]) -> Bool {
        let sameArray = a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress && x.count == y.count }
        }
        if sameArray { return !a.isEmpty }
        return !Set(a.map(\.code)).isDisjoint(with: b.map(\.code))
    }

    private func unify(
        _ op: ComparisonOperator, _ l: Expression, _ lt: ExpressionType, _ r: Expression, _ rt: ExpressionType, at: Int
    ) throws(ExpressionError) -> (Expression, Expression) {
        if lt == .invalid || rt == .invalid { return (l, r) }
        switch (lt, rt) {
        case (.coded(_, let a), .coded(_, let b)):
            if op.isOrdering {
                guard lt.isNumeric, rt.isNumeric else {
                    throw ExpressionError(
                        offset: at, message: "'\(op.rawValue)' needs options with weights", code: .typeMismatch)
                }
                return (l, r)
            }
            guard Self.shareACode(a, b) else {
                throw ExpressionError(
                    offset: at, message: "these two values have no code in common, so they can never be equal",
                    code: .typeMismatch)
            }
            return (l, r)
        case (.coded, .number), (.number, .coded):
            guard lt.isNumeric, rt.isNumeric else {
                throw ExpressionError(
                    offset: at, message: "a code without weights cannot be compared with a number",
                    code: .typeMismatch)
            }
            return (weighted(l, lt), weighted(r, rt))
        case (.bool, .bool), (.number, .number), (.text, .text), (.duration, .duration), (.date, .date):
            if op.isOrdering, lt == .bool || lt == .text {
                throw ExpressionError(offset: at, message: "'\(op.rawValue)' cannot order \(lt)", code: .typeMismatch)
            }
            return (l, r)
        case (.codeSet, _), (_, .codeSet):
            throw ExpressionError(
                offset: at,
                message: "a multiple-choice answer cannot be compared directly: use has(ITEM, CODE) or size(ITEM)",
                code: .typeMismatch)
        case (.duration, .number):
            throw ExpressionError(
                offset: at, message: "compare a duration with a duration, e.g. '>= 2 weeks'", code: .typeMismatch)
        default:
            throw ExpressionError(offset: at, message: "cannot compare \(lt) with \(rt)", code: .typeMismatch)
        }
    }

    // MARK: Functions

    private mutating func call(
        _ name: String, _ argumentList: SyntaxList, at: Int
    ) throws(ExpressionError) -> (Expression, ExpressionType) {
        let arguments = tree[argumentList]
        func arity(_ range: ClosedRange<Int>, _ usage: String) throws(ExpressionError) {
            guard range.contains(arguments.count) else {
                throw ExpressionError(offset: at, message: "\(name)() takes \(usage)", code: .typeMismatch)
            }
        }
        guard let function = Function(name: name) else {
            throw ExpressionError(
                offset: at, message: "unknown function '\(name)'\(Suggestion.didYouMean(name, in: Self.functions))",
                code: .unknownReference)
        }
        switch function {
        case .count:
            try arity(1...2, "an item list and optionally a test, e.g. count(A1..A9, == 3)")
            let list = try itemList(arguments[0])
            if arguments.count == 1 {
                for index in list where itemType(index) != .bool {
                    throw mismatch(
                        arguments[0],
                        "count() without a test counts yes answers, but '\(items[index].id)' is not a yes/no item: add a test such as count(\(items[list[0]].id)..., == 3)"
                    )
                }
                return (.count(list, nil), .number)
            }
            return (.count(list, try predicate(arguments[1], over: list)), .number)
        case .any, .all:
            try arity(2...2, "an item list and a test, e.g. \(name)(A1..A9, == 3)")
            let list = try itemList(arguments[0])
            let test = try predicate(arguments[1], over: list)
            return (function == .any ? .any(list, test) : .all(list, test), .bool)
        case .sum, .mean:
            try arity(1...1, "an item list, e.g. \(name)(phq9_1..phq9_9)")
            let list = try itemList(arguments[0])
            for index in list {
                let type = itemType(index)
                guard type.isNumeric || type == .bool else {
                    throw mismatch(arguments[0], "\(name)() needs numbers, but '\(items[index].id)' is \(type)")
                }
            }
            return (function == .sum ? .sum(list) : .mean(list), .number)
        case .answeredCount, .knownCount:
            try arity(1...1, "an item list")
            let list = try itemList(arguments[0])
            return (function == .answeredCount ? .answeredCount(list) : .knownCount(list), .number)
        case .answered, .inadequate:
            try arity(1...1, "one item id")
            let index = try itemArgument(arguments[0], name)
            return (function == .answered ? .answered(index) : .inadequate(index), .bool)
        case .weight:
            try arity(1...1, "one coded value")
            let (expression, type) = try infer(arguments[0])
            guard case .coded = type, type.isNumeric else {
                throw mismatch(
                    arguments[0],
                    "weight() needs a choice or rating whose options all have weights, but this is \(type)")
            }
            return (.weight(expression), .number)
        case .has:
            try arity(2...2, "a multiple-choice item and a code, e.g. has(Q5, \"bus\")")
            let index = try itemArgument(arguments[0], name)
            guard case .codeSet(_, let options) = itemType(index) else {
                throw mismatch(
                    arguments[0], "has() needs a multiple-choice item, but '\(items[index].id)' is \(itemType(index))")
            }
            let code: String
            switch tree[arguments[1]] {
            case .string(let value, _): code = value
            case .number(let value, _): code = formatNumber(value)
            default: throw mismatch(arguments[1], "has() needs a code written as a literal")
            }
            guard options.contains(where: { $0.code == code }) else {
                throw ExpressionError(
                    offset: tree.offset(of: arguments[1]),
                    message:
                        "item '\(items[index].id)' has no code \(code) (its codes: \(options.map(\.code).joined(separator: ", ")))",
                    code: .unknownCode)
            }
            return (.has(index, code), .bool)
        case .size:
            try arity(1...1, "a multiple-choice item")
            let index = try itemArgument(arguments[0], name)
            guard case .codeSet = itemType(index) else {
                throw mismatch(
                    arguments[0], "size() needs a multiple-choice item, but '\(items[index].id)' is \(itemType(index))")
            }
            return (.size(index), .number)
        case .if:
            try arity(3...3, "a condition and two values, e.g. if(A1 == 3, 1, 0)")
            let (condition, _) = try check(arguments[0], expecting: .bool)
            var (then, thenType) = try infer(arguments[1])
            var (otherwise, otherwiseType) = try infer(arguments[2])
            if thenType != otherwiseType {
                guard thenType.isNumeric, otherwiseType.isNumeric else {
                    throw mismatch(
                        arguments[2], "both branches of if() must have the same type: \(thenType) and \(otherwiseType)")
                }
                then = weighted(then, thenType)
                otherwise = weighted(otherwise, otherwiseType)
                thenType = .number
                otherwiseType = .number
            }
            return (.ifThen(condition, then, otherwise), thenType)
        case .min, .max:
            guard !arguments.isEmpty else {
                throw ExpressionError(offset: at, message: "\(name)() takes one or more numbers", code: .typeMismatch)
            }
            var values: [Expression] = []
            for argument in arguments { values.append(try check(argument, expecting: .number).0) }
            return (function == .min ? .minimum(values) : .maximum(values), .number)
        case .abs, .round:
            try arity(1...1, "one number")
            let (value, _) = try check(arguments[0], expecting: .number)
            return (function == .abs ? .absolute(value) : .round(value), .number)
        }
    }

    private mutating func itemArgument(_ syntax: SyntaxTree.ID, _ function: String) throws(ExpressionError) -> Int {
        guard case .name(let name, let at) = tree[syntax] else {
            throw mismatch(syntax, "\(function)() needs an item id")
        }
        guard let index = item(named: name) else {
            if ruleIndex[name] != nil {
                throw mismatch(
                    syntax, "\(function)() needs an item, but '\(name)' is a \(ruleKinds[ruleIndex[name]!].noun)")
            }
            throw ExpressionError(
                offset: at, message: "unknown item '\(name)'\(Suggestion.didYouMean(name, in: itemIndex.keys))",
                code: .unknownReference)
        }
        itemReferences.append(index)
        return index
    }

    /// An item range `A1..A9`, a single item, or a bracketed list of those.
    private mutating func itemList(_ syntax: SyntaxTree.ID) throws(ExpressionError) -> [Int] {
        switch tree[syntax] {
        case .range(let firstNode, let lastNode, let at):
            let (first, last, endAt) = (tree.name(firstNode), tree.name(lastNode), tree.offset(of: lastNode))
            guard let start = item(named: first) else {
                throw ExpressionError(
                    offset: at, message: "unknown item '\(first)'\(Suggestion.didYouMean(first, in: itemIndex.keys))",
                    code: .unknownReference)
            }
            guard let end = item(named: last) else {
                throw ExpressionError(
                    offset: endAt, message: "unknown item '\(last)'\(Suggestion.didYouMean(last, in: itemIndex.keys))",
                    code: .unknownReference)
            }
            guard start <= end else {
                throw ExpressionError(
                    offset: at,
                    message: "the range \(first)..\(last) runs backwards: '\(last)' comes before '\(first)'",
                    code: .typeMismatch)
            }
            let indices = (start...end).filter { items[$0].kind.isAnswerable || itemsWithoutKind.contains($0) }
            itemReferences += indices
            return indices
        case .name:
            return [try itemArgument(syntax, "a list")]
        case .list(let elements, _):
            var indices: [Int] = []
            for element in tree[elements] { indices.append(contentsOf: try itemList(element)) }
            guard !indices.isEmpty else { throw mismatch(syntax, "the item list is empty") }
            return indices
        default:
            throw mismatch(syntax, "expected an item list such as A1..A9 or [A1, A3, A5]")
        }
    }

    private mutating func predicate(_ syntax: SyntaxTree.ID, over list: [Int]) throws(ExpressionError) -> Predicate {
        switch tree[syntax] {
        case .predicate(let op, let right, _):
            var resolved: Expression?
            for index in list {
                let (r, rt) = try comparand(right, against: itemType(index), subject: items[index].id, op: op)
                let (_, rhs) = try unify(op, .item(index), itemType(index), r, rt, at: tree.offset(of: right))
                if let resolved, !sameConstant(resolved, rhs) {
                    throw mismatch(
                        right, "the items in this list give the code different weights; count them in separate lists")
                }
                resolved = rhs
            }
            guard let resolved else { throw mismatch(syntax, "the item list is empty") }
            return .compare(op, resolved)
        case .memberPredicate(let candidates, let negated, _):
            var resolved: [Expression] = []
            for candidate in tree[candidates] {
                var first: Expression?
                for index in list {
                    let (c, ct) = try comparand(
                        candidate, against: itemType(index), subject: items[index].id, op: .equal)
                    let (_, rhs) = try unify(
                        .equal, .item(index), itemType(index), c, ct, at: tree.offset(of: candidate))
                    if first == nil { first = rhs }
                }
                guard let first else { throw mismatch(syntax, "the item list is empty") }
                resolved.append(first)
            }
            return .member(resolved, negated: negated)
        default:
            throw mismatch(syntax, "expected a test such as '== 3', '>= 2' or 'in [2, 3]'")
        }
    }

    private func sameConstant(_ a: Expression, _ b: Expression) -> Bool {
        if case .constant(let x) = a, case .constant(let y) = b { return x == y }
        return true
    }
}
