import Testing

@testable import ClinterviewReports

/// The quick look for `"resourceType"` decides whether a file is parsed as
/// FHIR at all: it must find the key wherever it stands, and nothing else.
@Suite struct FHIRSniffingTests {
    static let pieces = [
        "\"resourceType\"", "\"resourceType", "resourceType\"", "\"resource", "Type\"", "\"", "{", "}", " ", "é", "x",
        "\"resourcetype\"",
    ]

    static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { Array(bytes[$0..<($0 + needle.count)]) == needle }
    }

    @Test func findsTheKeyExactlyWhereItIs() {
        var state: UInt64 = 99
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        var found = 0
        for _ in 0..<5_000 {
            let bytes = Array((0..<next(6)).map { _ in Self.pieces[next(Self.pieces.count)] }.joined().utf8)
            let expected = Self.contains(bytes, FHIRSniffing.needle)
            #expect(FHIRSniffing.mayBeResource(bytes) == expected, "\(String(decoding: bytes, as: UTF8.self))")
            if expected { found += 1 }
        }
        #expect(found > 500)
        #expect(FHIRSniffing.mayBeResource([]) == false)
        #expect(FHIRSniffing.mayBeResource(FHIRSniffing.needle))
    }
}
