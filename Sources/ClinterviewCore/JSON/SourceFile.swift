import Foundation

/// A 1-based line and column. Columns count Unicode scalars, as most editors do.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// The bytes of one input file and a table of where its lines start, so that a
/// byte offset can be turned into a line and column only when a message needs it.
public struct SourceFile: Sendable {
    public let path: String
    public let bytes: [UInt8]
    private let lineStarts: [Int]
    /// Only for a file with a line longer than the checkpoints' stride: most
    /// files (and the thousands of answer files of a replay) need none.
    private let columns: ColumnCheckpoints?

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        // `memchr` jumps from newline to newline many bytes at a time; a loop
        // over every byte was 1.7 % of loading a large definition.
        var starts = [0]
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var position = 0
            while position < buffer.count, let found = memchr(base + position, 0x0A, buffer.count - position) {
                position = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
                starts.append(position)
            }
        }
        self.lineStarts = starts
        var longestLine = bytes.count - starts[starts.count - 1]
        for index in starts.indices.dropFirst() { longestLine = max(longestLine, starts[index] - starts[index - 1]) }
        columns = longestLine > ColumnCheckpoints.stride ? ColumnCheckpoints() : nil
    }

    public init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    public func location(ofByte offset: Int) -> SourcePosition {
        let clamped = max(0, min(offset, bytes.count))
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
        }
        var column = 1
        var index = lineStarts[low]
        if clamped - index > ColumnCheckpoints.stride, let columns {
            let checkpoint = clamped / ColumnCheckpoints.stride
            column += columns.scalarsBefore(checkpoint, in: bytes)
            index = checkpoint * ColumnCheckpoints.stride
        }
        while index < clamped {
            // Count only the first byte of each UTF-8 sequence.
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return SourcePosition(line: low + 1, column: column)
    }
}

/// For every 4 KB of a file, how many characters (UTF-8 lead bytes) its line
/// has before that byte. Made the first time a position lies far into a long
/// line: counting from the line's start for each message made a definition
/// written on one line (as programs write JSON) with many problems take
/// minutes; now each message counts at most 4 KB.
private final class ColumnCheckpoints: @unchecked Sendable {
    static let stride = 4096
    private let lock = NSLock()
    private var counts: [Int]?

    /// Characters of its line before byte `checkpoint * stride`.
    func scalarsBefore(_ checkpoint: Int, in bytes: [UInt8]) -> Int {
        lock.lock()
        defer { lock.unlock() }
        if counts == nil { counts = Self.count(bytes) }
        return counts![checkpoint]
    }

    private static func count(_ bytes: [UInt8]) -> [Int] {
        var counts = [Int]()
        counts.reserveCapacity(bytes.count / stride + 1)
        var sinceLineStart = 0
        bytes.withUnsafeBufferPointer { buffer in
            for index in buffer.indices {
                if index % stride == 0 { counts.append(sinceLineStart) }
                let byte = buffer[index]
                if byte == 0x0A { sinceLineStart = 0 } else if byte & 0xC0 != 0x80 { sinceLineStart += 1 }
            }
        }
        if bytes.count % stride == 0 { counts.append(sinceLineStart) }
        return counts
    }
}
