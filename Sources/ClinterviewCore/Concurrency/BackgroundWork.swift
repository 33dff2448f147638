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
