/// Conditions and rules compiled, where they can be, to flat programs over
/// numbers, for the evaluator's known-value path (`Evaluator.compiledValue`).
///
/// A program computes an expression's value when every item it needs is
/// answered, and gives up ("not decided here") on the first open or skipped
/// item, as `Evaluator.knownValue` does; the evaluator then falls back on the
/// tree walk. Walking the `Expression` tree cost a retain and a release per
/// node and a `Value` copy per item; a program reads one number per item.
///
/// Only what can be computed exactly on numbers is compiled: numbers, yes/no
/// (as 1 and 0), and coded items whose options all have weights. Codes are
/// compared by weight, which is exact only where the item's weights are
/// distinct and the code compared with is the item's own: the compiler checks
/// both and leaves anything else to the tree walk.
public struct CompiledPrograms: Sendable {
    enum OpCode: UInt8, Sendable {
        /// First op of a program: `flag` 1 when its result is yes/no.
        /// (Every program fits `ProgramStack`; the compiler checks it.)
        case begin
        /// Pushes `x`.
        case constant
        /// Pushes the number of item `a`, whose kind has bit `flag` (`ItemFact`).
        case item
        case answered, inadequate
        /// Pushes whether item `a` compares with `x` under `comparison`.
        case compareItem
        /// `answered(ITEM) and ITEM <op> x`, the commonest condition and term of
        /// a count: 0 when item `a` is not answered, else as `compareItem`.
        case answeredAndCompareItem
        /// Pops two and pushes whether they compare under `comparison`.
        case compare
        case not
        /// `and`: ends the `and` (jumps to `a`) when the top is false, else pops it.
        case jumpIfFalse
        /// `or`: ends the `or` (jumps to `a`) when the top is true, else pops it.
        case jumpIfTrue
        /// `if`: pops the test and jumps to `a` (the otherwise branch) when false.
        case branch
        case jump
        case add, subtract, multiply, divide, negate, absolute, round
        /// List tests (`a` indexes `lists`): count, any and all.
        case count, any, all
        /// Counts the list's yes/no items answered yes.
        case countTrue
        /// A sum of `if(answered(ITEM) and ITEM <op> x, 1, 0)`: counts the
        /// tests of `answeredTests[a]` that pass, as the sum's additions would.
        case countAnsweredTests
        case sum, mean, knownCount, answeredCount
        /// Pops a value and pushes whether it is one of list `a`'s candidates.
        case member
        /// Pushes rule `a`'s value, which is yes/no when `flag` is 1.
        case rule
        case end
    }

    struct Op: Sendable {
        var code: OpCode
        var comparison: ComparisonOperator = .equal
        var flag: UInt8 = 0
        var a: Int32 = 0
        var x: Double = 0
    }

    /// The items of a list function and the test applied to each: a
    /// comparison with `constant`, or (when `candidates` is not nil) membership.
    struct ListTest: Sendable {
        var items: [Int]
        var comparison: ComparisonOperator = .equal
        var constant: Double = 0
        var candidates: [Double]? = nil
        var negated = false
    }

    /// One term `if(answered(item) and item <comparison> constant, 1, 0)` of a sum.
    struct AnsweredTest: Sendable {
        var item: Int32
        var comparison: ComparisonOperator
        /// The `ItemFact` kind the item's value must have.
        var flag: UInt8
        var constant: Double
    }

    var ops: [Op] = []
    var lists: [ListTest] = []
    var answeredTests: [[AnsweredTest]] = []
    /// Where each program starts in `ops`; -1 where nothing is compiled.
    var rules: [Int32] = []
    var modules: [Int32] = []
    var sections: [Int32] = []
    /// One program per group of `EvaluationPlan.itemConditionGroups`.
    var conditionGroups: [Int32] = []

    public init() {}
}

/// What the evaluator knows of one item's recorded state, as a program reads it.
struct ItemFact {
    static let answered: UInt8 = 1, known: UInt8 = 2, inadequate: UInt8 = 4
    /// Kinds of known values, as `CompiledPrograms.Op.flag` of an `item` op asks for them.
    static let number: UInt8 = 8, coded: UInt8 = 16, yesNo: UInt8 = 32
    static let fast = number | coded | yesNo

    var number: Double
    var flags: UInt8

    init(_ state: ItemState) {
        switch state {
        case .open, .disabled:
            (number, flags) = (0, 0)
        case .inadequate:
            (number, flags) = (0, Self.answered | Self.inadequate)
        case .known(let value):
            switch value {
            case .number(let x): (number, flags) = (x, Self.answered | Self.known | Self.number)
            case .code(_, let weight?): (number, flags) = (weight, Self.answered | Self.known | Self.coded)
            case .bool(let b): (number, flags) = (b ? 1 : 0, Self.answered | Self.known | Self.yesNo)
            default: (number, flags) = (0, Self.answered | Self.known)
            }
        }
    }
}

