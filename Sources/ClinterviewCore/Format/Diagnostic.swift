/// One problem found in an input file, printed as `FILE:LINE:COLUMN: error: MESSAGE [code]`.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        /// A note says what was not checked; it never fails `validate --strict`.
        case error, warning, note
    }

    public var severity: Severity
    /// The kind of problem, printed as its stable code, e.g. `unknown-reference`.
    public var code: DiagnosticCode
    public var file: String
    public var location: SourcePosition
    public var message: String

    public init(_ severity: Severity, code: DiagnosticCode, file: String, location: SourcePosition, message: String) {
        self.severity = severity
        self.code = code
        self.file = file
        self.location = location
        self.message = message
    }

    public var description: String {
        "\(file):\(location.line):\(location.column): \(severity.rawValue): \(message) [\(code.rawValue)]"
    }
}

/// Collects diagnostics for one source file.
public struct DiagnosticSink: Sendable {
    public let source: SourceFile
    public private(set) var diagnostics: [Diagnostic] = []

    public init(source: SourceFile) {
        self.source = source
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public mutating func error(_ code: DiagnosticCode, at offset: Int, _ message: String) {
        add(.error, code, at: offset, message)
    }

    public mutating func warning(_ code: DiagnosticCode, at offset: Int, _ message: String) {
        add(.warning, code, at: offset, message)
    }

    public mutating func note(_ code: DiagnosticCode, at offset: Int, _ message: String) {
        add(.note, code, at: offset, message)
    }

    /// Takes over what another sink for the same file collected.
    mutating func append(_ other: DiagnosticSink) {
        diagnostics += other.diagnostics
    }

    mutating func add(_ severity: Diagnostic.Severity, _ code: DiagnosticCode, at offset: Int, _ message: String) {
        diagnostics.append(
            Diagnostic(
                severity, code: code, file: source.path, location: source.location(ofByte: offset), message: message))
    }

    public var sorted: [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            a.element.location != b.element.location ? a.element.location < b.element.location : a.offset < b.offset
        }.map(\.element)
    }
}

public enum Suggestion {
    /// The candidate closest to `word` by edit distance, if it is close enough
    /// to be a likely typo; of equally close ones, the first in alphabetical
    /// order, so the message does not depend on the order of a set.
    static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let limit = max(2, word.count / 3)
        var best: (String, Int)?
        for candidate in candidates {
            guard abs(candidate.count - word.count) <= limit else { continue }
            let distance = editDistance(word.lowercased(), candidate.lowercased())
            guard distance <= limit else { continue }
            if let (name, least) = best, distance > least || (distance == least && name < candidate) { continue }
            best = (candidate, distance)
        }
        return best?.0
    }

    public static func didYouMean(_ word: String, in candidates: some Sequence<String>) -> String {
        closest(to: word, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
