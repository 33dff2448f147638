import Foundation

/// Work started on another core, its result waited for where it is needed.
public final class BackgroundWork<Result: Sendable>: @unchecked Sendable {
    private var result: Result?
    private let done = DispatchGroup()

    public init(_ work: @escaping @Sendable () -> Result) {
        done.enter()
        DispatchQueue.global().async { [self] in
            result = work()
            done.leave()
        }
    }

    /// The work started on another core when it is worth a thread and there
    /// is a core to run it; nil otherwise (the caller does it in line).
    public static func onAnotherCore(if worthIt: Bool, _ work: @escaping @Sendable () -> Result) -> BackgroundWork? {
        worthIt && ProcessInfo.processInfo.activeProcessorCount > 1 ? BackgroundWork(work) : nil
    }

    /// The result, once the work is done.
    public func wait() -> Result {
        done.wait()
        return result!
    }
}

/// Lets go of a value on another core: freeing a large tree of small objects
/// takes as long as building much of it. `wait()` returns once it is freed.
public final class BackgroundRelease<Value: Sendable>: @unchecked Sendable {
    private var value: Value?
    private var freeing: BackgroundWork<Void>?

    /// Takes the caller's last reference (`consuming`), so the value is freed
    /// by the other core, not when the caller's copy goes.
    public init(_ value: consuming Value) {
        self.value = value
        freeing = BackgroundWork { [self] in self.value = nil }
    }

    public func wait() {
        freeing?.wait()
    }
}
