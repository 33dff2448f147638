import Foundation

/// The reference interview model (shared/bench/peers/gen.py): modules of 15
/// SCID ratings (1/2/3); the second item asked when the first is 2 or more;
/// then 60 % gated on the first two (either rated 3), 25 % probing the item
/// before (2 or more), 15 % the first item and an earlier item of any module
/// both rated 3; a count of items rated 3 per module, a diagnosis at 5, a
/// total. Generated here from a fixed seed, in the shape of the generator's
/// model-N.json, so the benchmark needs nothing from outside the repository.
/// (The numbers differ from gen.py's: a different random generator.)
enum SyntheticModel {
    struct Term {
        var item: String
        var op: String
        var value: Int
    }

    struct Item {
        var id: String
        var index: Int
        var any: Bool
        var terms: [Term]?
    }

    static let moduleSize = 15
    static let diagnosisThreshold = 5

    static func modules(items count: Int, seed: UInt64) -> [[Item]] {
        var random = SplitMix64(state: seed)
        var modules: [[Item]] = []
        var earlier: [String] = []
        var made = 0
        while made < count {
            let k = modules.count + 1
            var module: [Item] = []
            for j in 1...min(moduleSize, count - made) {
                let id = "m\(k).q\(j)"
                let gate = [Term(item: "m\(k).q1", op: "=", value: 3), Term(item: "m\(k).q2", op: "=", value: 3)]
                switch j {
                case 1: module.append(Item(id: id, index: j, any: false, terms: nil))
                case 2:
                    module.append(
                        Item(id: id, index: j, any: false, terms: [Term(item: "m\(k).q1", op: ">=", value: 2)]))
                default:
                    let r = random.unit()
                    if r < 0.60 || j == 3 {
                        module.append(Item(id: id, index: j, any: true, terms: gate))
                    } else if r < 0.85 {
                        module.append(
                            Item(
                                id: id, index: j, any: false, terms: [Term(item: "m\(k).q\(j - 1)", op: ">=", value: 2)]
                            ))
                    } else {
                        let other = earlier.isEmpty ? "m\(k).q1" : earlier[Int(random.next() % UInt64(earlier.count))]
                        module.append(
                            Item(id: id, index: j, any: false, terms: [gate[0], Term(item: other, op: "=", value: 3)]))
                    }
                }
                earlier.append(id)
            }
            made += module.count
            modules.append(module)
        }
        return modules
    }

    /// The model as the generator's model-N.json has it, for `ReferenceModel.convert`.
    static func referenceModel(_ modules: [[Item]]) -> [String: Any] {
        [
            "dx_threshold": diagnosisThreshold,
            "modules": modules.map { module in
                module.map { item -> [String: Any] in
                    guard let terms = item.terms else { return ["id": item.id] }
                    return [
                        "id": item.id,
                        "cond": [
                            "behavior": item.any ? "any" : "all",
                            "terms": terms.map { [$0.item, $0.op, $0.value] as [Any] },
                        ],
                    ]
                }
            },
        ]
    }

    static func isEnabled(_ item: Item, _ answers: [String: Int]) -> Bool {
        guard let terms = item.terms else { return true }
        func holds(_ term: Term) -> Bool {
            guard let answer = answers[term.item] else { return false }
            return term.op == "=" ? answer == term.value : answer >= term.value
        }
        return item.any ? terms.contains(where: holds) : terms.allSatisfy(holds)
    }

    /// Recorded sessions: each enabled item rated at random (screeners 45/15/40
    /// per cent for 1/2/3, the rest 35/15/50), as gen.py does.
    static func sessions(_ modules: [[Item]], count: Int, seed: UInt64) -> [[String: Int]] {
        var random = SplitMix64(state: seed)
        return (0..<count).map { _ in
            var answers: [String: Int] = [:]
            for item in modules.joined() where isEnabled(item, answers) {
                let r = random.unit()
                let (one, two) = item.index <= 2 ? (0.45, 0.60) : (0.35, 0.50)
                answers[item.id] = r < one ? 1 : (r < two ? 2 : 3)
            }
            return answers
        }
    }

    /// Enabled items, total and diagnoses over all sessions, by the model's
    /// own rules: what the engine's replay must reproduce.
    static func checksum(_ modules: [[Item]], _ sessions: [[String: Int]]) -> [String: Int] {
        var enabled = 0, total = 0, diagnoses = 0
        for answers in sessions {
            enabled += modules.joined().filter { isEnabled($0, answers) }.count
            total += answers.values.reduce(0, +)
            diagnoses +=
                modules.filter { module in module.filter { answers[$0.id] == 3 }.count >= diagnosisThreshold }.count
        }
        return ["enabled_items": enabled, "total": total, "dx": diagnoses]
    }
}

/// A small seeded generator (SplitMix64): the same numbers on every platform.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
