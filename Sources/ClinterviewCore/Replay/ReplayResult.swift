/// The outcome of walking one answer file through the engine.
public struct ReplayResult: Sendable {
    public static let keys = ["asked", "missing", "unused", "skipped", "rejected", "checks", "criteria", "diagnoses", "scores", "alerts"]

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

    public var json: JSONOutput {
        func strings(_ list: [String]) -> JSONOutput { .array(list.map(JSONOutput.string)) }
        func rule(_ result: RuleResult) -> JSONOutput { .string(result.status.rawValue) }
        var members: [(String, JSONOutput)] = [
            ("file", .string(file)),
            ("interview", .object([("id", .string(interviewID)), ("version", .string(interviewVersion))])),
        ]
        if let client { members.append(("client", .string(client))) }
        if let rater { members.append(("rater", .string(rater))) }
        if let role { members.append(("role", .string(role))) }
        members += [
            ("asked", strings(asked)),
            ("missing", strings(missing)),
            ("unused", strings(unused)),
            ("skipped", .object(skipped.map { ($0.item, .string($0.reason)) })),
            ("rejected", .array(rejected.map { .object([("item", .string($0.item)), ("message", .string($0.message))]) })),
            ("checks", .array(checks.map { entry in
                var fields: [(String, JSONOutput)] = [("id", .string(entry.check.id)), ("item", .string(entry.item)),
                                                      ("severity", .string(entry.check.severity.rawValue)), ("message", .string(entry.check.message))]
                fields.append(("overridden", entry.check.overrideReason.map(JSONOutput.string) ?? .bool(false)))
                return .object(fields)
            })),
            ("criteria", .object(evaluation.criteria.map { ($0.id, rule($0)) })),
            ("diagnoses", .object(evaluation.diagnoses.map { diagnosis in
                (diagnosis.id, .object([
                    ("status", .string(diagnosis.status.rawValue)),
                    ("label", .string(diagnosis.label)),
                    ("evidence", .object(diagnosis.evidence.map { ($0.id, rule($0)) })),
                    ("blocking", strings(diagnosis.blocking)),
                ]))
            })),
            ("scores", .object(evaluation.scores.map { score in
                var fields: [(String, JSONOutput)] = [("value", score.value.map(JSONOutput.number) ?? .null), ("band", score.band.map(JSONOutput.string) ?? .null)]
                if score.value == nil {
                    if let low = score.low { fields.append(("low", .number(low))) }
                    if let high = score.high { fields.append(("high", .number(high))) }
                    fields.append(("blocking", strings(score.blocking)))
                }
                return (score.id, .object(fields))
            })),
            ("alerts", .array(evaluation.alerts.map { .object([("id", .string($0.id)), ("severity", .string($0.severity.rawValue))]) })),
        ]
        return .object(members)
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
    public static func compare(_ expect: JSONNode, with result: JSONOutput, source: SourceFile) -> [ExpectationMismatch] {
        var mismatches: [ExpectationMismatch] = []
        match(expect, result, path: "", source: source, into: &mismatches)
        return mismatches
    }

    private static func match(_ expected: JSONNode, _ actual: JSONOutput?, path: String, source: SourceFile, into mismatches: inout [ExpectationMismatch]) {
        func mismatch(_ actualText: String) {
            mismatches.append(ExpectationMismatch(path: path, expected: describe(expected.output), actual: actualText,
                                                  location: source.location(ofByte: expected.offset), file: source.path))
        }
        guard let actual else {
            mismatch("absent")
            return
        }
        switch (expected.value, actual) {
        case (.object(let members), .object):
            for member in members.members {
                match(member.value, actual[member.key], path: path.isEmpty ? member.key : "\(path).\(member.key)", source: source, into: &mismatches)
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
