import ClinterviewTestSupport
import Testing

@testable import ClinterviewCore

/// The what-if searches try every state of a yes/no, rating or choice item:
/// unanswered, then each option (inadequate information for an option that
/// means it), in the options' order.
@Suite struct DomainTests {
    @Test func domainsOfRandomChoiceItems() throws {
        var rng = SplitMix64(state: 17)
        var items: [String] = [
            "{ \"id\": \"Y\", \"kind\": \"yesno\", \"prompt\": \"p\" }",
            "{ \"id\": \"R\", \"kind\": \"rating\", \"prompt\": \"p\" }",
            "{ \"id\": \"N\", \"kind\": \"integer\", \"prompt\": \"p\" }",
        ]
        for index in 0..<200 {
            let options = (0..<Int.random(in: 1...6, using: &rng)).map { code -> String in
                let unknown = Int.random(in: 0..<4, using: &rng) == 0
                let weight =
                    !unknown && Bool.random(using: &rng) ? ", \"weight\": \(Int.random(in: -3...3, using: &rng))" : ""
                return "{ \"code\": \"c\(code)\", \"label\": \"l\"\(weight)\(unknown ? ", \"unknown\": true" : "") }"
            }
            items.append(
                "{ \"id\": \"C\(index)\", \"kind\": \"choice\", \"prompt\": \"p\", \"options\": [\(options.joined(separator: ", "))] }"
            )
        }
        let interview = try loadOrFail(interviewJSON(items: items.joined(separator: ", ")))
        let analysis = RouteAnalysis(interview: interview)
        for (index, item) in interview.items.enumerated() {
            let expected: [ItemState]?
            switch item.kind {
            case .yesNo: expected = [.open, .known(.bool(true)), .known(.bool(false))]
            case .rating(_, let options), .choice(let options):
                expected =
                    [.open] + options.map { $0.isUnknown ? .inadequate : .known(.code($0.code, weight: $0.weight)) }
            default: expected = nil
            }
            #expect(analysis.domain(of: index).map { "\($0)" } == expected.map { "\($0)" }, "\(item.id)")
        }
    }

    /// The items a search tries are those of every condition of the chain and
    /// of the rules they name, each once, ascending.
    @Test(arguments: ["core.json", "sample.json"])
    func decidersAreTheItemsTheChainDependsOn(name: String) throws {
        let interview = try #require(InterviewLoader.load(path: Repository.path("Interviews/" + name)).interview)
        #expect(decidersMatchTheSets(interview) >= 10)
    }

    @Test func decidersThroughRules() throws {
        let interview = try loadOrFail(
            interviewJSON(
                items: """
                    { "id": "A1", "kind": "rating", "prompt": "p" }, { "id": "A2", "kind": "rating", "prompt": "p" },
                    { "id": "A3", "kind": "yesno", "prompt": "p" },
                    { "id": "B1", "kind": "rating", "prompt": "p", "when": "c and A3" },
                    { "id": "B2", "kind": "rating", "prompt": "p", "when": "A2 == 1 or (c and A1 == 3) or d" }
                    """,
                rules: """
                    "criteria": [{ "id": "c", "label": "c", "rule": "count(A1..A2, == 3) >= 2" }, { "id": "d", "label": "d", "rule": "c and A3" }]
                    """))
        #expect(decidersMatchTheSets(interview) == 2)
        #expect(RouteAnalysis(interview: interview).deciders(of: interview.conditionChain(ofItem: 4)) == [0, 1, 2])
    }

    /// Compares `deciders(of:)` with the union of each condition's item set
    /// for every item's chain; the number of chains compared.
    func decidersMatchTheSets(_ interview: Interview) -> Int {
        let analysis = RouteAnalysis(interview: interview)
        var chains = 0
        for item in interview.items.indices {
            let chain = interview.conditionChain(ofItem: item)
            guard !chain.isEmpty else { continue }
            let expected = chain.reduce(into: Set<Int>()) {
                $0.formUnion(interview.items(of: $1, closure: analysis.ruleClosure))
            }.sorted()
            #expect(analysis.deciders(of: chain) == expected, "\(interview.items[item].id)")
            chains += 1
        }
        return chains
    }
}
