import ClinterviewTestSupport
import Testing

@testable import ClinterviewCore

/// Ids and keys are tested on bytes: ids must be judged as the definition
/// written on Unicode scalars judges them.
@Suite struct IdentifierBytesTests {
    static let pieces = [
        "a", "Z", "_", "0", "9", "é", "e", "日", "😀", " ", "-", ".", "ab", "A1", "\u{301}", "z_9", "{", "`", "@", "[",
        "/", ":", "K", "\u{212A}",
    ]

    static func referenceIsValid(_ id: String) -> Bool {
        func letter(_ s: Unicode.Scalar) -> Bool { s == "_" || ("a"..."z").contains(s) || ("A"..."Z").contains(s) }
        return id.unicodeScalars.first.map(letter) == true
            && id.unicodeScalars.allSatisfy { letter($0) || ("0"..."9").contains($0) }
    }

    @Test func idsAsScalarsWouldJudgeThem() {
        var rng = SplitMix64(state: 3)
        var valid = 0
        for _ in 0..<20_000 {
            let id = (0..<Int.random(in: 0...4, using: &rng)).map { _ in Self.pieces.randomElement(using: &rng)! }
                .joined()
            let expected = Self.referenceIsValid(id)
            #expect(LoaderRun.isValidID(id) == expected, "\(id.debugDescription)")
            if expected { valid += 1 }
        }
        #expect(valid > 1_000)
    }

    /// Keys are the same when their bytes are (as duplicate keys are found),
    /// not when Unicode takes them for equivalent ("K" and the Kelvin sign),
    /// whenever one of them is ASCII.
    @Test func keysCompareByBytes() {
        var rng = SplitMix64(state: 4)
        for _ in 0..<20_000 {
            let a = (0..<Int.random(in: 0...3, using: &rng)).map { _ in Self.pieces.randomElement(using: &rng)! }
                .joined()
            let b =
                Bool.random(using: &rng)
                ? a
                : (0..<Int.random(in: 0...3, using: &rng)).map { _ in Self.pieces.randomElement(using: &rng)! }.joined()
            guard a.utf8.allSatisfy({ $0 < 0x80 }) || b.utf8.allSatisfy({ $0 < 0x80 }) else { continue }
            #expect(isSameKey(a, b) == (Array(a.utf8) == Array(b.utf8)), "\(a.debugDescription) \(b.debugDescription)")
        }
    }
}

/// Only ids no longer than the longest keyword are looked up among them:
/// every keyword must still be refused as an id.
@Suite struct ReservedIdTests {
    @Test(arguments: Keyword.allCases)
    func keywordsAreNotIds(keyword: Keyword) {
        let errors = load(
            interviewJSON(items: "{ \"id\": \"\(keyword.rawValue)\", \"kind\": \"rating\", \"prompt\": \"p\" }")
        ).errors
        #expect(errors.contains { $0.code == .invalidID && $0.message.contains("reserved word") }, "\(errors)")
    }
}
