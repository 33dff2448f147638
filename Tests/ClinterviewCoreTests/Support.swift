import Foundation
import Testing

@testable import ClinterviewCore

func load(_ text: String, path: String = "test.json") -> LoadResult {
    InterviewLoader.load(source: SourceFile(path: path, text: text))
}

func loadOrFail(_ text: String) throws -> Interview {
    let result = load(text)
    guard let interview = result.interview else {
        throw TestFailure(result.diagnostics.map(\.description).joined(separator: "\n"))
    }
    return interview
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A minimal interview around the given items and rules, for focused tests.
func interviewJSON(items: String, rules: String = "", sections: String? = nil) -> String {
    let body =
        sections ?? """
            [{ "id": "s1", "title": "S", "items": [\(items)] }]
            """
    return """
        {
          "format": "clinterview/1", "id": "t", "version": "1", "title": "T",
          "modules": [{ "id": "m1", "title": "M", "sections": \(body) }]\(rules.isEmpty ? "" : ",\n  " + rules)
        }
        """
}

/// Nine SCID-rated items A1..A9 and a gate-less section.
let ratingItems = (1...9).map { "{ \"id\": \"A\($0)\", \"kind\": \"rating\", \"prompt\": \"p\" }" }.joined(
    separator: ", ")

/// Evaluates `expression` as a criterion in an interview with items A1..A9, answered as given.
func evaluateCriterion(
    _ expression: String, answers: [String: AnswerInput], extraItems: String = ""
) throws -> (Status, [String]) {
    let items = ratingItems + (extraItems.isEmpty ? "" : ", " + extraItems)
    let interview = try loadOrFail(
        interviewJSON(
            items: items,
            rules: """
                "criteria": [{ "id": "c", "label": "c", "rule": "\(expression.replacingOccurrences(of: "\"", with: "\\\""))" }],
                "diagnoses": [{ "id": "d", "label": "d", "rule": "c", "criteria": ["c"] }]
                """))
    var recorded = [ItemState](repeating: .open, count: interview.items.count)
    for (id, input) in answers {
        let index = try #require(interview.itemIndex[id])
        switch interview.items[index].record(input) {
        case .success(let answer): recorded[index] = answer.itemState
        case .failure(let rejection): throw TestFailure(rejection.message)
        }
    }
    let evaluation = interview.evaluate(recorded: recorded)
    let criterion = try #require(evaluation.criterion("c"))
    return (criterion.status, criterion.blocking)
}

/// Any value as text: every stored field by reflection, with the entries of
/// dictionaries and sets sorted (their order depends on each table's seed).
func canonical(_ value: Any) -> String {
    let mirror = Mirror(reflecting: value)
    switch mirror.displayStyle {
    case .dictionary?, .set?:
        return "{" + mirror.children.map { canonical($0.value) }.sorted().joined(separator: ", ") + "}"
    case .optional?:
        return mirror.children.first.map { canonical($0.value) } ?? "nil"
    case .enum? where mirror.children.isEmpty, nil:
        return String(describing: value)
    default:
        let fields = mirror.children.map { "\($0.label ?? "")=\(canonical($0.value))" }
        return "\(mirror.subjectType)(\(fields.joined(separator: ", ")))"
    }
}
