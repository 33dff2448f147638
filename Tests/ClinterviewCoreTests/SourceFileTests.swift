import Testing
@testable import ClinterviewCore

/// Byte offsets become lines and columns (columns count scalars) through a
/// table of line starts found with `memchr`.
@Suite struct SourceFileTests {
    static func reference(_ bytes: [UInt8], _ offset: Int) -> SourcePosition {
        var line = 1, column = 1
        for byte in bytes.prefix(max(0, min(offset, bytes.count))) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return SourcePosition(line: line, column: column)
    }

    @Test func positionsAgreeWithCountingByteByByte() {
        var rng = SplitMix64(state: 31)
        let pieces: [[UInt8]] = [[0x0A], [0x0A, 0x0A], Array("ab".utf8), Array("é".utf8), Array("😀".utf8), [0x0D, 0x0A], Array("{\"k\": 1}".utf8)]
        for round in 0..<500 {
            let bytes = (0..<Int.random(in: 0...40, using: &rng)).flatMap { _ in pieces.randomElement(using: &rng)! }
            let file = SourceFile(path: "f", bytes: bytes)
            for offset in -1...(bytes.count + 1) {
                #expect(file.location(ofByte: offset) == Self.reference(bytes, offset), "round \(round), offset \(offset)")
            }
        }
    }
}
