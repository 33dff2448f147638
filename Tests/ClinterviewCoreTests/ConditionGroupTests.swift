import ClinterviewTestSupport
import Testing

@testable import ClinterviewCore

/// Items whose conditions have the same text share the first one's result
/// while the route is decided. On random interviews that repeat a few
/// conditions (on answers, on other conditioned items, through criteria,
/// behind section gates) in random states, the route must be the one found by
/// evaluating every condition, and so must a replay's, whose refused answers
/// change an item's state in the middle of the walk.
@Suite struct ConditionGroupTests {
    static let pool = [
        "R0 >= 2", "R1 == 3 or R0 == 1", "answered(R2) and R2 >= 2", "not inadequate(R1)", "c0",
        "X3 >= 2", "answered(X4) or R2 == 1", "c1 and R0 != 2",
    ]

    func definition(_ rng: inout SplitMix64) -> String {
        var first: [String] = (0..<3).map { "{ \"id\": \"R\($0)\", \"kind\": \"rating\", \"prompt\": \"p\" }" }
        var second: [String] = []
        for index in 3..<16 {
            // Conditions may only look back: X3 and X4 are referred to from X5 on.
            let usable = Self.pool.filter { !($0.contains("X3") && index <= 3) && !($0.contains("X4") && index <= 4) }
            var fields = "\"id\": \"X\(index)\", \"kind\": \"rating\", \"prompt\": \"p\""
            if Int.random(in: 0..<5, using: &rng) > 0 {
                fields += ", \"when\": \"\(usable.randomElement(using: &rng)!)\""
            }
            if index == 3 {
                // X3 carries a check that refuses a rating of 1, so replays change its state mid-walk.
                fields +=
                    ", \"checks\": [{ \"id\": \"k\", \"severity\": \"hard\", \"rule\": \"X3 != 1\", \"message\": \"m\" }]"
            }
            if index < 9 { first.append("{ \(fields) }") } else { second.append("{ \(fields) }") }
        }
        let gate = ["R0 >= 2", "c0", "answered(X4)"].randomElement(using: &rng)!
        return """
            { "format": "clinterview/1", "id": "groups", "version": "1", "title": "G",
              "modules": [{ "id": "m", "title": "M", "sections": [
                { "id": "s1", "title": "S", "items": [\(first.joined(separator: ", "))] },
                { "id": "s2", "title": "S", "when": "\(gate)", "items": [\(second.joined(separator: ", "))] }] }],
              "criteria": [{ "id": "c0", "label": "c", "rule": "count(R0..R2, == 3) >= 1" },
                           { "id": "c1", "label": "c", "rule": "R1 >= 2 and R2 >= 2" }] }
            """
    }

    func route(_ interview: Interview, _ states: [ItemState], sharing: Bool) -> [Bool] {
        var evaluator = Evaluator(walking: interview, store: DenseRouteStore(answers: states))
        evaluator.sharesConditionGroups = sharing
        var moduleOn = [Bool?](repeating: nil, count: interview.modules.count)
        var sectionOn = [Bool?](repeating: nil, count: interview.sections.count)
        return interview.items.indices.map {
            evaluator.decideRoute(ofItem: $0, moduleOn: &moduleOn, sectionOn: &sectionOn)
        }
    }

    /// The loader numbers the groups from the distinct condition texts it has
    /// found anyway; they must be the groups of the items' condition texts.
    @Test func loaderGroupsAreTheGroupsOfTheTexts() throws {
        var rng = SplitMix64(state: 77)
        var interviews = Repository.files(in: "Interviews", ending: ".json").compactMap {
            InterviewLoader.load(path: Repository.path("Interviews/\($0)")).interview
        }
        for iteration in 0..<200 {
            if let interview = load(definition(&rng), path: "groups-\(iteration).json").interview {
                interviews.append(interview)
            }
        }
        #expect(interviews.count > 100)
        for interview in interviews {
            let fromTexts = EvaluationPlan.conditionGroups(interview)
            #expect(interview.plan.itemConditionGroups == fromTexts.ofItem, "\(interview.id)")
            #expect(interview.plan.conditionGroupCount == fromTexts.count)
        }
    }

    @Test func sharedResultsGiveTheRouteOfEveryCondition() throws {
        var rng = SplitMix64(state: 1311)
        var loaded = 0
        var differentRoutes = Set<[Bool]>()
        for iteration in 0..<200 {
            guard let interview = load(definition(&rng), path: "groups-\(iteration).json").interview else { continue }
            loaded += 1
            #expect(interview.plan.conditionGroupCount <= Self.pool.count)
            for _ in 0..<10 {
                let states: [ItemState] = interview.items.map { _ in
                    let code = Int.random(in: 0...4, using: &rng)
                    return code == 0
                        ? .open : code == 4 ? .inadequate : .known(.code(String(code), weight: Double(code)))
                }
                let shared = route(interview, states, sharing: true)
                #expect(shared == route(interview, states, sharing: false), "iteration \(iteration)")
                differentRoutes.insert(shared)

                // A replay (sharing) against answering one item at a time in a session.
                var answers: [String] = []
                for (index, state) in states.enumerated() {
                    if case .known(.code(let code, _)) = state {
                        answers.append("\"\(interview.items[index].id)\": \(code)")
                    }
                }
                let file = "{ \"answers\": { \(answers.joined(separator: ", ")) } }"
                var sink = DiagnosticSink(source: SourceFile(path: "a.json", text: file))
                let answerFile = try #require(
                    AnswerFile.read(source: SourceFile(path: "a.json", text: file), sink: &sink))
                let replayed = Replayer.replay(answerFile, interview: interview, sink: &sink)
                var session = Session(interview: interview)
                for index in interview.items.indices where session.isOnRoute(interview.items[index].id) {
                    guard case .known(.code(let code, _)) = states[index] else { continue }
                    _ = session.answer(item: interview.items[index].id, .code(code))
                }
                #expect(replayed.evaluation.route == session.evaluate().route, "iteration \(iteration)")
            }
        }
        #expect(loaded > 150)
        // Many different routes, or the test proves little.
        #expect(differentRoutes.count > 100)
    }
}
