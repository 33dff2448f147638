import Foundation

/// Chance-corrected agreement between raters who classify the same subjects.
public struct AgreementStatistics: Sendable, Equatable {
    /// Subjects rated (for two raters: pairs).
    public var subjects: Int
    public var raters: Int
    /// Observed agreement: for two raters the share of pairs that agree; for more,
    /// Fleiss' mean agreement among pairs of raters per subject.
    public var observed: Double
    /// Agreement expected by chance.
    public var expected: Double
    /// nil when undefined: every rating fell in one category (expected agreement 1).
    public var kappa: Double?
    public var standardError: Double?
    public var confidence95: ClosedRange<Double>?
    /// Share of all ratings in each category.
    public var categoryShares: [String: Double]

    /// Cohen's kappa for two raters (Cohen 1960), with the large-sample standard
    /// error of Fleiss, Cohen & Everitt (1969).
    public static func cohen(_ pairs: [(String, String)]) -> AgreementStatistics {
        let n = Double(pairs.count)
        let categories = Array(Set(pairs.flatMap { [$0.0, $0.1] })).sorted()
        guard n > 0 else {
            return AgreementStatistics(
                subjects: 0, raters: 2, observed: 0, expected: 0, kappa: nil, standardError: nil, confidence95: nil,
                categoryShares: [:])
        }
        var table: [String: [String: Double]] = [:]
        for (a, b) in pairs { table[a, default: [:]][b, default: 0] += 1 }
        func cell(_ a: String, _ b: String) -> Double { (table[a]?[b] ?? 0) / n }
        let rows = Dictionary(
            uniqueKeysWithValues: categories.map { c in (c, categories.reduce(0) { $0 + cell(c, $1) }) })
        let columns = Dictionary(
            uniqueKeysWithValues: categories.map { c in (c, categories.reduce(0) { $0 + cell($1, c) }) })
        let observed = categories.reduce(0) { $0 + cell($1, $1) }
        let expected = categories.reduce(0) { $0 + rows[$1]! * columns[$1]! }
        var shares: [String: Double] = [:]
        for c in categories { shares[c] = (rows[c]! + columns[c]!) / 2 }
        guard expected < 1 - 1e-12 else {
            return AgreementStatistics(
                subjects: pairs.count, raters: 2, observed: observed, expected: expected, kappa: nil,
                standardError: nil, confidence95: nil, categoryShares: shares)
        }
        let kappa = (observed - expected) / (1 - expected)
        // Fleiss, Cohen & Everitt (1969), equation for the variance of kappa.
        var first = 0.0
        for c in categories {
            first += cell(c, c) * pow(1 - (rows[c]! + columns[c]!) * (1 - kappa), 2)
        }
        var second = 0.0
        for a in categories {
            for b in categories where a != b {
                second += cell(a, b) * pow(columns[a]! + rows[b]!, 2)
            }
        }
        second *= pow(1 - kappa, 2)
        let third = pow(kappa - expected * (1 - kappa), 2)
        let variance = (first + second - third) / (n * pow(1 - expected, 2))
        let se = variance > 0 ? sqrt(variance) : 0
        return AgreementStatistics(
            subjects: pairs.count, raters: 2, observed: observed, expected: expected, kappa: kappa, standardError: se,
            confidence95: (kappa - 1.96 * se)...(kappa + 1.96 * se), categoryShares: shares)
    }

    /// Fleiss' kappa for any fixed number of raters per subject (Fleiss 1971),
    /// with the standard error under the null hypothesis of Fleiss, Nee & Landis (1979).
    /// `counts[i][category]` is how many raters put subject i in the category.
    public static func fleiss(_ counts: [[String: Int]]) -> AgreementStatistics {
        let subjects = counts.count
        let raters = counts.first.map { $0.values.reduce(0, +) } ?? 0
        let categories = Array(Set(counts.flatMap(\.keys))).sorted()
        guard subjects > 0, raters > 1, counts.allSatisfy({ $0.values.reduce(0, +) == raters }) else {
            return AgreementStatistics(
                subjects: subjects, raters: raters, observed: 0, expected: 0, kappa: nil, standardError: nil,
                confidence95: nil, categoryShares: [:])
        }
        let N = Double(subjects), n = Double(raters)
        var shares: [String: Double] = [:]
        for c in categories { shares[c] = Double(counts.reduce(0) { $0 + ($1[c] ?? 0) }) / (N * n) }
        let observed =
            counts.reduce(0.0) { total, row in
                total + (row.values.reduce(0.0) { $0 + Double($1 * ($1 - 1)) }) / (n * (n - 1))
            } / N
        let expected = categories.reduce(0) { $0 + pow(shares[$1]!, 2) }
        guard expected < 1 - 1e-12 else {
            return AgreementStatistics(
                subjects: subjects, raters: raters, observed: observed, expected: expected, kappa: nil,
                standardError: nil, confidence95: nil, categoryShares: shares)
        }
        let kappa = (observed - expected) / (1 - expected)
        let pq = categories.reduce(0) { $0 + shares[$1]! * (1 - shares[$1]!) }
        let inner =
            pow(pq, 2)
            - categories.reduce(0) { $0 + shares[$1]! * (1 - shares[$1]!) * ((1 - shares[$1]!) - shares[$1]!) }
        let se = inner > 0 ? sqrt(2) / (pq * sqrt(N * n * (n - 1))) * sqrt(inner) : 0
        return AgreementStatistics(
            subjects: subjects, raters: raters, observed: observed, expected: expected, kappa: kappa, standardError: se,
            confidence95: (kappa - 1.96 * se)...(kappa + 1.96 * se), categoryShares: shares)
    }
}
