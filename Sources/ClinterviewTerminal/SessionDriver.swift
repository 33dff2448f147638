import ClinterviewCore
import ClinterviewJournal
import Foundation

/// What the interface needs of a session: the engine's state, and calls that
/// record each change (or throw, leaving the session unchanged).
public protocol SessionDriver: AnyObject {
    var session: Session { get }
    var client: String { get }
    var rater: String { get }
    var role: String { get }
    var startedAt: Date { get }
    /// Where the session is kept, for messages.
    var location: String { get }

    func answer(
        item: String, _ input: AnswerInput, overrides: [String: String], changeReason: String?
    ) throws -> AnswerResult
    func skip(reason: String) throws -> AnswerResult
    func attachNote(_ text: String, to item: String) throws
    func acknowledge(alert: String) throws
    func complete() throws -> Evaluation
    func pause() throws
    func back()
    func moveOn()
    func jump(to item: String) throws
    /// Writes the whole session to another directory and keeps it there.
    func saveElsewhere(directory: String) throws
    /// Waits up to `seconds` (nil: as long as it takes) until the last change is
    /// on disk; returns whether it is. Throws if it cannot be.
    func confirmSaved(within seconds: Double?) throws -> Bool
}

extension JournaledSession: SessionDriver {
    public var client: String { header.client }
    public var rater: String { header.rater }
    public var role: String { header.role }
    public var startedAt: Date { writer.startTime ?? session.clock.now() }
    public var location: String { path }

    public func saveElsewhere(directory: String) throws {
        try SessionStore(directory: directory).relocate(self)
    }
}
