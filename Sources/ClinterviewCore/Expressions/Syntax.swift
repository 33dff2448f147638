/// The parsed, not yet resolved form of an expression, as one array of nodes.
///
/// Children are indices into the same array, so a whole expression is two
/// arrays however long it is. Nodes are stored children first, so the names come in the
/// order they are written (`forEachName`).
struct SyntaxTree: Sendable {
    typealias ID = Int32

    private(set) var nodes: [SyntaxNode] = []
    /// The elements of every list and the arguments of every call, each run contiguous.
    private(set) var elements: [ID] = []
    /// The whole expression; set by the parser.
    var root: ID = 0

    subscript(id: ID) -> SyntaxNode { nodes[Int(id)] }

    subscript(list: SyntaxList) -> SyntaxElements {
        SyntaxElements(base: elements[Int(list.start)..<Int(list.start + list.count)])
    }

    func offset(of id: ID) -> Int { nodes[Int(id)].offset }

    mutating func append(_ node: SyntaxNode) -> ID {
        nodes.append(node)
        return ID(nodes.count - 1)
    }

    /// Stores `ids` as one list.
    mutating func appendList(_ ids: ArraySlice<ID>) -> SyntaxList {
        let start = ID(elements.count)
        elements.append(contentsOf: ids)
        return SyntaxList(start: start, count: ID(ids.count))
    }

    /// The name of a `name` node ("" for any other).
    func name(_ id: ID) -> String {
        if case .name(let name, _) = self[id] { return name }
        return ""
    }

    mutating func reserveCapacity(nodes count: Int) {
        nodes.reserveCapacity(count)
    }

    /// Stores the nodes without spare capacity: the rules of a large
    /// definition are all parsed before any is checked.
    mutating func trim() {
        if nodes.capacity > nodes.count { nodes = nodes.withUnsafeBufferPointer { Array($0) } }
        if elements.capacity > elements.count { elements = elements.withUnsafeBufferPointer { Array($0) } }
    }

    /// Calls `body` with every name the expression mentions (items, rules,
    /// range ends) and its offset, in the order they are written.
    func forEachName(_ body: (String, Int) -> Void) {
        for node in nodes {
            if case .name(let name, let at) = node { body(name, at) }
        }
    }

    /// Whether the expression mentions any of `names`.
    func namesAny(of names: [String: Int]) -> Bool {
        nodes.contains { if case .name(let name, _) = $0 { names[name] != nil } else { false } }
    }
}

/// A run of `SyntaxTree.elements`.
struct SyntaxList: Sendable {
    var start: SyntaxTree.ID
    var count: SyntaxTree.ID
}

/// The nodes of a `SyntaxList`, indexed from zero.
struct SyntaxElements: RandomAccessCollection {
    let base: ArraySlice<SyntaxTree.ID>
    var startIndex: Int { 0 }
    var endIndex: Int { base.count }
    subscript(position: Int) -> SyntaxTree.ID { base[base.startIndex + position] }
}

/// One node of a `SyntaxTree`. Offsets are in characters from the start of
/// the expression text.
enum SyntaxNode: Sendable {
    typealias ID = SyntaxTree.ID

    case number(Double, at: Int)
    case string(String, at: Int)
    case boolean(Bool, at: Int)
    /// `none`: no value at all (unknown), e.g. the empty branch of an `if`.
    case none(at: Int)
    case inadequateCode(at: Int)
    case duration(Double, DurationUnit, at: Int)
    case date(Int, text: String, at: Int)
    case name(String, at: Int)
    /// `first..last`; both ends are `name` nodes.
    case range(ID, ID, at: Int)
    case list(SyntaxList, at: Int)
    case not(ID, at: Int)
    case negate(ID, at: Int)
    case logical(LogicalOperator, ID, ID, at: Int)
    case comparison(ComparisonOperator, ID, ID, at: Int)
    case membership(ID, SyntaxList, negated: Bool, at: Int)
    case arithmetic(ArithmeticOperator, ID, ID, at: Int)
    case call(String, SyntaxList, at: Int)
    /// A comparison with its left side missing, as in `count(A1..A9, >= 2)`.
    case predicate(ComparisonOperator, ID, at: Int)
    case memberPredicate(SyntaxList, negated: Bool, at: Int)

    var offset: Int {
        switch self {
        case .number(_, let at), .string(_, let at), .boolean(_, let at), .inadequateCode(let at), .none(let at),
            .duration(_, _, let at), .date(_, _, let at), .name(_, let at), .range(_, _, let at),
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

    /// The operator that says the same with its sides swapped: `a < b` is `b > a`.
    var mirrored: ComparisonOperator {
        switch self {
        case .equal, .notEqual: self
        case .less: .greater
        case .lessOrEqual: .greaterOrEqual
        case .greater: .less
        case .greaterOrEqual: .lessOrEqual
        }
    }
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
    public var code: DiagnosticCode

    public init(offset: Int, message: String, code: DiagnosticCode = .expressionSyntax) {
        self.offset = offset
        self.message = message
        self.code = code
    }
}
