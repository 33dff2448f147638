import ClinterviewCore
import Foundation
import Testing

@testable import ClinterviewJournal

/// A journal file that fills up like a small disk: a write past `capacity` writes
/// what fits, then fails with ENOSPC, as write(2) does.
final class FullDiskFile: JournalFile {
    var path: String
    var bytes: [UInt8] = []
    var capacity: Int
    /// Makes every fsync fail with EIO, as a failing disk does.
    var failFlushes = false
    /// Background flushes are left unfinished until the test finishes them.
    var holdFlushes = false
    var heldFlushes: [FlushTicket] = []

    init(path: String, capacity: Int) {
        self.path = path
        self.capacity = capacity
    }

    var size: Int { bytes.count }

    func write(_ new: [UInt8]) throws(JournalError) {
        let room = max(0, capacity - bytes.count)
        bytes += new.prefix(room)
        if new.count > room { throw POSIXJournalFile.error(ENOSPC, path: path, doing: "write") }
    }

    func flush() throws(JournalError) {
        if failFlushes { throw POSIXJournalFile.error(EIO, path: path, doing: "flush to disk") }
    }

    func flushInBackground() -> FlushTicket {
        let ticket = FlushTicket()
        if holdFlushes {
            heldFlushes.append(ticket)
        } else {
            ticket.finish(failFlushes ? POSIXJournalFile.error(EIO, path: path, doing: "flush to disk") : nil)
        }
        return ticket
    }

    func truncate(to size: Int) throws(JournalError) { bytes.removeSubrange(size...) }
    func isStillInPlace() -> Bool { true }
    func publish(as path: String) throws(JournalError) { self.path = path }
    func close() {}
}

@Suite struct FailureTests {
    /// A session in `directory` whose journal is a `FullDiskFile`, moved past its
    /// opening display item to the first question.
    func startOnFakeDisk(
        in directory: TemporaryDirectory, capacity: Int = 1_000_000, flushingInBackground: Bool = false
    ) throws -> (JournaledSession, FullDiskFile) {
        var disk: FullDiskFile?
        let journaled = try Fixture.start(in: directory) { path throws(JournalError) in
            let file = FullDiskFile(path: path, capacity: capacity)
            disk = file
            return file
        }
        journaled.flushesInBackground = flushingInBackground
        journaled.moveOn()
        return (journaled, try #require(disk))
    }

    @Test func aFullDiskLosesNothingAndTheSessionCanMoveElsewhere() throws {
        let directory = TemporaryDirectory()
        let (journaled, full) = try startOnFakeDisk(in: directory, capacity: 1_700)
        var acknowledged: [String] = []
        var failure: JournalError?
        for input in [AnswerInput.number(30), .text("Low"), .code("3"), .code("3"), .code("1"), .code("1")] {
            let item = try #require(journaled.session.currentItem?.id)
            do {
                try journaled.answer(input)
                acknowledged.append(item)
            } catch {
                failure = error
                break
            }
        }
        let error = try #require(failure)
        #expect(error.kind == .noSpace)
        #expect(error.message.contains("disk is full"))
        #expect(error.path == journaled.path)
        // The failed record was cut back off: the journal on the "disk" is intact and complete.
        let onDisk = JournalReader.parse(full.bytes, path: full.path)
        #expect(onDisk.isIntact)
        #expect(onDisk.records.count == acknowledged.count + 1)
        // The session did not move on: the unsaved answer is still to be given.
        let pending = try #require(journaled.session.currentItem?.id)
        #expect(!acknowledged.contains(pending))
        #expect(journaled.session.response(to: pending) == nil)

        // Save elsewhere, then carry on.
        let elsewhere = TemporaryDirectory()
        try SessionStore(directory: elsewhere.path).relocate(journaled)
        try journaled.answer(.code("3"))
        let moved = try JournalReader.read(path: journaled.path)
        #expect(journaled.path.hasPrefix(elsewhere.path))
        #expect(moved.isIntact)
        #expect(moved.records.count == acknowledged.count + 2)
        journaled.close()
    }

    @Test func aBackgroundFlushThatFailsIsReportedAndTheSessionCanMoveElsewhere() throws {
        let directory = TemporaryDirectory()
        let (journaled, failing) = try startOnFakeDisk(in: directory, flushingInBackground: true)
        failing.failFlushes = true
        let first = try #require(journaled.session.currentItem?.id)
        try journaled.answer(.number(30))
        // Written and recorded: the failure shows when the flush is waited for.
        #expect(journaled.session.response(to: first) != nil)
        #expect(throws: JournalError.self) { try journaled.confirmSaved() }
        #expect(journaled.writer.isDurable)

        let elsewhere = TemporaryDirectory()
        try SessionStore(directory: elsewhere.path).relocate(journaled)
        #expect(try journaled.confirmSaved())
        try journaled.answer(.text("Low"))
        try journaled.confirmSaved()
        let moved = try JournalReader.read(path: journaled.path)
        #expect(moved.isIntact)
        #expect(
            moved.records.map(\.event).contains { if case .answered(item: first, _, _) = $0 { true } else { false } })
        journaled.close()
    }

