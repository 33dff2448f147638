/// Receives one JSON value as a sequence of events. A result written once as
/// events comes out either as a tree (`JSONTreeBuilder`, to compare or
/// inspect) or straight as bytes (`JSONWriter`, to print), so that printing
/// does not build and free a tree.
protocol JSONEmitter {
    mutating func beginObject()
    mutating func beginArray()
    /// Closes the innermost open object or array.
    mutating func end()
    /// Names the next value; only inside an object.
    mutating func key(_ key: String)
    mutating func string(_ value: String)
    mutating func number(_ value: Double)
    mutating func bool(_ value: Bool)
    mutating func null()
}

extension JSONEmitter {
    mutating func member(_ key: String, _ value: String) {
        self.key(key)
        string(value)
    }

    mutating func member(_ key: String, _ value: String?) {
        self.key(key)
        if let value { string(value) } else { null() }
    }

    mutating func member(_ key: String, number value: Double?) {
        self.key(key)
        if let value { number(value) } else { null() }
    }

    mutating func strings(_ key: String, _ values: [String]) {
        self.key(key)
        beginArray()
        for value in values { string(value) }
        end()
    }

    /// The events of a whole tree.
    mutating func emit(_ output: JSONOutput) {
        switch output {
        case .null: null()
        case .bool(let value): bool(value)
        case .number(let value): number(value)
        case .string(let value): string(value)
        case .array(let elements):
            beginArray()
            for element in elements { emit(element) }
            end()
        case .object(let members):
            beginObject()
            for (key, value) in members {
                self.key(key)
                emit(value)
            }
            end()
        }
    }
}

/// Writes JSON bytes exactly as `JSONOutput.serialized(indent:)` writes the
/// same value: compact when `indent` is nil, else one member per line.
struct JSONWriter: JSONEmitter {
    private(set) var bytes: [UInt8] = []
    private let indent: [UInt8]?
    /// For each open container: its closing byte and whether it has a member yet.
    private var open: [(closer: UInt8, hasMembers: Bool)] = []
    private var afterKey = false

    init(indent: String?, capacity: Int = 1024) {
        self.indent = indent.map { Array($0.utf8) }
        bytes.reserveCapacity(capacity)
        open.reserveCapacity(8)
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func newline(padding level: Int) {
        guard let indent else { return }
        bytes.append(UInt8(ascii: "\n"))
        for _ in 0..<level { bytes += indent }
    }

    /// The comma and line break before a value or key, as its container needs.
    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
            return
        }
        guard let last = open.indices.last else { return }
        if open[last].hasMembers { bytes.append(UInt8(ascii: ",")) }
        open[last].hasMembers = true
        newline(padding: open.count)
    }

    private mutating func begin(_ opener: UInt8, _ closer: UInt8) {
        beforeValue()
        bytes.append(opener)
        open.append((closer, false))
    }

    mutating func beginObject() { begin(UInt8(ascii: "{"), UInt8(ascii: "}")) }
    mutating func beginArray() { begin(UInt8(ascii: "["), UInt8(ascii: "]")) }

    mutating func end() {
        let closed = open.removeLast()
        if closed.hasMembers { newline(padding: open.count) }
        bytes.append(closed.closer)
    }

    mutating func key(_ key: String) {
        beforeValue()
        JSONOutput.appendQuoted(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        if indent != nil { bytes.append(UInt8(ascii: " ")) }
        afterKey = true
    }

    mutating func string(_ value: String) {
        beforeValue()
        JSONOutput.appendQuoted(value, to: &bytes)
    }

    mutating func number(_ value: Double) {
        beforeValue()
        var text = value.isFinite ? formatNumber(value) : "null"
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func bool(_ value: Bool) {
        beforeValue()
        bytes += (value ? "true" : "false").utf8
    }

    mutating func null() {
        beforeValue()
        bytes += "null".utf8
    }
}

/// Builds the `JSONOutput` tree of the events.
struct JSONTreeBuilder: JSONEmitter {
    private enum Frame {
        case object([(String, JSONOutput)], key: String?)
        case array([JSONOutput])
    }

    private var frames: [Frame] = []
    private(set) var result: JSONOutput = .null

    private mutating func add(_ value: JSONOutput) {
        guard let frame = frames.popLast() else {
            result = value
            return
        }
        switch frame {
        case .object(var members, let key):
            members.append((key ?? "", value))
            frames.append(.object(members, key: nil))
        case .array(var elements):
            elements.append(value)
            frames.append(.array(elements))
        }
    }

    mutating func beginObject() { frames.append(.object([], key: nil)) }
    mutating func beginArray() { frames.append(.array([])) }

    mutating func end() {
        switch frames.removeLast() {
        case .object(let members, _): add(.object(members))
        case .array(let elements): add(.array(elements))
        }
    }

    mutating func key(_ key: String) {
        guard case .object(let members, _) = frames.popLast() else { return }
        frames.append(.object(members, key: key))
    }

    mutating func string(_ value: String) { add(.string(value)) }
    mutating func number(_ value: Double) { add(.number(value)) }
    mutating func bool(_ value: Bool) { add(.bool(value)) }
    mutating func null() { add(.null) }
}
