import Testing
@testable import ClinterviewCore

/// The what-if searches try every state of a yes/no, rating or choice item:
/// unanswered, then each option (inadequate information for an option that
/// means it), in the options' order.
@Suite struct DomainTests {
    @Test func domainsOfRandomChoiceItems() throws {
        var rng = SplitMix64(state: 17)
        var items: [String] = [
            "{ \"id\": \"Y\", \"kind\": \"yesno\", \"prompt\": \"p\" }", "{ \"id\": \"R\", \"kind\": \"rating\", \"prompt\": \"p\" }",
            "{ \"id\": \"N\", \"kind\": \"integer\", \"prompt\": \"p\" }",
        ]
        for index in 0..<200 {
            let options = (0..<Int.random(in: 1...6, using: &rng)).map { code -> String in
                let unknown = Int.random(in: 0..<4, using: &rng) == 0
                let weight = !unknown && Bool.random(using: &rng) ? ", \"weight\": \(Int.random(in: -3...3, using: &rng))" : ""
                return "{ \"code\": \"c\(code)\", \"label\": \"l\"\(weight)\(unknown ? ", \"unknown\": true" : "") }"
            }
            items.append("{ \"id\": \"C\(index)\", \"kind\": \"choice\", \"prompt\": \"p\", \"options\": [\(options.joined(separator: ", "))] }")
        }
        let interview = try loadOrFail(interviewJSON(items: items.joined(separator: ", ")))
        let analysis = RouteAnalysis(interview: interview)
        for (index, item) in interview.items.enumerated() {
            let expected: [ItemState]?
            switch item.kind {
            case .yesNo: expected = [.open, .known(.bool(true)), .known(.bool(false))]
            case .rating(_, let options), .choice(let options):
                expected = [.open] + options.map { $0.isUnknown ? .inadequate : .known(.code($0.code, weight: $0.weight)) }
            default: expected = nil
            }
            #expect(analysis.domain(of: index).map { "\($0)" } == expected.map { "\($0)" }, "\(item.id)")
        }
    }
}
