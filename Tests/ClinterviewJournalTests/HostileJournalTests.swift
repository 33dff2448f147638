import ClinterviewCore
import ClinterviewTestSupport
import Foundation
import Testing

@testable import ClinterviewJournal

/// What a hostile test found: races, oversized text, planted links, pipes,
/// records after completion, and where a moved session is resumed from.
@Suite struct HostileJournalTests {
    /// Two resumes of one session at once: the lock is taken before the
    /// journal is read, so the second either fails or reads what the first wrote.
    @Test func concurrentResumesNeverDuplicateSequenceNumbers() throws {
        let directory = TemporaryDirectory()
        let journaled = try Fixture.start(in: directory)
        try Fixture.answerSome(journaled)
        let path = journaled.path
        journaled.close()
        let store = SessionStore(directory: directory.path)
        for _ in 0..<40 {
            DispatchQueue.concurrentPerform(iterations: 2) { _ in
                if let (resumed, _) = try? store.resume(
                    path, interview: Fixture.interview, definition: Fixture.definition)
                {
                    _ = try? resumed.answer(.code("1"))
                    resumed.close()
                }
            }
        }
        let contents = try JournalReader.read(path: path)
        #expect(contents.problems.isEmpty, "\(contents.problems)")
        #expect(contents.records.map(\.sequence) == Array(1...contents.records.count))
    }

    @Test func textLongerThanTheLimitIsRefusedBeforeAnythingIsWritten() throws {
        let directory = TemporaryDirectory()
        let journaled = try Fixture.start(in: directory)
        journaled.moveOn()
        try journaled.answer(.number(30))
        let before = try JournalReader.read(path: journaled.path).records.count
        let long = String(repeating: "x", count: TextLimit.bytes + 1)
        let result = try journaled.answer(.text(long))
        guard case .rejected(let message) = result.status else { Issue.record("accepted: \(result.status)"); return }
        #expect(message.contains("at most 64 KB"))
        #expect(throws: SessionError.self) { try journaled.attachNote(long, to: "age") }
        let skipped = try journaled.skip(reason: long)
        #expect(skipped.status != .accepted)
        #expect(try JournalReader.read(path: journaled.path).records.count == before)
        // Text at the limit is recorded, and the journal still reads and resumes.
        try journaled.answer(.text(String(repeating: "é", count: TextLimit.bytes / 2)))
        let path = journaled.path
        journaled.close()
        #expect(try JournalReader.read(path: path).problems.isEmpty)
        let (resumed, _) = try SessionStore(directory: directory.path).resume(
            path, interview: Fixture.interview, definition: Fixture.definition)
        resumed.close()
    }

