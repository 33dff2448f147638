import ClinterviewCore
import Foundation

/// The reference interview model: the abstract interview that the same work is
/// run on in other engines (JavaRosa, FHIR tooling, ODK, JsonLogic), generated
/// by shared/bench/peers/gen.py (model-N.json), written
/// Clinterview's format, with FHIR's meaning kept: an unanswered item makes a
/// condition false, so the enabled counts match the generator's checksum.
enum ReferenceModel {
    static func id(_ linkID: String) -> String { linkID.replacingOccurrences(of: ".", with: "_") }

    /// The definition as JSON text.
    static func convert(_ model: [String: Any]) -> String {
        let modules = model["modules"] as? [[[String: Any]]] ?? []
        let threshold = model["dx_threshold"] as? Int ?? 5
        var moduleJSON: [JSONOutput] = []
        var values: [JSONOutput] = []
        var criteria: [JSONOutput] = []
        var diagnoses: [JSONOutput] = []
        var firstItem: String?
        var lastItem: String?
        for (index, module) in modules.enumerated() {
            let k = index + 1
            var items: [JSONOutput] = []
            for item in module {
                let itemID = id(item["id"] as? String ?? "")
                firstItem = firstItem ?? itemID
                lastItem = itemID
                var fields: [(String, JSONOutput)] = [
                    ("id", .string(itemID)), ("kind", .string("rating")), ("scale", .string("r123")),
                    ("prompt", .string("Module \(k): rate the symptom")),
                ]
                if let condition = item["cond"] as? [String: Any], let terms = condition["terms"] as? [[Any]] {
                    let parts = terms.map { term -> String in
                        let q = id(term[0] as? String ?? "")
                        let op = (term[1] as? String) == "=" ? "==" : ">="
                        return "(answered(\(q)) and \(q) \(op) \(term[2]))"
                    }
                    fields.append(
                        (
                            "when",
                            .string(
                                parts.joined(separator: (condition["behavior"] as? String) == "any" ? " or " : " and "))
                        ))
                }
                items.append(.object(fields))
            }
            moduleJSON.append(
                .object([
                    ("id", .string("mod\(k)")), ("title", .string("Module \(k)")),
                    (
                        "sections",
                        .array([
                            .object([
                                ("id", .string("sec\(k)")), ("title", .string("Module \(k)")), ("items", .array(items)),
                            ])
                        ])
                    ),
                ]))
            // FHIR's meaning: an item not answered (disabled) is not rated 3.
            let terms = module.map { item -> String in
                let q = id(item["id"] as? String ?? "")
                return "if(answered(\(q)) and \(q) == 3, 1, 0)"
            }
            values.append(.object([("id", .string("count\(k)")), ("expr", .string(terms.joined(separator: " + ")))]))
            criteria.append(
                .object([
                    ("id", .string("crit\(k)")), ("label", .string("Module \(k): \(threshold) or more rated 3")),
                    ("rule", .string("count\(k) >= \(threshold)")),
                ]))
            diagnoses.append(
                .object([
                    ("id", .string("dx\(k)")), ("label", .string("Module \(k) diagnosis")),
                    ("rule", .string("crit\(k)")),
                    ("criteria", .array([.string("crit\(k)")])),
                ]))
        }
        var scores: [JSONOutput] = []
        if let firstItem, let lastItem {
            // The sum of the answers given: the mean of the answered times their number.
            let list = "\(firstItem)..\(lastItem)"
            scores.append(
                .object([
                    ("id", .string("total")), ("label", .string("Total")),
                    ("expr", .string("if(known_count(\(list)) == 0, 0, round(mean(\(list)) * known_count(\(list))))")),
                ]))
        }
        let definition = JSONOutput.object([
            ("format", .string("clinterview/1")), ("id", .string("peers-model")), ("version", .string("1")),
            ("title", .string("Benchmark reference interview model")),
            (
                "scales",
                .array([
                    .object([
                        ("id", .string("r123")),
                        (
                            "options",
                            .array(
                                [1, 2, 3].map { .object([("code", .number(Double($0))), ("label", .string("\($0)"))]) })
                        ),
                    ])
                ])
            ),
            ("modules", .array(moduleJSON)), ("values", .array(values)), ("criteria", .array(criteria)),
            ("diagnoses", .array(diagnoses)), ("scores", .array(scores)),
        ])
        return definition.serialized()
    }

    /// One recorded session (a line of answers-M.ndjson) as an answer file.
    static func answerFile(_ ratings: [String: Int]) -> String {
        let answers = ratings.sorted { $0.key < $1.key }.map { (id($0.key), JSONOutput.number(Double($0.value))) }
        return JSONOutput.object([("interview", .string("peers-model")), ("answers", .object(answers))]).serialized()
    }
}
