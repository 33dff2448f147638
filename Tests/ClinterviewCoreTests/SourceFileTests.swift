import ClinterviewTestSupport
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

    /// Lines far longer than the 4 KB between column checkpoints (a
    /// definition written on one line), with characters of every length
    /// across the checkpoints, and files ending on one.
    @Test(arguments: [0, 1, 3])
    func positionsOnLongLinesAgreeWithCountingByteByByte(newlines: Int) {
        var rng = SplitMix64(state: 32 + UInt64(newlines))
        let pieces: [[UInt8]] = [
            Array("ab".utf8), Array("é".utf8), Array("日".utf8), Array("😀".utf8), Array("{\"k\": 1}".utf8),
        ]
        var bytes: [UInt8] = []
        while bytes.count < 5 * 4096 { bytes += pieces.randomElement(using: &rng)! }
        for _ in 0..<newlines { bytes.insert(0x0A, at: Int.random(in: 0..<bytes.count, using: &rng)) }
        for length in [bytes.count, 4 * 4096, 4 * 4096 + 1] {
            let prefix = Array(bytes.prefix(length))
            let file = SourceFile(path: "f", bytes: prefix)
            var offsets = Set((0..<300).map { _ in Int.random(in: 0...prefix.count, using: &rng) })
            for checkpoint in 0...(prefix.count / 4096 + 1) {
                for delta in -2...2 { offsets.insert(checkpoint * 4096 + delta) }
            }
            for offset in offsets.sorted() {
                #expect(
                    file.location(ofByte: offset) == Self.reference(prefix, offset),
                    "length \(length), offset \(offset)")
            }
        }
    }

    @Test func positionsAgreeWithCountingByteByByte() {
        var rng = SplitMix64(state: 31)
        let pieces: [[UInt8]] = [
            [0x0A], [0x0A, 0x0A], Array("ab".utf8), Array("é".utf8), Array("😀".utf8), [0x0D, 0x0A],
            Array("{\"k\": 1}".utf8),
        ]
        for round in 0..<500 {
            let bytes = (0..<Int.random(in: 0...40, using: &rng)).flatMap { _ in pieces.randomElement(using: &rng)! }
            let file = SourceFile(path: "f", bytes: bytes)
            for offset in -1...(bytes.count + 1) {
                #expect(
                    file.location(ofByte: offset) == Self.reference(bytes, offset), "round \(round), offset \(offset)")
            }
        }
    }
}
