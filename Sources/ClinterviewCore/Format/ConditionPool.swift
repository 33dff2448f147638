import Foundation

/// The distinct condition texts of a definition, compiled in chunks by
/// whichever thread takes the next one.
///
/// A condition that names no rule needs nothing from the rules, so a helper
/// thread starts on the conditions while the loading thread parses and
/// checks the rules, and the loading thread joins in once it is done. A
/// condition that names a rule is left for `LoaderRun` to compile once every
/// rule's type and items are known.
final class ConditionPool: @unchecked Sendable {
    enum Outcome {
        case compiled(LoaderRun.CompiledCondition)
        /// Names a rule: to be compiled after the rules.
        case namesARule
    }

    private let texts: [String]
    private let checker: ExpressionChecker
    private let chunkSize: Int
    private let lock = NSLock()
    private var nextChunk = 0
    private var outcomes: [Outcome?]
    private var helper: BackgroundWork<Void>?

    /// `checker` knows the items and rule names, not yet the rules' types.
    init(texts: [String], checker: ExpressionChecker, chunkSize: Int) {
        self.texts = texts
        self.checker = checker
        self.chunkSize = max(1, chunkSize)
        outcomes = [Outcome?](repeating: nil, count: texts.count)
    }

    /// Starts a helper thread on the chunks, when `worthIt` and there is a
    /// core for it.
    func startHelper(if worthIt: Bool = true) {
        helper = .onAnotherCore(if: worthIt) { [self] in work() }
    }

    /// Compiles chunks until none is left.
    func work() {
        while let range = takeChunk() {
            let done = texts[range].map(outcome)
            lock.lock()
            for (offset, result) in done.enumerated() { outcomes[range.lowerBound + offset] = result }
            lock.unlock()
        }
    }

    /// Every text's outcome: the calling thread takes chunks until none is
    /// left, then waits for the helper (if started) to finish its own.
    func finish() -> [Outcome] {
        work()
        helper?.wait()
        return outcomes.map { $0! }
    }

    private func takeChunk() -> Range<Int>? {
        lock.lock()
        defer { lock.unlock() }
        guard nextChunk < texts.count else { return nil }
        let start = nextChunk
        nextChunk = min(texts.count, start + chunkSize)
        return start..<nextChunk
    }

    private func outcome(_ text: String) -> Outcome {
        do {
            let tree = try ExpressionParser.parse(text, trimmed: false)
            // Each name is resolved once: the look-back check's items, and
            // whether any is a rule.
            guard let lookBacks = LoaderRun.lookBacks(tree, itemIndex: checker.itemIndex, ruleIndex: checker.ruleIndex, ruleItems: nil) else {
                return .namesARule
            }
            var checker = checker
            return .compiled(.success((try checker.check(tree, expecting: .bool).0, lookBacks)))
        } catch {
            return .compiled(.failure(error))
        }
    }
}
