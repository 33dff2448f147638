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
    private let done = DispatchGroup()

    /// Takes the caller's last reference (`consuming`), so the value is freed
    /// by the other core, not when the caller's copy goes.
    public init(_ value: consuming Value) {
        self.value = value
        done.enter()
        DispatchQueue.global().async { [self] in
            self.value = nil
            done.leave()
        }
    }

    public func wait() {
        done.wait()
    }
}
