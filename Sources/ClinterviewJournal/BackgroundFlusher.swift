import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one thread that makes journals durable while the terminal draws the
/// next screen. Handing it a flush costs a lock and a signal (a dispatch queue
/// cost about 20 µs on the key's path), and on Linux it runs at the lowest
/// priority (nice 19), so the fsync's own work waits for the drawing and
/// the terminal, not the other way round. Jobs run one at a time, in order.
final class BackgroundFlusher: @unchecked Sendable {
    static let shared = BackgroundFlusher()

    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var isRunning = false

    private init() {}

    /// Starts the thread ahead of the first flush, which then costs no start.
    func start() {
        condition.lock()
        defer { condition.unlock() }
        startIfNeeded()
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        defer { condition.unlock() }
        jobs.append(job)
        startIfNeeded()
        condition.signal()
    }

    private func startIfNeeded() {
        guard !isRunning else { return }
        isRunning = true
        let thread = Thread { [self] in
            Self.lowerThisThreadsPriority()
            while true { takeJob()() }
        }
        thread.name = "journal flush"
        thread.start()
    }

    private func takeJob() -> @Sendable () -> Void {
        condition.lock()
        defer { condition.unlock() }
        while jobs.isEmpty { condition.wait() }
        return jobs.removeFirst()
    }

    /// On Linux the nice value belongs to the thread (0 names the caller);
    /// elsewhere it would lower the whole process, so it is left alone.
    private static func lowerThisThreadsPriority() {
        #if os(Linux)
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
        #endif
    }
}
