import ClinterviewTestSupport
import Testing

@testable import ClinterviewCore

/// The parser stores an expression as one array of nodes, children first.
@Suite struct SyntaxTreeTests {
    static let names = ["A1", "A2", "A9", "Y", "v1", "nope", "weeks", "count"]
    static let operators = ["==", "!=", ">=", "<", "+", "-", "*", "/", "and", "or"]
    static let literals = ["3", "?", "2 weeks", "3 days", "@2024-02-28", "'x'", "true", "none", "1.5"]
    static let functions = ["count", "any", "sum", "answered", "has", "if", "min", "max", "round"]

    static func expression(_ rng: inout SplitMix64, depth: Int = 0) -> String {
        switch Int.random(in: 0..<(depth > 3 ? 3 : 10), using: &rng) {
        case 0: return names.randomElement(using: &rng)!
        case 1: return literals.randomElement(using: &rng)!
        case 2: return ["A1..A9", "[A1, A2]", "[]", "Y..v1"].randomElement(using: &rng)!
        case 3, 4:
            return expression(&rng, depth: depth + 1) + " " + operators.randomElement(using: &rng)! + " "
                + expression(&rng, depth: depth + 1)
        case 5: return "not " + expression(&rng, depth: depth + 1)
        case 6: return "(" + expression(&rng, depth: depth + 1) + ")"
        case 7:
            let list = (0..<Int.random(in: 0...3, using: &rng)).map { _ in expression(&rng, depth: depth + 2) }
            return expression(&rng, depth: depth + 1) + [" in [", " not in ["].randomElement(using: &rng)!
                + list.joined(separator: ", ") + "]"
        default:
            var arguments = (0..<Int.random(in: 0...3, using: &rng)).map { _ in expression(&rng, depth: depth + 1) }
            if Bool.random(using: &rng), !arguments.isEmpty {
                arguments[arguments.count - 1] = [">= A2", "in [1, A3]", "not in [3]"].randomElement(using: &rng)!
            }
            return functions.randomElement(using: &rng)! + "(" + arguments.joined(separator: ", ") + ")"
        }
    }

    /// The names a reader sees in the text: identifiers that are not called
    /// and are not the unit of a duration.
    static func writtenNames(_ text: String) throws -> [String] {
        let tokens = try Lexer.tokenize(text)
        var found: [String] = []
        for (index, token) in tokens.enumerated() {
            guard case .identifier(let name) = token.kind else { continue }
            if tokens[index + 1].kind == .symbol(.openParenthesis) { continue }
            if index > 0, case .number = tokens[index - 1].kind, DurationUnit(word: name) != nil, name.count > 1 {
                continue
            }
            found.append(name + "@\(token.offset)")
        }
        return found
    }

    /// The rule order, cycle reports and the forward-reference check read
    /// names in this order.
    @Test func namesComeInTheOrderTheyAreWritten() throws {
        var rng = SplitMix64(state: 11)
        var parsed = 0
        for _ in 0..<5_000 {
            let text = Self.expression(&rng)
            guard let tree = try? ExpressionParser.parse(text) else { continue }
            parsed += 1
            var names: [String] = []
            tree.forEachName { name, offset in names.append(name + "@\(offset)") }
            #expect(names == (try Self.writtenNames(text)), "\(text)")
        }
        #expect(parsed > 2_000)
    }

    /// Elements of a list are stored once the list is closed, so the lists
    /// and calls nested inside it cannot interleave with them.
    @Test func nestedListsKeepTheirOwnElements() throws {
        let tree = try ExpressionParser.parse("if(any([A1, A2], in [1, max(2, 3, A4)]), min(1, [A5, A6], 3), 0)")
        func shape(_ id: SyntaxTree.ID) -> String {
            func elements(_ list: SyntaxList) -> String { tree[list].map(shape).joined(separator: ",") }
            switch tree[id] {
            case .name(let name, _): return name
            case .number(let value, _): return formatNumber(value)
            case .list(let list, _): return "[" + elements(list) + "]"
            case .call(let name, let list, _): return name + "(" + elements(list) + ")"
            case .memberPredicate(let list, _, _): return "in [" + elements(list) + "]"
            default: return "?"
            }
        }
        #expect(shape(tree.root) == "if(any([A1,A2],in [1,max(2,3,A4)]),min(1,[A5,A6],3),0)")
    }

    /// The rules of a large definition are all parsed before any is checked:
    /// spare capacity in every tree added tens of megabytes to the peak.
    @Test func parsedTreesKeepNoSpareCapacity() throws {
        var rng = SplitMix64(state: 5)
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 1...20, using: &rng)).map { _ in "if(answered(A1) and A1 == 3, 1, 0)" }
                .joined(separator: " + ")
            let tree = try ExpressionParser.parse(text)
            // Less than glibc's smallest chunk (32 bytes) to spare: when what
            // would be left of a free chunk is smaller than that, malloc hands
            // out the whole chunk, and Swift counts the slack as capacity (so
            // the 16 bytes once asserted here failed now and then, depending
            // on what the other tests had freed).
            #expect((tree.nodes.capacity - tree.nodes.count) * MemoryLayout<SyntaxNode>.stride < 32)
            #expect((tree.elements.capacity - tree.elements.count) * MemoryLayout<SyntaxTree.ID>.stride < 32)
        }
    }

    /// A condition is checked as soon as it is parsed: its tree is left
    /// untrimmed, sized once for its tokens, and holds the same nodes.
    @Test func untrimmedTreesHoldTheSameNodes() throws {
        var rng = SplitMix64(state: 8)
        var compared = 0
        for _ in 0..<300 {
            let text = Self.expression(&rng)
            // Some generated texts chain comparisons, which is an error.
            guard let trimmed = try? ExpressionParser.parse(text) else { continue }
            let untrimmed = try ExpressionParser.parse(text, trimmed: false)
            compared += 1
            #expect(untrimmed.root == trimmed.root)
            #expect(untrimmed.nodes.map { "\($0)" } == trimmed.nodes.map { "\($0)" })
            #expect(untrimmed.elements == trimmed.elements)
            // Sized for every token at the start, never grown.
            #expect(untrimmed.nodes.capacity >= (try Lexer.tokenize(text)).count)
        }
        #expect(compared > 100)
    }
}
