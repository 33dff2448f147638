/// The outcome of walking one answer file through the engine.
public struct ReplayResult: Sendable {
    public static let keys = [
        "asked", "missing", "unused", "skipped", "rejected", "checks", "criteria", "diagnoses", "scores", "alerts",
    ]

    public var file: String
    public var interviewID: String
    public var interviewVersion: String
    public var client: String?
    public var rater: String?
    public var role: String?
    /// Answerable items on the route, in order.
    public var asked: [String] = []
    /// Items on the route with no answer in the file.
    public var missing: [String] = []
    /// Answers in the file for items the route skipped.
    public var unused: [String] = []
    public var skipped: [(item: String, reason: String)] = []
    public var rejected: [(item: String, message: String)] = []
    public var checks: [(item: String, check: FiredCheck)] = []
    public var evaluation: Evaluation
    /// The session as the walk left it.
    public var session: Session?

    /// The result as a tree, for comparing with an answer file's `expect` block.
    public var json: JSONOutput {
        var builder = JSONTreeBuilder()
        emit(to: &builder)
        return builder.result
    }

    /// The parts of the result an `expect` block names (its keys, and the
    /// criteria, diagnoses and scores it lists): all a check compares, since
    /// objects match when every key given matches. 250 core vignettes check
    /// in about half the time of building whole results.
    public func json(for expect: JSONNode) -> JSONOutput {
        var builder = JSONTreeBuilder()
        emit(to: &builder, only: Selection(expect))
        return builder.result
    }

    /// Which members to write: nil, every one.
    struct Selection {
        var keys: Set<String>?
        var ids: [String: Set<String>] = [:]

        static let everything = Selection(keys: nil)

        init(keys: Set<String>?) {
            self.keys = keys
        }

        init(_ expect: JSONNode) {
            guard case .object(let object) = expect.value else {
                keys = nil
                return
            }
            keys = Set(object.members.map(\.key))
            for member in object.members where ["criteria", "diagnoses", "scores"].contains(member.key) {
                if case .object(let listed) = member.value.value { ids[member.key] = Set(listed.members.map(\.key)) }
            }
        }

        func wants(_ key: String) -> Bool { keys?.contains(key) ?? true }
        func wants(_ id: String, in key: String) -> Bool { ids[key]?.contains(id) ?? true }
    }

    /// The result as JSON text, the same as `json.serialized(indent:)`, written
    /// without building the tree (a directory replay prints thousands).
    public func serializedJSON(indent: String?) -> String {
        var writer = JSONWriter(indent: indent, capacity: 2048)
        emit(to: &writer)
        return writer.text
    }

