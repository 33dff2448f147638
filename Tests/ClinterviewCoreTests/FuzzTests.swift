import ClinterviewTestSupport
import Foundation
import Testing

@testable import ClinterviewCore

/// Random and mutated definitions must always give either an interview or a
/// positioned error, never a crash or a hang; loaded ones are then run.
@Suite struct FuzzTests {
    static let fragments: [String] = [
        "{", "}", "[", "]", "\"", ",", ":", "null", "true", "1e999", "-0", "12345678901234567890", "\\u0000", "\\ud800",
        "\"when\": \"A1 ==\"", "\"when\": \"count(A1..A9, == 3) >= 5\"", "\"kind\": \"rating\"",
        "\"kind\": \"duration\"",
        "\"id\": \"A1\"", "\"id\": \"and\"", "((((((", "))", "A1..A9", "\"expr\": \"sum(A9..A1)\"", "\"options\": []",
        "\"rule\": \"mde_symptoms_met and not mde_symptoms_met\"", "\"scale\": \"nope\"", "\"min\": 5, \"max\": 1",
        "é日😀",
    ]

    static let expressionPieces = [
        "A1", "A2", "A9", "mde_duration", "mde_organic", "age", "==", "!=", ">=", "<", "and", "or", "not",
        "3", "?", "2 weeks", "@2024-02-30", "(", ")", "[", "]", ",", "count(", "sum(", "if(", "A1..A9",
        "in", "+", "*", "/", "-", "'x'", "true", "answered(", "weight(", "mde_symptoms_met", "1e400", "..",
    ]

    static let corpus: [[UInt8]] = {
        var files = [Repository.path("Interviews/sample.json")]
        files += Repository.files(in: "Tests/LintFixtures", ending: ".json").map {
            Repository.path("Tests/LintFixtures/\($0)")
        }
        return files.compactMap { try? [UInt8](Data(contentsOf: URL(fileURLWithPath: $0))) }
    }()

