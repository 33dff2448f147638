import ClinterviewCore
import Foundation

/// A session that has not begun: it draws the first screen while the journal
/// is being created, so the first question shows without waiting for the
/// disk. It records nothing; every recording call throws.
public final class PreviewDriver: SessionDriver {
    public let session: Session
    public let client: String
    public let rater: String
    public let role: String
    public let startedAt: Date
    public let location = "not saved yet"

    public init(
        interview: Interview, client: String, rater: String, role: String, language: String? = nil,
        startedAt: Date = Date()
    ) {
        self.session = Session(interview: interview, clock: .fixed(startedAt), language: language)
        self.client = client
        self.rater = rater
        self.role = role
        self.startedAt = startedAt
    }

    public struct NotStarted: Error, CustomStringConvertible {
        public var description: String { "the session has not started yet: nothing can be recorded" }
    }

    public func answer(
        item: String, _ input: AnswerInput, overrides: [String: String], changeReason: String?
    ) throws -> AnswerResult { throw NotStarted() }
    public func skip(reason: String) throws -> AnswerResult { throw NotStarted() }
    public func attachNote(_ text: String, to item: String) throws { throw NotStarted() }
    public func acknowledge(alert: String) throws { throw NotStarted() }
    public func complete() throws -> Evaluation { throw NotStarted() }
    public func pause() throws {}
    public func back() {}
    public func moveOn() {}
    public func jump(to item: String) throws { throw NotStarted() }
    public func saveElsewhere(directory: String) throws { throw NotStarted() }
    public func confirmSaved(within seconds: Double?) throws -> Bool { true }
}
