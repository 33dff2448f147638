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

    /// Work not worth a thread, or with no other core, is left to the caller.
    @Test func startsOnAnotherCoreOnlyWhenWorthIt() {
        #expect(BackgroundWork.onAnotherCore(if: false) { 1 } == nil)
        let started = BackgroundWork.onAnotherCore(if: true) { 2 }
        #expect((started != nil) == (ProcessInfo.processInfo.activeProcessorCount > 1))
        #expect(started.map { $0.wait() } ?? 2 == 2)
    }

    /// Records the thread it is freed on.
    final class Tracked: @unchecked Sendable {
        let freedOn: @Sendable (pthread_t) -> Void
        init(_ freedOn: @escaping @Sendable (pthread_t) -> Void) { self.freedOn = freedOn }
        deinit { freedOn(pthread_self()) }
    }

    final class Threads: @unchecked Sendable {
        private let lock = NSLock()
        private var threads: [pthread_t] = []
        func add(_ thread: pthread_t) { lock.lock(); threads.append(thread); lock.unlock() }
        var all: [pthread_t] { lock.lock(); defer { lock.unlock() }; return threads }
    }

    /// The value is freed by the other core, and freed by the time `wait`
    /// returns: the caller's reference is taken over, not copied.
    @Test func freesTheValueOnAnotherThread() {
        let freed = Threads()
        let caller = pthread_self()
        for _ in 0..<200 {
            let value = [Tracked { freed.add($0) }]
            let release = BackgroundRelease(consume value)
            release.wait()
        }
        #expect(freed.all.count == 200)
        #expect(freed.all.allSatisfy { pthread_equal($0, caller) == 0 })
    }
}
