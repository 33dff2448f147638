import Foundation

/// Warnings about an interview that loads but is probably not what its author meant.
enum Linter {
    /// What-if evaluations try at most this many combinations of answers per question.
    static let maximumCombinations = 4096

    static func lint(_ interview: Interview, into sink: inout DiagnosticSink) {
        let analysis = RouteAnalysis(interview: interview)
        warnNeverEnabled(interview, analysis, &sink)
        warnUnusedCriteria(interview, &sink)
        warnEvidenceIncomplete(interview, &sink)
        warnSkipOutIndeterminate(interview, analysis, &sink)
    }

    // MARK: Evidence that hides why a diagnosis is not met

    /// Reports show a diagnosis with the criteria it lists. An item, criterion
    /// or diagnosis its rule reads directly but does not list could decide it
    /// unseen: the report would say "not met" beside a list of criteria all met.
    static func warnEvidenceIncomplete(_ interview: Interview, _ sink: inout DiagnosticSink) {
        for rule in interview.rules where rule.kind == .diagnosis && !rule.criteria.isEmpty {
            let listed = Set(rule.criteria)
            let references = rule.expression.expression.directReferences
            let items = references.items.sorted().map { interview.items[$0].id }
            let rules = references.rules.sorted().map { interview.rules[$0] }
                .filter { ($0.kind == .criterion || $0.kind == .diagnosis) && !listed.contains($0.id) }.map(\.id)
            let unlisted = items + rules
            guard !unlisted.isEmpty else { continue }
            let names = unlisted.map { "'\($0)'" }.joined(separator: ", ")
            sink.warning(
                .evidenceIncomplete, at: rule.offset,
                "diagnosis '\(rule.id)' reads \(names) but does not list \(unlisted.count == 1 ? "it" : "them") in its criteria, so reports cannot show \(unlisted.count == 1 ? "it" : "them") as evidence: list \(unlisted.count == 1 ? "it" : "them") (an item goes into a criterion of its own)"
            )
        }
    }

    // MARK: Never enabled

    static func warnNeverEnabled(_ interview: Interview, _ analysis: RouteAnalysis, _ sink: inout DiagnosticSink) {
        let modules = interview.modules.indices
        // The answer depends on the texts of the conditions only, and skip-outs
        // repeat one condition item after item: each chain of texts is
        // searched once. A chain is known by the numbers of its texts (the
        // items' from the plan's condition groups, the gates' numbered here),
        // not by the texts.
        let itemGroups =
            interview.plan.itemConditionGroups.count == interview.items.count
            ? interview.plan.itemConditionGroups : EvaluationPlan.conditionGroups(interview).ofItem
        var gateNumbers: [String: Int32] = [:]
        func gateNumber(_ condition: Condition?) -> Int32 {
            guard let condition else { return -1 }
            if let number = gateNumbers[condition.source] { return number }
            gateNumbers[condition.source] = Int32(gateNumbers.count)
            return Int32(gateNumbers.count - 1)
        }
        var known: [ChainKey: Bool] = [:]
        var evaluator = analysis.whatIfEvaluator()
        func neverDefinitelyTrue(_ key: ChainKey, _ conditions: @autoclosure () -> [Condition]) -> Bool {
            if let answer = known[key] { return answer }
            let answer = analysis.neverDefinitelyTrue(conditions(), using: &evaluator)
            known[key] = answer
            return answer
        }
        for moduleIndex in modules {
            let module = interview.modules[moduleIndex]
            let moduleGate = gateNumber(module.condition)
            if let condition = module.condition,
                module.sectionRange.first.flatMap({ interview.sections[$0].itemRange.first }) != nil,
                neverDefinitelyTrue(ChainKey(module: moduleGate, section: -1, item: -1), [condition])
            {
                sink.warning(
                    .neverEnabled, at: condition.offset,
                    "module '\(module.id)' can never be asked: its condition is never true for any answers to the items it depends on"
                )
                continue
            }
            for sectionIndex in module.sectionRange {
                let section = interview.sections[sectionIndex]
                guard !section.itemRange.isEmpty else { continue }
                let sectionGate = gateNumber(section.condition)
                let moduleChain = [interview.modules[moduleIndex].condition].compactMap { $0 }
                if let condition = section.condition,
                    neverDefinitelyTrue(
                        ChainKey(module: moduleGate, section: sectionGate, item: -1), moduleChain + [condition])
                {
                    sink.warning(
                        .neverEnabled, at: condition.offset,
                        "section '\(section.id)' can never be asked: its condition is never true for any answers to the items it depends on"
                    )
                    continue
                }
                for itemIndex in section.itemRange {
                    guard let condition = interview.items[itemIndex].condition else { continue }
                    let key = ChainKey(module: moduleGate, section: sectionGate, item: Int32(itemGroups[itemIndex]))
                    if neverDefinitelyTrue(key, interview.conditionChain(ofItem: itemIndex)) {
                        sink.warning(
                            .neverEnabled, at: condition.offset,
                            "item '\(interview.items[itemIndex].id)' can never be asked: its condition is never true for any answers to the items it depends on"
                        )
                    }
                }
            }
        }
    }