/// Builds `CompiledPrograms` from a loaded interview.
struct ProgramCompiler {
    /// Programs needing more stack than `ProgramStack` has are left to the tree walk.
    static let maximumStack = 16

    private enum Kind: Equatable {
        case number, yesNo
        /// A coded item's value: compared and counted by weight.
        case coded(item: Int)
        /// A code literal, pushed as its weight.
        case codeConstant(code: String, weight: Double)

        var isNumeric: Bool {
            switch self {
            case .number, .coded, .codeConstant: true
            case .yesNo: false
            }
        }
    }

    private struct Unsupported: Error {}

    private let items: [Item]
    /// Each item's kind as a program sees it, nil where no program can read
    /// it; worked out once per item: looked up per reference, each lookup
    /// copied the item's options.
    private let itemKinds: [Kind?]
    private var programs = CompiledPrograms()
    private var ruleKinds: [Kind?]
    private var depth = 0
    private var maximumDepth = 0

    static func compile(_ interview: Interview, plan: EvaluationPlan) -> CompiledPrograms {
        var compiler = ProgramCompiler(items: interview.items, ruleCount: interview.rules.count)
        compiler.programs.rules = [Int32](repeating: -1, count: interview.rules.count)
        // Dependencies first, so a rule's kind is known where it is used.
        for index in interview.ruleOrder where index < plan.ruleExpressions.count {
            if let (start, kind) = compiler.program(plan.ruleExpressions[index]) {
                compiler.programs.rules[index] = start
                compiler.ruleKinds[index] = kind
            }
        }
        compiler.programs.modules = plan.moduleConditions.map { compiler.condition($0) }
        compiler.programs.sections = plan.sectionConditions.map { compiler.condition($0) }
        compiler.programs.conditionGroups = [Int32](repeating: -1, count: plan.conditionGroupCount)
        for (index, group) in plan.itemConditionGroups.enumerated() where group >= 0 && compiler.programs.conditionGroups[group] < 0 {
            compiler.programs.conditionGroups[group] = compiler.condition(plan.itemConditions[index])
        }
        return compiler.programs
    }

    private init(items: [Item], ruleCount: Int) {
        self.items = items
        itemKinds = items.indices.map { Self.kind(of: items[$0].kind, item: $0) }
        ruleKinds = [Kind?](repeating: nil, count: ruleCount)
    }

    private mutating func condition(_ expression: Expression?) -> Int32 {
        guard let expression, let (start, kind) = program(expression), kind == .yesNo else { return -1 }
        return start
    }

    /// Compiles one program; nil (and nothing kept) where any part is not supported.
    private mutating func program(_ expression: Expression) -> (Int32, Kind)? {
        let start = programs.ops.count, listCount = programs.lists.count, testCount = programs.answeredTests.count
        depth = 0
        maximumDepth = 0
        emit(.begin)
        guard let kind = try? compile(expression), kind == .number || kind == .yesNo, maximumDepth <= Self.maximumStack else {
            programs.ops.removeSubrange(start...)
            programs.lists.removeSubrange(listCount...)
            programs.answeredTests.removeSubrange(testCount...)
            return nil
        }
        emit(.end)
        programs.ops[start].flag = kind == .yesNo ? 1 : 0
        return (Int32(start), kind)
    }

    @discardableResult
    private mutating func emit(_ code: CompiledPrograms.OpCode, _ comparison: ComparisonOperator = .equal,
                               flag: UInt8 = 0, a: Int = 0, x: Double = 0, stack change: Int = 0) -> Int {
        programs.ops.append(.init(code: code, comparison: comparison, flag: flag, a: Int32(a), x: x))
        depth += change
        maximumDepth = max(maximumDepth, depth)
        return programs.ops.count - 1
    }

    private mutating func list(_ test: CompiledPrograms.ListTest) -> Int {
        programs.lists.append(test)
        return programs.lists.count - 1
    }

    private func itemKind(_ index: Int) throws -> Kind {
        guard let kind = itemKinds[index] else { throw Unsupported() }
        return kind
    }

    private static func kind(of itemKind: ItemKind, item index: Int) -> Kind? {
        switch itemKind {
        case .integer, .decimal: .number
        case .yesNo: .yesNo
        case .rating(_, let options), .choice(let options):
            options.allSatisfy({ $0.isUnknown || $0.weight != nil }) ? .coded(item: index) : nil
        default: nil
        }
    }

    private func factFlag(_ kind: Kind) -> UInt8 {
        switch kind {
        case .number: ItemFact.number
        case .yesNo: ItemFact.yesNo
        case .coded, .codeConstant: ItemFact.coded
        }
    }

