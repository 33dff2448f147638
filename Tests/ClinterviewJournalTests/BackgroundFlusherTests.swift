import Foundation
import Testing

@testable import ClinterviewJournal

#if canImport(Glibc)
    import Glibc
#endif

/// Flushes hand off to one long-lived thread that yields to the drawing.
@Suite struct BackgroundFlusherTests {
    final class Seen: @unchecked Sendable {
        let lock = NSLock()
        var order: [Int] = []
        var threads: Set<String> = []
        var priorities: Set<Int32> = []
    }

    @Test func jobsRunInOrderOnOneThreadAtTheLowestPriority() {
        let seen = Seen()
        let done = DispatchSemaphore(value: 0)
        let mainPriority = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        for index in 0..<20 {
            BackgroundFlusher.shared.submit {
                let priority = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
                seen.lock.lock()
                seen.order.append(index)
                seen.threads.insert("\(pthread_self())")
                seen.priorities.insert(priority)
                seen.lock.unlock()
                if index == 19 { done.signal() }
            }
        }
        #expect(done.wait(timeout: .now() + 10) == .success)
        seen.lock.lock()
        defer { seen.lock.unlock() }
        #expect(seen.order == Array(0..<20))
        #expect(seen.threads.count == 1)
        #expect(!seen.threads.contains("\(pthread_self())"))
        #expect(seen.priorities == [19])
        #expect(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) == mainPriority)
    }
}
