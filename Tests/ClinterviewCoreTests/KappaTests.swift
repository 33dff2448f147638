import Testing

@testable import ClinterviewCore

@Suite struct KappaTests {
    func pairs(_ counts: [((String, String), Int)]) -> [(String, String)] {
        counts.flatMap { Array(repeating: $0.0, count: $0.1) }
    }

    /// The worked example of the Wikipedia article "Cohen's kappa": 50 grant proposals,
    /// yes/yes 20, yes/no 5, no/yes 10, no/no 15: p_o = 0.7, p_e = 0.5, kappa = 0.4.
    @Test func cohenWorkedExample() throws {
        let result = AgreementStatistics.cohen(
            pairs([(("yes", "yes"), 20), (("yes", "no"), 5), (("no", "yes"), 10), (("no", "no"), 15)]))
        #expect(abs(result.observed - 0.7) < 1e-12)
        #expect(abs(result.expected - 0.5) < 1e-12)
        #expect(abs(try #require(result.kappa) - 0.4) < 1e-12)
        let se = try #require(result.standardError)
        #expect(se > 0.10 && se < 0.16)
        #expect(try #require(result.confidence95).contains(0.4))
    }

    /// Fleiss, Cohen & Everitt (1969) and Fleiss (1981, table 13.1): 100 subjects in three
    /// diagnostic categories; kappa = 0.492, and their standard error 0.0732 (approximately).
    @Test func cohenThreeCategoriesWithItsStandardError() throws {
        // Proportions (x100) from the table: rows rater A, columns rater B.
        let table: [[Int]] = [[44, 5, 1], [7, 20, 3], [9, 5, 6]]
        let names = ["psychotic", "neurotic", "organic"]
        var list: [((String, String), Int)] = []
        for (i, row) in table.enumerated() {
            for (j, count) in row.enumerated() { list.append(((names[i], names[j]), count)) }
        }
        let result = AgreementStatistics.cohen(pairs(list))
        #expect(abs(try #require(result.kappa) - 0.492) < 0.001)
        #expect(abs(try #require(result.standardError) - 0.0732) < 0.003)
    }

    /// The worked example of Fleiss (1971) as reproduced in the Wikipedia article
    /// "Fleiss' kappa": 10 subjects, 14 raters, 5 categories; kappa = 0.210.
    @Test func fleissWorkedExample() throws {
        let rows: [[Int]] = [
            [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
        ]
        let counts = rows.map { row in
            Dictionary(uniqueKeysWithValues: row.enumerated().map { ("c\($0.offset)", $0.element) })
        }
        let result = AgreementStatistics.fleiss(counts)
        #expect(abs(try #require(result.kappa) - 0.210) < 0.001)
        #expect(abs(result.observed - 0.378) < 0.001)
        #expect(abs(result.expected - 0.213) < 0.001)
        #expect(abs(result.categoryShares["c0"]! - 0.143) < 0.001)
    }

    @Test func fleissWithTwoRatersMatchesCohenWhenMarginsAgree() throws {
        let agreement = [("a", "a"), ("b", "b"), ("a", "b"), ("b", "a"), ("a", "a"), ("b", "b")]
        let cohen = try #require(AgreementStatistics.cohen(agreement).kappa)
        let fleiss = try #require(
            AgreementStatistics.fleiss(agreement.map { [$0.0: 1].merging([$0.1: 1], uniquingKeysWith: +) }).kappa)
        #expect(abs(cohen - fleiss) < 1e-9)
    }

    @Test func everyoneInOneCategoryLeavesKappaUndefined() {
        let result = AgreementStatistics.cohen([("met", "met"), ("met", "met"), ("met", "met")])
        #expect(result.observed == 1)
        #expect(result.kappa == nil)
        #expect(result.standardError == nil)
        #expect(AgreementStatistics.fleiss([["met": 3], ["met": 3]]).kappa == nil)
    }

    @Test func aSinglePair() {
        let agreeing = AgreementStatistics.cohen([("met", "met")])
        #expect(agreeing.subjects == 1)
        #expect(agreeing.kappa == nil)
        let disagreeing = AgreementStatistics.cohen([("met", "not_met")])
        #expect(disagreeing.observed == 0)
        #expect(disagreeing.kappa == 0)
        #expect(AgreementStatistics.cohen([]).kappa == nil)
    }

    @Test func perfectAgreementIsOne() {
        let result = AgreementStatistics.cohen([("met", "met"), ("not_met", "not_met"), ("met", "met")])
        #expect(result.kappa == 1)
    }
}