    private func require(_ condition: Bool) throws {
        if !condition { throw Unsupported() }
    }

    /// Whether `==` and `!=` between `a` and `b` give what the tree walk's
    /// `OutcomeMath.valuesEqual` gives when both are compared as numbers.
    private func equalityByNumber(_ a: Kind, _ b: Kind) -> Bool {
        switch (a, b) {
        case (.yesNo, .yesNo): return true
        case (.number, _) where b.isNumeric, (_, .number) where a.isNumeric: return true
        case (.coded(let item), .codeConstant(let code, let weight)), (.codeConstant(let code, let weight), .coded(let item)):
            // Codes are equal when their strings are: by weight only when this
            // code is the item's own and no other option of it has its weight.
            guard let options = items[item].kind.options else { return false }
            return options.contains { !$0.isUnknown && $0.code == code && $0.weight == weight } && Self.weightsAreDistinct(options)
        default: return false
        }
    }

    /// Whether every option but the inadequate one has a weight, and no two
    /// the same. Compared pair by pair: building a set for every comparison
    /// compiled was half of planning a large definition.
    static func weightsAreDistinct(_ options: [ChoiceOption]) -> Bool {
        for first in options.indices where !options[first].isUnknown {
            guard let weight = options[first].weight else { return false }
            for second in options.indices[(first + 1)...] where !options[second].isUnknown && options[second].weight == weight {
                return false
            }
        }
        return true
    }

    private func comparable(_ op: ComparisonOperator, _ a: Kind, _ b: Kind) -> Bool {
        op.isOrdering ? a.isNumeric && b.isNumeric : equalityByNumber(a, b)
    }

    private func constantKind(_ value: Value) throws -> (Kind, Double) {
        switch value {
        case .number(let x): return (.number, x)
        case .bool(let b): return (.yesNo, b ? 1 : 0)
        case .code(let code, let weight?): return (.codeConstant(code: code, weight: weight), weight)
        default: throw Unsupported()
        }
    }

    private mutating func compile(_ expression: Expression) throws -> Kind {
        switch expression {
        case .constant(let value):
            let (kind, x) = try constantKind(value)
            emit(.constant, x: x, stack: 1)
            return kind
        case .item(let index):
            let kind = try itemKind(index)
            emit(.item, flag: factFlag(kind), a: index, stack: 1)
            return kind
        case .rule(let index):
            guard let kind = ruleKinds[index] else { throw Unsupported() }
            emit(.rule, flag: kind == .yesNo ? 1 : 0, a: index, stack: 1)
            return kind
        case .not(let inner):
            try require(try compile(inner) == .yesNo)
            emit(.not)
            return .yesNo
        case .and(.answered(let index), .compare(let op, .item(let other), .constant(let value))) where other == index:
            try compileItemComparison(.answeredAndCompareItem, index, op, value)
            return .yesNo
        case .and(let left, let right), .or(let left, let right):
            let isAnd: Bool
            if case .and = expression { isAnd = true } else { isAnd = false }
            try require(try compile(left) == .yesNo)
            let jump = emit(isAnd ? .jumpIfFalse : .jumpIfTrue, stack: -1)
            try require(try compile(right) == .yesNo)
            programs.ops[jump].a = Int32(programs.ops.count)
            return .yesNo
        case .compare(let op, let left, let right):
            if case .item(let index) = left, case .constant(let value) = right {
                try compileItemComparison(.compareItem, index, op, value)
                return .yesNo
            }
            let a = try compile(left), b = try compile(right)
            try require(comparable(op, a, b))
            emit(.compare, op, stack: -1)
            return .yesNo
        case .member(let subject, let candidates, let negated):
            let kind = try compile(subject)
            let numbers = try candidates.map { candidate -> Double in
                guard case .constant(let value) = candidate else { throw Unsupported() }
                let (candidateKind, x) = try constantKind(value)
                try require(equalityByNumber(kind, candidateKind))
                return x
            }
            emit(.member, a: list(.init(items: [], candidates: numbers, negated: negated)))
            return .yesNo
        case .arithmetic(let op, let left, let right):
            if op == .add, let tests = answeredTestTerms(expression) {
                programs.answeredTests.append(tests)
                emit(.countAnsweredTests, a: programs.answeredTests.count - 1, stack: 1)
                return .number
            }
            try require(try compile(left).isNumeric && compile(right).isNumeric)
            let code: CompiledPrograms.OpCode = switch op {
            case .add: .add
            case .subtract: .subtract
            case .multiply: .multiply
            case .divide: .divide
            }
            emit(code, stack: -1)
            return .number
        case .negate(let inner), .absolute(let inner), .round(let inner):
            // The tree walk computes these on plain numbers only, not weights.
            try require(try compile(inner) == .number)
            let code: CompiledPrograms.OpCode = switch expression {
            case .negate: .negate
            case .absolute: .absolute
            default: .round
            }
            emit(code)
            return .number
        case .weight(let inner):
            _ = try compile(inner)
            return .number
        case .count(let indices, nil):
            for index in indices { try require(try itemKind(index) == .yesNo) }
            emit(.countTrue, a: list(.init(items: indices)), stack: 1)
            return .number
        case .count(let indices, let predicate?), .any(let indices, let predicate), .all(let indices, let predicate):
            let test = try listTest(indices, predicate)
            let code: CompiledPrograms.OpCode = switch expression {
            case .count: .count
            case .any: .any
            default: .all
            }
            emit(code, a: list(test), stack: 1)
            return code == .count ? .number : .yesNo
        case .sum(let indices), .mean(let indices):
            for index in indices { _ = try itemKind(index) }
            let code: CompiledPrograms.OpCode = if case .sum = expression { .sum } else { .mean }
            emit(code, a: list(.init(items: indices)), stack: 1)
            return .number
        case .knownCount(let indices):
            emit(.knownCount, a: list(.init(items: indices)), stack: 1)
            return .number
        case .answeredCount(let indices):
            emit(.answeredCount, a: list(.init(items: indices)), stack: 1)
            return .number
        case .answered(let index):
            emit(.answered, a: index, stack: 1)
            return .yesNo
        case .inadequate(let index):
            emit(.inadequate, a: index, stack: 1)
            return .yesNo
        case .ifThen(let condition, .constant(.number(1)), .constant(.number(0))):
            // A yes/no counted as 1 or 0 is already that number on the stack.
            try require(try compile(condition) == .yesNo)
            return .number
        case .ifThen(let condition, let then, let otherwise):
            try require(try compile(condition) == .yesNo)
            let branch = emit(.branch, stack: -1)
            let kind = try compile(then)
            try require(kind == .number || kind == .yesNo)
            let jump = emit(.jump, stack: -1)
            programs.ops[branch].a = Int32(programs.ops.count)
            try require(try compile(otherwise) == kind)
            programs.ops[jump].a = Int32(programs.ops.count)
            return kind
        case .none, .has, .size, .minimum, .maximum:
            throw Unsupported()
        }
    }