    func emit<Emitter: JSONEmitter>(to out: inout Emitter, only selection: Selection = .everything) {
        out.beginObject()
        out.member("file", file)
        out.key("interview")
        out.beginObject()
        out.member("id", interviewID)
        out.member("version", interviewVersion)
        out.end()
        if let client { out.member("client", client) }
        if let rater { out.member("rater", rater) }
        if let role { out.member("role", role) }
        if selection.wants("asked") { out.strings("asked", asked) }
        out.strings("missing", missing)
        if selection.wants("unused") { out.strings("unused", unused) }
        out.key("skipped")
        out.beginObject()
        for (item, reason) in skipped { out.member(item, reason) }
        out.end()
        out.key("rejected")
        out.beginArray()
        for (item, message) in rejected {
            out.beginObject()
            out.member("item", item)
            out.member("message", message)
            out.end()
        }
        out.end()
        out.key("checks")
        out.beginArray()
        for (item, check) in checks {
            out.beginObject()
            out.member("id", check.id)
            out.member("item", item)
            out.member("severity", check.severity.rawValue)
            out.member("message", check.message)
            out.key("overridden")
            if let reason = check.overrideReason { out.string(reason) } else { out.bool(false) }
            out.end()
        }
        out.end()
        if selection.wants("criteria") {
            out.key("criteria")
            out.beginObject()
            for criterion in evaluation.criteria where selection.wants(criterion.id, in: "criteria") {
                out.member(criterion.id, criterion.status.rawValue)
            }
            out.end()
        }
        out.key("diagnoses")
        out.beginObject()
        for diagnosis in evaluation.diagnoses where selection.wants(diagnosis.id, in: "diagnoses") {
            out.key(diagnosis.id)
            out.beginObject()
            out.member("status", diagnosis.status.rawValue)
            out.member("period", diagnosis.period.rawValue)
            out.member("label", diagnosis.label)
            out.key("evidence")
            out.beginObject()
            for evidence in diagnosis.evidence { out.member(evidence.id, evidence.status.rawValue) }
            out.end()
            out.strings("blocking", diagnosis.blocking)
            out.end()
        }
        out.end()
        out.key("scores")
        out.beginObject()
        for score in evaluation.scores where selection.wants(score.id, in: "scores") {
            out.key(score.id)
            out.beginObject()
            out.member("value", number: score.value)
            out.member("band", score.band)
            if score.value == nil {
                if let low = score.low { out.member("low", number: low) }
                if let high = score.high { out.member("high", number: high) }
                out.strings("blocking", score.blocking)
            }
            out.end()
        }
        out.end()
        out.key("alerts")
        out.beginArray()
        for alert in evaluation.alerts {
            out.beginObject()
            out.member("id", alert.id)
            out.member("severity", alert.severity.rawValue)
            out.end()
        }
        out.end()
        out.end()
    }
}

/// One way in which a replay differs from what its answer file expects.
public struct ExpectationMismatch: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var expected: String
    public var actual: String
    public var location: SourcePosition
    public var file: String

    public var description: String {
        "\(file):\(location.line):\(location.column): expected \(path) to be \(expected), got \(actual)"
    }
}

public enum Expectations {
    /// Compares `expect` (any subset of the result's keys) with the result.
    /// A string or number stands for an object's `status`, `value` or `id`.
    public static func compare(_ expect: JSONNode, with result: JSONOutput, source: SourceFile) -> [ExpectationMismatch]
    {
        var mismatches: [ExpectationMismatch] = []
        match(expect, result, path: "", source: source, into: &mismatches)
        return mismatches
    }

    private static func match(
        _ expected: JSONNode, _ actual: JSONOutput?, path: String, source: SourceFile,
        into mismatches: inout [ExpectationMismatch]
    ) {
        func mismatch(_ actualText: String) {
            mismatches.append(
                ExpectationMismatch(
                    path: path, expected: describe(expected.output), actual: actualText,
                    location: source.location(ofByte: expected.offset), file: source.path))
        }
        guard let actual else {
            mismatch("absent")
            return
        }
        switch (expected.value, actual) {
        case (.object(let members), .object):
            for member in members.members {
                match(
                    member.value, actual[member.key], path: path.isEmpty ? member.key : "\(path).\(member.key)",
                    source: source, into: &mismatches)
            }
        case (.array(let elements), .array(let actualElements)):
            guard elements.count == actualElements.count else {
                mismatch(describe(actual))
                return
            }
            var inner: [ExpectationMismatch] = []
            for (index, element) in elements.enumerated() {
                match(element, actualElements[index], path: "\(path)[\(index)]", source: source, into: &inner)
            }
            if !inner.isEmpty { mismatch(describe(actual)) }
        case (.string, .object), (.number, .object), (.null, .object), (.bool, .object):
            let shorthand = ["status", "value", "id"].first { actual[$0] != nil }
            guard let key = shorthand else {
                mismatch(describe(actual))
                return
            }
            match(expected, actual[key], path: "\(path).\(key)", source: source, into: &mismatches)
        case (.number(let x), .number(let y)):
            if abs(x.value - y) > 1e-9 * max(1, abs(y)) { mismatch(describe(actual)) }
        default:
            if expected.output != actual { mismatch(describe(actual)) }
        }
    }

    static func describe(_ output: JSONOutput) -> String {
        output.serialized()
    }
}
