import ClinterviewTestSupport
import Testing

@testable import ClinterviewCore

/// The items a rule depends on are its own and those of the rules it names,
/// however the union is grown.
@Suite struct RuleItemUnionTests {
    @Test func equalsTheUnionOfEverySet() {
        var generator = SplitMix64(state: 11)
        for _ in 0..<500 {
            let closure = (0..<6).map { _ in
                Set(
                    (0..<Int.random(in: 0...12, using: &generator)).map { _ in Int.random(in: 0..<40, using: &generator)
                    })
            }
            let items = Set(
                (0..<Int.random(in: 0...5, using: &generator)).map { _ in Int.random(in: 0..<40, using: &generator) })
            let rules = Set(
                (0..<Int.random(in: 0...4, using: &generator)).map { _ in Int.random(in: 0..<6, using: &generator) })
            let expected = rules.reduce(into: items) { $0.formUnion(closure[$1]) }
            #expect(Interview.union(items, throughRules: rules, closure: closure) == expected)
        }
    }
}