    /// A chain of conditions by the numbers of its texts (-1: none).
    struct ChainKey: Hashable {
        var module: Int32
        var section: Int32
        var item: Int32
    }

    // MARK: Unused criteria

    static func warnUnusedCriteria(_ interview: Interview, _ sink: inout DiagnosticSink) {
        var used = Set<Int>()
        var frontier: [Int] = []
        for (index, rule) in interview.rules.enumerated() where rule.kind == .diagnosis {
            frontier.append(index)
            frontier.append(contentsOf: rule.criteria.compactMap { interview.ruleIndex[$0] })
        }
        while let rule = frontier.popLast() {
            guard used.insert(rule).inserted else { continue }
            frontier.append(contentsOf: interview.rules[rule].expression.expression.directlyReferencedRules)
        }
        for (index, rule) in interview.rules.enumerated() where rule.kind == .criterion && !used.contains(index) {
            sink.warning(.unusedCriterion, at: rule.offset, "criterion '\(rule.id)' is not used by any diagnosis")
        }
    }

    // MARK: Skip-outs that leave a diagnosis undecided

    /// When a gate (a module or section condition: a skip-out) is false, the items
    /// behind it are not asked. (Conditions on single items are follow-up probes,
    /// not skip-outs, and are not checked here.) A diagnosis that reads them must then be decided by the gate's
    /// own items, or it would stay indeterminate for ever. Each gate is tried with
    /// every combination of answers that closes it.
    static func warnSkipOutIndeterminate(
        _ interview: Interview, _ analysis: RouteAnalysis, _ sink: inout DiagnosticSink
    ) {
        // Every gate once, and for each item the gates that hold it, so each
        // diagnosis looks only at the gates in front of its own items.
        var gates: [(name: String, condition: Condition, items: Range<Int>)] = []
        var gatesOfItem = [[Int]](repeating: [], count: interview.items.count)
        func addGate(_ name: String, _ condition: Condition, _ range: Range<Int>) {
            for item in range { gatesOfItem[item].append(gates.count) }
            gates.append((name, condition, range))
        }
        for module in interview.modules {
            guard let condition = module.condition, let first = module.sectionRange.first else { continue }
            let range =
                interview.sections[first].itemRange
                .lowerBound..<interview.sections[module.sectionRange.last!].itemRange.upperBound
            addGate("module '\(module.id)'", condition, range)
        }
        for section in interview.sections {
            if let condition = section.condition { addGate("section '\(section.id)'", condition, section.itemRange) }
        }
        for (ruleIndex, rule) in interview.rules.enumerated() where rule.kind == .diagnosis {
            let dependsOn = analysis.ruleClosure[ruleIndex]
            guard !dependsOn.isEmpty else { continue }
            let relevant = Set(dependsOn.flatMap { gatesOfItem[$0] }).sorted()
            for gate in relevant.map({ gates[$0] }) {
                let example: String
                switch analysis.closedGateLeavingUnknown(
                    gate.condition, gateStart: gate.items.lowerBound, diagnosis: ruleIndex)
                {
                case .leavesUndecided(let answers): example = answers
                case .decided: continue
                case .notAnalysed:
                    sink.note(
                        .notAnalysed, at: rule.offset,
                        "diagnosis '\(rule.id)': whether \(gate.name) can leave it undecided was not analysed (its condition reads free text, or a number compared with too many values): check that its skip-out rules it out"
                    )
                    continue
                }
                let skipped = dependsOn.filter(gate.items.contains).sorted().prefix(4).map { interview.items[$0].id }
                sink.warning(
                    .skipOutIndeterminate, at: rule.offset,
                    "diagnosis '\(rule.id)' stays indeterminate when \(gate.name) is skipped (\(example)), because it depends on \(skipped.joined(separator: ", ")) which are then not asked: make a criterion it rests on require the condition of \(gate.name), so that the skip-out rules it out"
                )
            }
        }
    }
}
