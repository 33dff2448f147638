/// A definite value of an item or an expression.
public enum Value: Sendable, Hashable {
    case bool(Bool)
    case number(Double)
    case code(String, weight: Double?)
    case codes([String])
    case text(String)
    /// A length of time in days (months and years are averaged: 30.44 and 365.25 days).
    case duration(Double)
    /// Whole days since 1970-01-01.
    case date(Int)

    /// The number used for ordering and arithmetic, where there is one.
    public var numeric: Double? {
        switch self {
        case .number(let value), .duration(let value): value
        case .date(let days): Double(days)
        case .code(_, let weight): weight
        case .bool, .codes, .text: nil
        }
    }
}

/// The result of evaluating an expression under Kleene's three-valued logic.
///
/// A known outcome has a `value`. An unknown one has none, and records why: the
/// open items whose answers could still decide it (`blockers`) and whether items
/// that are off the route contributed (`reachesSkipped`). Unknown numbers carry the
/// interval they must lie in, so `count(...) >= 5` is decided as soon as it can be.
public struct Outcome: Sendable, Equatable {
    public var value: Value?
    public var low: Double
    public var high: Double
    public var blockers: BlockerSet
    public var reachesSkipped: Bool

    public static func known(_ value: Value) -> Outcome {
        let number = value.numeric ?? 0
        return Outcome(value: value, low: number, high: number, blockers: BlockerSet(), reachesSkipped: false)
    }

    public static func unknown(
        low: Double = -.infinity, high: Double = .infinity, blockers: BlockerSet = BlockerSet(),
        reachesSkipped: Bool = false
    ) -> Outcome {
        Outcome(value: nil, low: low, high: high, blockers: blockers, reachesSkipped: reachesSkipped)
    }

    public static let `true` = Outcome.known(.bool(true))
    public static let `false` = Outcome.known(.bool(false))

    public var isKnown: Bool { value != nil }
    public var bool: Bool? {
        if case .bool(let b) = value { return b }
        return nil
    }

    /// An unknown outcome that inherits the reasons of `source`, and of `other`.
    /// (Two parameters rather than a variadic list: the list was an allocation
    /// on the evaluator's hottest path.) Both are taken, not borrowed: a
    /// running total passed with `consume` keeps its blockers' storage and
    /// grows it in place, where copying it item by item at every step made a
    /// sum, `any` or `all` over n open items cost n² insertions.
    static func unknownBecause(
        of source: consuming Outcome, _ other: consuming Outcome? = nil, low: Double = -.infinity,
        high: Double = .infinity
    ) -> Outcome {
        var result = Outcome.unknown(low: low, high: high)
        if !source.isKnown { result.absorbReasons(of: source) }
        if let other, !other.isKnown { result.absorbReasons(of: other) }
        return result
    }

    mutating func absorbReasons(of other: consuming Outcome) {
        reachesSkipped = reachesSkipped || other.reachesSkipped
        if !other.blockers.isEmpty { blockers.formUnion(other.blockers) }
    }
}

/// A three-valued status for criteria and diagnoses.
public enum Status: String, Sendable, Codable, CaseIterable {
    case met
    case notMet = "not_met"
    case indeterminate
}

extension Outcome {
    public var status: Status {
        switch bool {
        case true?: .met
        case false?: .notMet
        case nil: .indeterminate
        }
    }
}

/// The items that could still decide an unknown outcome. Most outcomes have
/// none or one, so two are kept inline and only more spill into a set: building
/// a `Set` for every unanswered item was the cost of walking a session.
public struct BlockerSet: Sendable, Equatable, ExpressibleByArrayLiteral {
    private var first = -1
    private var second = -1
    private var more: Set<Int>?

    public init() {}

    public init(arrayLiteral elements: Int...) {
        for element in elements { insert(element) }
    }

    /// One item, without the array a literal would build.
    public init(item: Int) {
        first = item
    }

    public var isEmpty: Bool { first < 0 }

    public mutating func insert(_ item: Int) {
        if first < 0 { first = item; return }
        if first == item { return }
        if second < 0 { second = item; return }
        if second == item { return }
        if more == nil { more = [] }
        more!.insert(item)
    }

    /// Inserts the smaller set's items into the larger one's storage.
    public mutating func formUnion(_ other: consuming BlockerSet) {
        if (other.more?.count ?? 0) > (more?.count ?? 0) { swap(&self, &other) }
        guard !other.isEmpty else { return }
        insert(other.first)
        if other.second >= 0 { insert(other.second) }
        if let rest = other.more { for item in rest { insert(item) } }
    }

    public func contains(_ item: Int) -> Bool {
        item == first || item == second || (more?.contains(item) ?? false)
    }

    /// The items, in administration order.
    public func sorted() -> [Int] {
        var items: [Int] = []
        if first >= 0 { items.append(first) }
        if second >= 0 { items.append(second) }
        if let more { items += more }
        return items.sorted()
    }

    public static func == (a: BlockerSet, b: BlockerSet) -> Bool {
        a.sorted() == b.sorted()
    }
}