    /// The terms of a sum when each is `if(answered(ITEM) and ITEM <op> x, 1, 0)`
    /// (how a count of items rated 3 is often written), else nil. The sum of
    /// ones and zeros is the count whatever the order of the additions, and
    /// it is unknown as soon as any term is.
    private func answeredTestTerms(_ sum: Expression) -> [CompiledPrograms.AnsweredTest]? {
        var terms: [Expression] = []
        var node = sum
        while case .arithmetic(.add, let left, let right) = node {
            terms.append(right)
            node = left
        }
        terms.append(node)
        var tests: [CompiledPrograms.AnsweredTest] = []
        for term in terms.reversed() {
            guard case .ifThen(.and(.answered(let index), .compare(let op, .item(let other), .constant(let value))),
                               .constant(.number(1)), .constant(.number(0))) = term, other == index,
                  let subject = try? itemKind(index), let (kind, x) = try? constantKind(value), comparable(op, subject, kind) else { return nil }
            tests.append(.init(item: Int32(index), comparison: op, flag: factFlag(subject), constant: x))
        }
        return tests
    }

    private mutating func compileItemComparison(_ code: CompiledPrograms.OpCode, _ index: Int, _ op: ComparisonOperator, _ value: Value) throws {
        let subject = try itemKind(index), (kind, x) = try constantKind(value)
        try require(comparable(op, subject, kind))
        emit(code, op, flag: factFlag(subject), a: index, x: x, stack: 1)
    }

    /// The test of `count`, `any` or `all` with a predicate, checked for every item.
    private func listTest(_ indices: [Int], _ predicate: Predicate) throws -> CompiledPrograms.ListTest {
        let kinds = try indices.map(itemKind)
        switch predicate {
        case .compare(let op, let right):
            guard case .constant(let value) = right else { throw Unsupported() }
            let (kind, x) = try constantKind(value)
            for subject in kinds { try require(comparable(op, subject, kind)) }
            return .init(items: indices, comparison: op, constant: x)
        case .member(let candidates, let negated):
            let numbers = try candidates.map { candidate -> Double in
                guard case .constant(let value) = candidate else { throw Unsupported() }
                let (kind, x) = try constantKind(value)
                for subject in kinds { try require(equalityByNumber(subject, kind)) }
                return x
            }
            return .init(items: indices, candidates: numbers, negated: negated)
        }
    }
}
