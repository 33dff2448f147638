import ClinterviewCore
import ClinterviewTestSupport
import Foundation
import Testing

@testable import ClinterviewJournal
@testable import ClinterviewReports

/// Fidelity from a journal's records: the recorded session of
/// Tests/Fixtures/journals (36 answers, then completed), re-timed.
@Suite struct SessionFidelityTests {
    static let start = Date(timeIntervalSince1970: 1_780_000_000)

    static func records(secondsApart: Double) throws -> [JournalRecord] {
        var records = try JournalReader.read(
            path: Repository.path("Tests/Fixtures/journals/core-1.0.0-mde-current.jsonl")
        ).records
        for index in records.indices { records[index].time = start.addingTimeInterval(Double(index) * secondsApart) }
        return records
    }

    static func fidelity(_ records: [JournalRecord], enteredAfterwards: Bool = false) throws -> SessionFidelity {
        let core = try #require(InterviewLoader.load(path: Repository.path("Interviews/core.json")).interview)
        let session = SessionRebuilder.rebuild(records, interview: core).session
        return SessionFidelity(records, session: session, enteredAfterwards: enteredAfterwards)
    }

    @Test func aSessionAtAConversationsPaceIsNotFlagged() throws {
        let f = try Self.fidelity(try Self.records(secondsApart: 20))
        #expect(f.answers == 36 && f.quickAnswers == 0 && f.secondsPerAnswer == 20)
        #expect(f.minutes == 12.3)  // 37 gaps of 20 s
        #expect(f.completed && !f.implausiblyQuick && f.amendedAfterCompletion == 0)
        // Each module against its seconds_per_question (the overview's 90 s, the others' 20 s): 20 s an answer here.
        #expect(f.modules.map(\.seconds).reduce(0, +) == 20 * 36)
        let core = try #require(InterviewLoader.load(path: Repository.path("Interviews/core.json")).interview)
        for module in f.modules {
            let pace = try #require(core.modules.first { $0.id == module.id }?.secondsPerQuestion)
            #expect(module.expected == module.seconds / 20 * pace, "\(module)")
        }
        #expect(f.modules.first { $0.id == "module_overview" }.map { $0.expected / $0.seconds } == 4.5)
        #expect(f.modules.count > 3)
    }

    @Test func aSessionAtASecondPerAnswerIsImplausiblyQuick() throws {
        let f = try Self.fidelity(try Self.records(secondsApart: 1))
        #expect(f.quickAnswers == 36 && f.secondsPerAnswer == 1 && f.implausiblyQuick)
    }

    /// A paper form entered afterwards has no administration times to judge.
    @Test func aSessionEnteredAfterwardsIsNotTimed() throws {
        let f = try Self.fidelity(try Self.records(secondsApart: 1), enteredAfterwards: true)
        #expect(f.secondsPerAnswer == nil && f.quickAnswers == 0 && f.minutes == 0 && !f.implausiblyQuick)
    }

    @Test func pausesAreLeftOutAndLaterChangesSkipsAndQuestionMarksCounted() throws {
        var records = try Self.records(secondsApart: 20)
        let hour = 3_600.0
        // A pause of an hour after the tenth record.
        for index in records.indices where index >= 10 { records[index].time.addTimeInterval(hour) }
        records.insert(JournalRecord(sequence: 0, time: records[9].time, event: .paused, hash: ""), at: 10)
        records.insert(
            JournalRecord(sequence: 0, time: records[11].time.addingTimeInterval(-20), event: .resumed, hash: ""),
            at: 11)
        // A1 rated "?", an item skipped, a check overridden, and a change after completion.
        for index in records.indices {
            if case .answered("A1", _, _) = records[index].event {
                records[index].event = .answered(item: "A1", value: .string("?"), overrides: ["a_check": "said so"])
            }
        }
        let end = try #require(records.last?.time)
        records.append(
            JournalRecord(sequence: 0, time: end, event: .skipped(item: "ov_risk", reason: "declined"), hash: ""))
        records.append(
            JournalRecord(
                sequence: 0, time: end.addingTimeInterval(60),
                event: .changed(item: "F5", value: .string("1"), reason: "misheard", overrides: [:]), hash: ""))
        let f = try Self.fidelity(records)
        #expect(f.minutes < 15, "the hour's pause was counted: \(f.minutes)")
        #expect(f.secondsPerAnswer == 20)
        #expect(f.inadequate == 1 && f.overridden == 1 && f.skipped == 1 && f.amendedAfterCompletion == 1)
        #expect(f.skippedItems == ["ov_risk"])
    }
}
