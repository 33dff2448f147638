import Foundation

/// The expressions of a definition that need no rule's type, compiled in
/// chunks by whichever thread takes the next one.
///
/// A rule or condition that names no rule needs nothing from the other rules,
/// so a helper thread and the loading thread compile them together before the
/// rules are ordered (most rules of a large definition, such as a module's
/// count, name only items). An expression that names a rule is parsed here and
/// left for `LoaderRun` to check once the rules it names are checked.
final class ExpressionPool: @unchecked Sendable {
    /// A rule's text and the type its kind asks for.
    struct RuleJob {
        var text: String
        var expected: ExpressionType?
    }

    enum Outcome {
        case condition(LoaderRun.CompiledCondition)
        case rule(LoaderRun.CompiledRule)
        /// Names a rule: its tree, to be checked after the rules.
        case namesARule(SyntaxTree)
    }

    /// The rules come first, then the distinct condition texts: the
    /// conditions, shorter, even out the two threads' shares at the end.
    private let rules: [RuleJob]
    private let conditions: [String]
    private let checker: ExpressionChecker
    private let chunkSize: Int
    private let lock = NSLock()
    private var nextChunk = 0
    /// Each job's outcome, written in place by whichever thread compiled it
    /// (chunks never overlap) and moved out by `finish()`: copying the
    /// outcomes into an array retained and released every expression.
    private let count: Int
    private let outcomes: UnsafeMutablePointer<Outcome>
    private var finished = false
    private var helper: BackgroundWork<Void>?

    /// `checker` knows the items and rule names, not yet the rules' types.
    init(rules: [RuleJob], conditions: [String], checker: ExpressionChecker, chunkSize: Int) {
        self.rules = rules
        self.conditions = conditions
        self.checker = checker
        self.chunkSize = max(1, chunkSize)
        count = rules.count + conditions.count
        outcomes = .allocate(capacity: count)
    }

    deinit {
        if !finished {
            work()
            helper?.wait()
            outcomes.deinitialize(count: count)
        }
        outcomes.deallocate()
    }

    /// Starts a helper thread on the chunks, when `worthIt` and there is a
    /// core for it.
    func startHelper(if worthIt: Bool = true) {
        helper = .onAnotherCore(if: worthIt) { [self] in work() }
    }

    /// Compiles chunks until none is left.
    func work() {
        while let range = takeChunk() {
            for job in range { (outcomes + job).initialize(to: outcome(job)) }
        }
    }

    /// Every outcome, the rules' then the conditions'; called once. The
    /// calling thread takes chunks until none is left, then waits for the
    /// helper (if started) to finish its own.
    func finish() -> [Outcome] {
        precondition(!finished, "an expression pool is finished once")
        work()
        helper?.wait()
        finished = true
        return Array(unsafeUninitializedCapacity: count) { buffer, initialized in
            buffer.baseAddress!.moveInitialize(from: outcomes, count: count)
            initialized = count
        }
    }

    private func takeChunk() -> Range<Int>? {
        lock.lock()
        defer { lock.unlock() }
        guard nextChunk < count else { return nil }
        let start = nextChunk
        nextChunk = min(count, start + chunkSize)
        return start..<nextChunk
    }

    private func outcome(_ job: Int) -> Outcome {
        if job < rules.count {
            do {
                let tree = try ExpressionParser.parse(rules[job].text)
                if tree.namesAny(of: checker.ruleIndex) { return .namesARule(tree) }
                var checker = checker
                let (expression, type) = try checker.check(tree, expecting: rules[job].expected)
                return .rule(.success((expression, type, checker.referencedItems)))
            } catch {
                return .rule(.failure(error))
            }
        }
        do {
            let tree = try ExpressionParser.parse(conditions[job - rules.count], trimmed: false)
            // Each name is resolved once: the look-back check's items, and
            // whether any is a rule.
            guard let lookBacks = LoaderRun.lookBacks(tree, itemIndex: checker.itemIndex, ruleIndex: checker.ruleIndex, ruleItems: nil) else {
                return .namesARule(tree)
            }
            var checker = checker
            return .condition(.success((try checker.check(tree, expecting: .bool).0, lookBacks)))
        } catch {
            return .condition(.failure(error))
        }
    }
}
