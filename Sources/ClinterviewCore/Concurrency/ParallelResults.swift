import Foundation

/// Results of work spread over every core, one slot per piece, read in order
/// once all the pieces are done.
public final class ParallelResults<Result: Sendable>: @unchecked Sendable {
    private var slots: [Result?]
    private let lock = NSLock()

    public init(count: Int) { slots = [Result?](repeating: nil, count: count) }

    public func set(_ index: Int, _ value: Result) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    /// The results in the order of their pieces (pieces with no result left out).
    public var all: [Result] {
        lock.lock()
        defer { lock.unlock() }
        return slots.compactMap { $0 }
    }

    /// Runs `work` for each of `count` pieces on every core and returns the results in order.
    public static func map(_ count: Int, _ work: @Sendable (Int) -> Result) -> [Result] {
        // One piece runs here: small definitions are loaded without waking
        // the thread pool.
        if count == 1 { return [work(0)] }
        let results = ParallelResults(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in results.set(index, work(index)) }
        return results.all
    }
}
