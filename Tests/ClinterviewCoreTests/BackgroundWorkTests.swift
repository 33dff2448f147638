import Foundation
import Testing
@testable import ClinterviewCore

/// Work handed to another core runs once, and `wait` gives its result.
@Suite struct BackgroundWorkTests {
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func increment() { lock.lock(); value += 1; lock.unlock() }
        var count: Int { lock.lock(); defer { lock.unlock() }; return value }
    }

    @Test func runsOnceAndGivesItsResult() {
        let counter = Counter()
        for round in 0..<2_000 {
            let work = BackgroundWork { counter.increment(); return round * 3 }
            #expect(work.wait() == round * 3)
            #expect(work.wait() == round * 3)
        }
        #expect(counter.count == 2_000)
    }
}
