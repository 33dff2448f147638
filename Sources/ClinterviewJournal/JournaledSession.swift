import ClinterviewCore
import Foundation

/// A session whose every change is in its journal before it counts.
///
/// Each call works on a copy of the session; only when the record is written
/// (and, unless `flushesInBackground`, fsynced) does the copy become the
/// session. If the write fails, the call throws, the session is as it was, and
/// the caller still has the answer.
///
/// With `flushesInBackground`, the fsync of an answer runs while the next
/// screen is drawn; `confirmSaved` waits for it, and the terminal calls it
/// before it takes the next key (docs/sessions.md, "Durability and speed").
public final class JournaledSession {
    public private(set) var session: Session
    public let writer: JournalWriter
    public let header: SessionHeader
    public var flushesInBackground = false {
        didSet { if flushesInBackground { BackgroundFlusher.shared.start() } }
    }

    private var durability: JournalWriter.Durability { flushesInBackground ? .inBackground : .beforeReturning }

    init(session: Session, writer: JournalWriter, header: SessionHeader) {
        self.session = session
        self.writer = writer
        self.header = header
    }

    public var path: String { writer.path }

    /// How to continue this session: by the journal's current path, which after
    /// a move to another directory (a full disk, "save elsewhere") is the new copy.
    public var resumeCommand: String {
        "clinterview run --resume \(ShellQuote.quote(path))"
    }

    /// A copy of the session whose clock is stopped at one reading, so the time
    /// in the session and the time in the journal are the same.
    private func draft() -> (Session, Date) {
        let time = session.clock.now()
        var copy = session
        copy.clock = .fixed(time)
        return (copy, time)
    }

    private func commit(_ draft: Session) {
        let clock = session.clock
        session = draft
        session.clock = clock
    }

    @discardableResult
    public func answer(
        _ input: AnswerInput, overrides: [String: String] = [:], changeReason: String? = nil
    ) throws(JournalError) -> AnswerResult {
        guard let item = session.currentItem else { return session.answer(input) }
        return try answer(item: item.id, input, overrides: overrides, changeReason: changeReason)
    }

    @discardableResult
    public func answer(
        item itemID: String, _ input: AnswerInput, overrides: [String: String] = [:], changeReason: String? = nil
    ) throws(JournalError) -> AnswerResult {
        var (next, now) = draft()
        let result = next.answer(item: itemID, input, overrides: overrides, changeReason: changeReason)
        guard result.status == .accepted else { return result }
        let used = next.response(to: itemID)?.overrides ?? [:]
        let value = input.json
        let event: JournalEvent =
            result.amended
            ? .changed(item: itemID, value: value, reason: changeReason ?? "", overrides: used)
            : .answered(item: itemID, value: value, overrides: used)
        try writer.append([event] + shown(result), at: now, durability: durability)
        commit(next)
        return result
    }

    @discardableResult
    public func skip(reason: String) throws(JournalError) -> AnswerResult {
        guard let item = session.currentItem else { return session.skip(reason: reason) }
        var (next, now) = draft()
        let result = next.skip(item: item.id, reason: reason)
        guard result.status == .accepted else { return result }
        try writer.append([.skipped(item: item.id, reason: reason)] + shown(result), at: now, durability: durability)
        commit(next)
        return result
    }

    public func attachNote(_ text: String, to itemID: String) throws {
        var (next, now) = draft()
        try next.attachNote(text, to: itemID)
        try writer.append(.note(item: itemID, text: text), at: now, durability: durability)
        commit(next)
    }

    public func acknowledge(alert id: String) throws {
        var (next, now) = draft()
        try next.acknowledge(alert: id)
        try writer.append(.alertAcknowledged(id: id), at: now, durability: durability)
        commit(next)
    }

    /// Waits until the last change is on disk; throws if its flush failed (the
    /// change is kept in the session and the journal's lines: save elsewhere).
    /// Gives up after `seconds` (nil: waits as long as it takes) and returns
    /// whether the change is on disk yet.
    @discardableResult
    public func confirmSaved(within seconds: Double? = nil) throws(JournalError) -> Bool {
        try writer.waitUntilDurable(within: seconds)
    }

    /// Navigation changes nothing recorded, so it is not journaled.
    public func back() { session.back() }
    public func moveOn() { session.moveOn() }
    public func jump(to itemID: String) throws(SessionError) { try session.jump(to: itemID) }

    public func pause() throws(JournalError) {
        try writer.append(.paused, at: session.clock.now())
    }

    @discardableResult
    public func complete() throws(JournalError) -> Evaluation {
        var (next, now) = draft()
        let evaluation = next.complete()
        try writer.append(.completed, at: now)
        commit(next)
        return evaluation
    }

    public func close() {
        writer.close()
    }

    /// Alerts raised by an answer are journaled with it, in the same write.
    private func shown(_ result: AnswerResult) -> [JournalEvent] {
        result.alerts.map { .alertShown(id: $0.id, severity: $0.severity.rawValue) }
    }
}
