import Foundation

/// Where the engine gets the time, so tests and replays can fix it.
public struct Clock: Sendable {
    public var now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    public static let system = Clock { Date() }

    public static func fixed(_ date: Date) -> Clock {
        Clock { date }
    }
}
