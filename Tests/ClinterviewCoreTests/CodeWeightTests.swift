import ClinterviewTestSupport
import Testing
@testable import ClinterviewCore

/// Codes compare by weight only where an item's weights are distinct; the
/// pairwise test must agree with counting distinct weights in a set.
@Suite struct DistinctWeightTests {
    @Test func pairwiseAgreesWithASet() {
        var rng = SplitMix64(state: 5)
        for _ in 0..<5_000 {
            let options = (0..<Int.random(in: 0...5, using: &rng)).map { index in
                ChoiceOption(code: "\(index)", label: LocalizedText("o"),
                             weight: Bool.random(using: &rng) && Bool.random(using: &rng) ? nil : Double(Int.random(in: 0...3, using: &rng)),
                             isUnknown: Int.random(in: 0..<5, using: &rng) == 0)
            }
            let known = options.filter { !$0.isUnknown }
            let reference = Set(known.compactMap(\.weight)).count == known.count
            #expect(ProgramCompiler.weightsAreDistinct(options) == reference, "\(options.map { ($0.weight, $0.isUnknown) })")
        }
    }
}

/// An item compared with its own codes shares its option array; lists that
/// are not one array must still be compared code by code.
@Suite struct CodeSharingTests {
    @Test func sharingAgreesWithComparingCodes() {
        var rng = SplitMix64(state: 6)
        func options() -> [ChoiceOption] {
            (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                ChoiceOption(code: "\(Int.random(in: 0...4, using: &rng))", label: LocalizedText("o"), weight: Int.random(in: 0..<4, using: &rng) == 0 ? nil : 1,
                             isUnknown: Int.random(in: 0..<6, using: &rng) == 0)
            }
        }
        for _ in 0..<5_000 {
            let a = options()
            let b = Bool.random(using: &rng) ? a : options()
            let reference = !Set(a.map(\.code)).isDisjoint(with: b.map(\.code))
            #expect(ExpressionChecker.shareACode(a, b) == reference)
            #expect(ExpressionChecker.shareACode(a, a) == !a.isEmpty)
            #expect(ExpressionChecker.shareACode(a, Array(a.prefix(1))) == !a.isEmpty)
        }
        for _ in 0..<5_000 {
            let a = options()
            // Numeric when every option but the inadequate one has a weight.
            #expect(ExpressionType.coded(owner: .options, options: a).isNumeric == a.filter { !$0.isUnknown }.allSatisfy { $0.weight != nil })
        }
    }
}