    @Test func aChangeWaitsForThePreviousFlush() throws {
        let directory = TemporaryDirectory()
        let (journaled, slow) = try startOnFakeDisk(in: directory, flushingInBackground: true)
        slow.holdFlushes = true
        try journaled.answer(.number(30))
        #expect(!journaled.writer.isDurable)
        #expect(try journaled.confirmSaved(within: 0.01) == false)
        let ticket = try #require(slow.heldFlushes.first)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { ticket.finish(nil) }
        // The next answer is written only once the first is on disk.
        try journaled.answer(.text("Low"))
        #expect(ticket.isFinished)
        #expect(slow.heldFlushes.count == 2)
        slow.heldFlushes[1].finish(nil)
        #expect(try journaled.confirmSaved(within: 1))
        journaled.close()
    }

    @Test func aRealJournalFlushedInTheBackgroundReadsBackWhole() throws {
        let directory = TemporaryDirectory()
        let journaled = try Fixture.start(in: directory)
        journaled.flushesInBackground = true
        try Fixture.answerSome(journaled)
        #expect(try journaled.confirmSaved(within: 10))
        #expect(journaled.writer.isDurable)
        let contents = try JournalReader.read(path: journaled.path)
        #expect(contents.isIntact)
        #expect(contents.records.count == journaled.writer.lines.count)
        #expect(contents.records.count == 6)
        journaled.close()
    }

    @Test func aJournalRemovedUnderneathIsNoticedAndNothingIsLost() throws {
        let directory = TemporaryDirectory()
        let journaled = try Fixture.start(in: directory)
        try Fixture.answerSome(journaled)
        try FileManager.default.removeItem(atPath: journaled.path)
        do {
            try journaled.answer(.code("2"))
            Issue.record("wrote to a removed journal")
        } catch {
            #expect(error.kind == .replaced)
            #expect(error.path == journaled.path)
        }
        #expect(journaled.session.currentItem?.id == "A4")
        let elsewhere = TemporaryDirectory()
        try SessionStore(directory: elsewhere.path).relocate(journaled)
        try journaled.answer(.code("2"))
        let contents = try JournalReader.read(path: journaled.path)
        #expect(contents.isIntact)
        #expect(contents.records.count == 7)
        journaled.close()
    }

    @Test func aJournalReplacedUnderneathIsNoticed() throws {
        let directory = TemporaryDirectory()
        let journaled = try Fixture.start(in: directory)
        defer { journaled.close() }
        try Fixture.answerSome(journaled)
        let text = try String(contentsOfFile: journaled.path, encoding: .utf8)
        try FileManager.default.removeItem(atPath: journaled.path)
        try text.write(toFile: journaled.path, atomically: false, encoding: .utf8)
        #expect(throws: JournalError.self) { try journaled.answer(.code("2")) }

        let second = try Fixture.start(in: directory)
        defer { second.close() }
        let handle = try #require(FileHandle(forWritingAtPath: second.path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{}\n".utf8))
        try handle.close()
        second.moveOn()
        #expect(throws: JournalError.self) { try second.answer(.number(40)) }
    }

    @Test func anUnwritableDirectoryGivesAClearError() throws {
        let directory = TemporaryDirectory()
        let blocker = directory.file("not-a-directory")
        try "x".write(toFile: blocker, atomically: true, encoding: .utf8)
        let store = SessionStore(directory: (blocker as NSString).appendingPathComponent("sessions"))
        do {
            _ = try store.start(
                .init(
                    interview: Fixture.interview, definition: Fixture.definition, definitionPath: "x", client: "c",
                    rater: "r", role: "p"))
            Issue.record("started a session in an impossible directory")
        } catch {
            #expect(error.path == store.directory)
            #expect(error.message.contains("--sessions"))
        }
        let file = SessionStore(directory: blocker)
        #expect(throws: JournalError.self) { try file.ensureDirectory() }
    }

    @Test func aRecordCutOffByACrashIsSetAsideOnResume() throws {
        let directory = TemporaryDirectory()
        let journaled = try Fixture.start(in: directory)
        try Fixture.answerSome(journaled)
        journaled.close()
        // A crash in the middle of writing the next record.
        let handle = try #require(FileHandle(forWritingAtPath: journaled.path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"seq\":7,\"prev\":\"abc".utf8))
        try handle.close()
        #expect(try JournalReader.read(path: journaled.path).problems.first?.kind == .incomplete)

        let (resumed, report) = try SessionStore(directory: directory.path).resume(
            journaled.path, interview: Fixture.interview, definition: Fixture.definition)
        let aside = try #require(report.tornTailSavedAt)
        #expect(try String(contentsOfFile: aside, encoding: .utf8) == "{\"seq\":7,\"prev\":\"abc")
        #expect(resumed.session.response(to: "A3")?.answer.input == .code("1"))
        try resumed.answer(.code("3"))
        resumed.close()
        let contents = try JournalReader.read(path: journaled.path)
        #expect(contents.isIntact)
        #expect(contents.records.map(\.event.typeName).suffix(3) == ["answer", "resumed", "answer"])
    }

    @Test func aSessionThatCannotWriteItsFirstRecordLeavesNoJournal() throws {
        let directory = TemporaryDirectory()
        do {
            _ = try Fixture.start(in: directory) { path throws(JournalError) in FullDiskFile(path: path, capacity: 10) }
            Issue.record("started without a first record")
        } catch let error as JournalError {
            #expect(error.kind == .noSpace)
        }
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".jsonl") }
                .isEmpty)
        #expect(SessionStore(directory: directory.path).list().isEmpty)
    }
}