    /// The writer and the reader agree: a record the reader would refuse is never written.
    @Test func theWriterRefusesARecordLongerThanTheReaderReads() throws {
        let directory = TemporaryDirectory()
        let journaled = try Fixture.start(in: directory)
        #expect(throws: JournalError.self) {
            try journaled.writer.append(.note(item: "age", text: String(repeating: "y", count: 1 << 20)), at: Date())
        }
        try journaled.writer.append(.note(item: "age", text: "short"), at: Date())
        let path = journaled.path
        journaled.close()
        let contents = try JournalReader.read(path: path)
        #expect(contents.problems.isEmpty)
        #expect(contents.records.count == 2)
    }

    @Test func namesLongerThanTheLimitAreRefusedAtStart() throws {
        let directory = TemporaryDirectory()
        #expect(throws: JournalError.self) {
            _ = try Fixture.start(in: directory, client: String(repeating: "c", count: 2000))
        }
    }

    /// A link planted at the lock note's name never has its target truncated.
    @Test func aLinkAtTheLockNoteIsNotFollowed() throws {
        let directory = TemporaryDirectory()
        let journaled = try Fixture.start(in: directory)
        let path = journaled.path
        journaled.close()
        let victim = directory.file("victim.txt")
        try "precious".write(toFile: victim, atomically: false, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: path + ".lock")
        try FileManager.default.createSymbolicLink(atPath: path + ".lock", withDestinationPath: victim)
        let (resumed, _) = try SessionStore(directory: directory.path).resume(
            path, interview: Fixture.interview, definition: Fixture.definition)
        resumed.close()
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
        // A hard link is not emptied either.
        try? FileManager.default.removeItem(atPath: path + ".lock")
        try FileManager.default.linkItem(atPath: victim, toPath: path + ".lock")
        let (again, _) = try SessionStore(directory: directory.path).resume(
            path, interview: Fixture.interview, definition: Fixture.definition)
        again.close()
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
    }

    @Test func aSessionsDirectoryOthersCanWriteIsRefused() throws {
        let directory = TemporaryDirectory()
        chmod(directory.path, 0o777)
        #expect(throws: JournalError.self) { _ = try Fixture.start(in: directory) }
        chmod(directory.path, 0o1777)
        #expect(throws: JournalError.self) { _ = try Fixture.start(in: directory) }
        chmod(directory.path, 0o700)
        let journaled = try Fixture.start(in: directory)
        journaled.close()
    }

    /// A pipe or a device named like a journal is refused at once, not waited on.
    @Test func aPipeOrADeviceNamedLikeAJournalIsRefused() throws {
        let directory = TemporaryDirectory()
        let fifo = directory.file("fifo.jsonl")
        #expect(mkfifo(fifo, 0o600) == 0)
        try FileManager.default.createSymbolicLink(
            atPath: directory.file("zero.jsonl"), withDestinationPath: "/dev/zero")
        for path in [fifo, directory.file("zero.jsonl")] {
            #expect(throws: JournalError.self) { _ = try JournalReader.read(path: path) }
        }
        let summaries = SessionStore(directory: directory.path).list()
        #expect(summaries.count == 2)
        #expect(summaries.allSatisfy { $0.problem?.contains("not a regular file") == true })
    }

    @Test func onlyAmendmentsWithReasonsAndNotesMayFollowCompletion() throws {
        let directory = TemporaryDirectory()
        let journaled = try Fixture.start(in: directory)
        try Fixture.answerSome(journaled)
        try journaled.complete()
        try journaled.writer.append(.note(item: "age", text: "seen again"), at: Date())
        try journaled.writer.append(
            .changed(item: "age", value: .number(31), reason: "misheard", overrides: [:]), at: Date())
        #expect(try JournalReader.read(path: journaled.path).problems.isEmpty)
        try journaled.writer.append(.answered(item: "A5", value: .string("3"), overrides: [:]), at: Date())
        let contents = try JournalReader.read(path: journaled.path)
        #expect(contents.problems.first?.kind == .afterCompletion)
        #expect(contents.problems.first?.record == contents.records.count + 1)
        journaled.close()
    }

    @Test func aChangeAfterCompletionWithoutAReasonFailsVerification() throws {
        let directory = TemporaryDirectory()
        let journaled = try Fixture.start(in: directory)
        try Fixture.answerSome(journaled)
        try journaled.complete()
        try journaled.writer.append(.changed(item: "age", value: .number(31), reason: " ", overrides: [:]), at: Date())
        #expect(try JournalReader.read(path: journaled.path).problems.first?.kind == .afterCompletion)
        journaled.close()
    }

    /// After "save elsewhere", the way to resume names the new copy.
    @Test func theResumeCommandNamesTheJournalWhereItNowIs() throws {
        let first = TemporaryDirectory(), second = TemporaryDirectory()
        let journaled = try Fixture.start(in: first)
        try Fixture.answerSome(journaled)
        try SessionStore(directory: second.path).relocate(journaled)
        #expect(journaled.path.hasPrefix(second.path))
        #expect(journaled.resumeCommand == "clinterview run --resume \(journaled.path)")
        journaled.close()
        #expect(ShellQuote.quote("/tmp/a b/it's.jsonl") == "'/tmp/a b/it'\\''s.jsonl'")
    }
}
