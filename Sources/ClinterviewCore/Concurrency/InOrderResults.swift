import Foundation

/// Work spread over every core whose results are taken in the order of their
/// pieces as soon as each piece and all before it are done: replaying a
/// directory prints while later files are still being replayed, and holds
/// only the results that wait for an earlier one; the never-enabled lint
/// collects its parts' warnings with `map`.
public enum InOrderResults {
    /// Runs `work` for each of `count` pieces on every core and calls `take`
    /// with each result, in the order of the pieces, one call at a time.
    /// Returns `state` as the calls to `take` left it.
    public static func run<Result: Sendable, State: Sendable>(
        _ count: Int, into state: State, _ work: @Sendable (Int) -> Result,
        take: @Sendable (inout State, Result) -> Void
    ) -> State {
        // One piece runs here: small definitions are loaded, and single
        // files replayed, without waking the thread pool.
        if count == 1 {
            var state = state
            take(&state, work(0))
            return state
        }
        let delivery = Delivery<Result, State>(state)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            delivery.arrived(index, work(index), take)
        }
        return delivery.state
    }

    /// Runs `work` for each of `count` pieces on every core and returns the
    /// results in order.
    public static func map<Result: Sendable>(_ count: Int, _ work: @Sendable (Int) -> Result) -> [Result] {
        run(count, into: [Result](), work) { results, result in results.append(result) }
    }

    private final class Delivery<Result: Sendable, State: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private var waiting: [Int: Result] = [:]
        /// Read once every piece has arrived; written only under the lock.
        var state: State

        init(_ state: State) { self.state = state }

        /// Takes `result` now if every earlier piece has been taken, with any
        /// later ones that were waiting for it; otherwise keeps it waiting.
        func arrived(_ index: Int, _ result: Result, _ take: (inout State, Result) -> Void) {
            lock.lock()
            defer { lock.unlock() }
            guard index == next else {
                waiting[index] = result
                return
            }
            take(&state, result)
            next += 1
            while let following = waiting.removeValue(forKey: next) {
                take(&state, following)
                next += 1
            }
        }
    }
}
