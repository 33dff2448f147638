import ClinterviewCore
import ClinterviewJournal
import ClinterviewTestSupport
import Foundation

@testable import ClinterviewTerminal

struct StorageFailure: Error, CustomStringConvertible {
    var description: String
}

/// A session kept in memory; `failWrites` makes every recording call fail, as a full disk would.
final class MemoryDriver: SessionDriver {
    var session: Session
    var failWrites = false
    /// Makes the next background flush fail: the change is recorded, not on disk.
    var failNextFlush = false
    var flushWaits: [Double?] = []
    /// How many more times `confirmSaved` says the flush is still under way.
    var slowFlushes = 0
    var savedElsewhere: String?
    let client = "client-7"
    let rater = "A. Smith"
    let role = "Psychological Wellbeing Practitioner"
    let startedAt = Date(timeIntervalSince1970: 1_800_000_000)
    var location: String { savedElsewhere ?? "memory" }

    init(_ interview: Interview) {
        session = Session(interview: interview, clock: .fixed(Date(timeIntervalSince1970: 1_800_000_000)))
    }

    private func check() throws {
        if failWrites {
            throw StorageFailure(
                description:
                    "/sessions/x.jsonl: cannot write the journal: the disk is full (No space left on device); free some space or save the session to another directory"
            )
        }
    }

    func answer(
        item: String, _ input: AnswerInput, overrides: [String: String], changeReason: String?
    ) throws -> AnswerResult {
        var next = session
        let result = next.answer(item: item, input, overrides: overrides, changeReason: changeReason)
        if result.status == .accepted { try check() }
        session = next
        return result
    }

    func skip(reason: String) throws -> AnswerResult {
        try check()
        return session.skip(reason: reason)
    }

    func attachNote(_ text: String, to item: String) throws {
        try check()
        try session.attachNote(text, to: item)
    }

    func acknowledge(alert: String) throws {
        try check()
        try session.acknowledge(alert: alert)
    }

    func confirmSaved(within seconds: Double?) throws -> Bool {
        flushWaits.append(seconds)
        if failNextFlush {
            failNextFlush = false
            throw StorageFailure(description: "/sessions/x.jsonl: cannot flush to disk the journal: Input/output error")
        }
        if slowFlushes > 0 {
            slowFlushes -= 1
            return false
        }
        return true
    }

    func complete() throws -> Evaluation {
        try check()
        return session.complete()
    }

    func pause() throws { try check() }
    func back() { session.back() }
    func moveOn() { session.moveOn() }
    func jump(to item: String) throws { try session.jump(to: item) }

    func saveElsewhere(directory: String) throws {
        failWrites = false
        savedElsewhere = directory
    }
}

func loadInterview(_ relative: String) -> Interview {
    InterviewLoader.load(path: Repository.path(relative)).interview!
}

extension InterviewApp {
    func type(_ text: String) {
        for character in text { handle(character == "\r" ? .enter : .character(character)) }
    }

    func screen(_ rows: Int = 24, _ columns: Int = 80) -> String {
        render(rows: rows, columns: columns).text
    }
}

/// The app's clock, fixed 3 minutes 25 seconds after the session began.
let fixedNow: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_800_000_205) }