    func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        ByteMutator(fragments: Self.fragments, expressionPieces: Self.expressionPieces).mutate(input, &rng)
    }

    /// A random but well-formed interview: items of every kind, conditions and
    /// rules over earlier items, so that most of them load and run.
    func generate(_ rng: inout SplitMix64) -> [UInt8] {
        let kinds = ["rating", "yesno", "choice", "integer", "duration", "multichoice", "text", "display"]
        var items: [String] = []
        var ratings: [String] = []
        for index in 0..<Int.random(in: 1...25, using: &rng) {
            let id = "I\(index)"
            let kind = kinds.randomElement(using: &rng)!
            var fields = "\"id\": \"\(id)\", \"kind\": \"\(kind)\", \"prompt\": \"p\""
            if kind == "choice" || kind == "multichoice" {
                fields +=
                    ", \"options\": [{\"code\": 0, \"label\": \"a\"}, {\"code\": 1, \"label\": \"b\"}, {\"code\": \"x\", \"label\": \"?\", \"unknown\": true}]"
            }
            if kind == "integer" { fields += ", \"min\": 0, \"max\": 100" }
            if let earlier = ratings.randomElement(using: &rng), Bool.random(using: &rng) {
                let test = [
                    "\(earlier) == 3", "\(earlier) >= 2", "not inadequate(\(earlier))", "\(earlier) in [1, 2]",
                    "answered(\(earlier))",
                ].randomElement(using: &rng)!
                fields += ", \"when\": \"\(test)\""
            }
            if kind == "rating" { ratings.append(id) }
            items.append("{ \(fields) }")
        }
        var rules = ""
        if ratings.count >= 2 {
            let range = "\(ratings.first!)..\(ratings.last!)"
            let threshold = Int.random(in: 0...ratings.count, using: &rng)
            rules = """
                , "criteria": [{ "id": "c", "label": "c", "rule": "count(\(range), == 3) >= \(threshold) or \(ratings[0]) == 3" }],
                  "diagnoses": [{ "id": "d", "label": "d", "rule": "c", "criteria": ["c"] }],
                  "scores": [{ "id": "s", "label": "s", "expr": "sum(\(range))", "bands": [{ "min": 0, "max": 10, "label": "low" }, { "min": 11, "max": 1000, "label": "high" }] }],
                  "alerts": [{ "id": "al", "severity": "urgent", "when": "\(ratings.last!) == 3", "message": "m" }]
                """
        }
        let text = """
            { "format": "clinterview/1", "id": "g", "version": "1", "title": "G",
              "modules": [{ "id": "m", "title": "M", "sections": [{ "id": "s1", "title": "S", "items": [\(items.joined(separator: ", "))] }] }]\(rules) }
            """
        return Array(text.utf8)
    }

    @Test func mutatedDefinitionsGiveADiagnosticOrAnInterview() {
        var rng = SplitMix64(state: 20_261_127)
        var loaded = 0
        for iteration in 0..<3_000 {
            let bytes: [UInt8]
            switch iteration % 3 {
            case 0: bytes = generate(&rng)
            case 1: bytes = mutate(generate(&rng), &rng)
            default: bytes = mutate(Self.corpus[iteration % Self.corpus.count], &rng)
            }
            let result = InterviewLoader.load(source: SourceFile(path: "fuzz-\(iteration).json", bytes: bytes))
            if let interview = result.interview {
                loaded += 1
                exercise(interview, &rng)
            } else {
                #expect(!result.errors.isEmpty, "iteration \(iteration): no interview and no error")
            }
            for diagnostic in result.diagnostics {
                #expect(diagnostic.location.line >= 1 && diagnostic.location.column >= 1, "iteration \(iteration)")
                #expect(!diagnostic.message.isEmpty)
            }
        }
        // Some mutations must leave a loadable interview, or the run-time half is not exercised.
        #expect(loaded > 100)
    }

    @Test func randomExpressionsParseOrFailWithAnOffsetInside() {
        var rng = SplitMix64(state: 7)
        for _ in 0..<5_000 {
            let text = (0..<Int.random(in: 0...12, using: &rng)).map { _ in
                Self.expressionPieces.randomElement(using: &rng)!
            }.joined(separator: " ")
            do {
                _ = try ExpressionParser.parse(text)
            } catch {
                #expect(error.offset >= 0 && error.offset <= text.unicodeScalars.count, "\(text)")
            }
        }
    }

    /// Answers every item with a random valid or invalid answer and evaluates.
    func exercise(_ interview: Interview, _ rng: inout SplitMix64) {
        var session = Session(interview: interview, clock: .fixed(Date(timeIntervalSince1970: 0)))
        var steps = 0
        while let index = session.position, steps < 500 {
            steps += 1
            let item = interview.items[index]
            let input: AnswerInput
            switch item.kind {
            case .rating(_, let options), .choice(let options):
                input = .code(options.randomElement(using: &rng)?.code ?? "1")
            case .multipleChoice(let options):
                input = .codes(Array(options.prefix(Int.random(in: 0...options.count, using: &rng))).map(\.code))
            case .yesNo: input = .bool(Bool.random(using: &rng))
            case .integer, .decimal: input = .number(Double(Int.random(in: -5...200, using: &rng)))
            case .duration:
                input = .duration(
                    Double(Int.random(in: 0...30, using: &rng)), DurationUnit.allCases.randomElement(using: &rng)!)
            case .date: input = .date("2024-02-29")
            case .text: input = .text("x")
            case .display: session.moveOn(); continue
            }
            let result = session.answer(
                input, overrides: Dictionary(uniqueKeysWithValues: item.checks.map { ($0.id, "fuzz") }))
            if result.status != .accepted { session.moveOn() }
            // The route kept up incrementally must equal the route computed from scratch.
            #expect(session.route == interview.evaluate(recorded: session.recordedStates).route)
            if Int.random(in: 0..<10, using: &rng) == 0 { session.back() }
        }
        _ = session.complete()
    }
}
