import ClinterviewCore
import Foundation
import Testing

@testable import ClinterviewJournal

/// verify must name the right record for every way a journal can be altered.
@Suite struct TamperTests {
    /// A completed journal of 8 records: started, 5 answers, a note, completed.
    func makeJournal(_ directory: TemporaryDirectory) throws -> String {
        let journaled = try Fixture.start(in: directory)
        try Fixture.answerSome(journaled)
        try journaled.attachNote("n", to: "A1")
        try journaled.complete()
        journaled.close()
        return journaled.path
    }

    func firstProblem(_ path: String) throws -> JournalProblem? {
        try JournalReader.read(path: path).problems.first
    }

    @Test func anUntouchedJournalIsIntact() throws {
        let directory = TemporaryDirectory()
        let path = try makeJournal(directory)
        let contents = try JournalReader.read(path: path)
        #expect(contents.isIntact)
        #expect(contents.records.count == 8)
    }

    @Test func editingAValueIsCaught() throws {
        let directory = TemporaryDirectory()
        let path = try makeJournal(directory)
        var lines = try Fixture.lines(path)
        #expect(lines[4].contains("\"value\":\"3\""))
        lines[4] = lines[4].replacingOccurrences(of: "\"value\":\"3\"", with: "\"value\":\"1\"")
        try Fixture.write(lines, to: path)
        let problem = try #require(try firstProblem(path))
        #expect(problem.kind == .edited)
        #expect(problem.record == 5)
    }

    @Test func editingAndRehashingIsCaughtByTheNextRecord() throws {
        let directory = TemporaryDirectory()
        let path = try makeJournal(directory)
        var lines = try Fixture.lines(path)
        // A careful forger recomputes the edited record's own hash.
        let edited = lines[3].replacingOccurrences(of: "\"value\":\"3\"", with: "\"value\":\"1\"")
        let body = Array(edited.utf8.dropLast(JournalCodec.hashSuffixLength))
        lines[3] = String(decoding: body, as: UTF8.self) + ",\"hash\":\"\(SHA256Hex.of(body))\"}"
        try Fixture.write(lines, to: path)
        let problem = try #require(try firstProblem(path))
        #expect(problem.kind == .edited)
        #expect(problem.record == 4)
        #expect(problem.message.contains("record 5 no longer vouches"))
    }

    @Test func deletingARecordIsCaught() throws {
        let directory = TemporaryDirectory()
        let path = try makeJournal(directory)
        var lines = try Fixture.lines(path)
        lines.remove(at: 3)
        try Fixture.write(lines, to: path)
        let problem = try #require(try firstProblem(path))
        #expect(problem.kind == .removed)
        #expect(problem.record == 4)
        #expect(problem.message.contains("record 4 was removed"))
    }

    @Test func deletingTheFirstRecordIsCaught() throws {
        let directory = TemporaryDirectory()
        let path = try makeJournal(directory)
        var lines = try Fixture.lines(path)
        lines.removeFirst()
        try Fixture.write(lines, to: path)
        let problem = try #require(try firstProblem(path))
        #expect(problem.kind == .removed)
        #expect(problem.record == 1)
    }

    @Test func swappingTwoRecordsIsCaught() throws {
        let directory = TemporaryDirectory()
        let path = try makeJournal(directory)
        var lines = try Fixture.lines(path)
        lines.swapAt(4, 5)
        try Fixture.write(lines, to: path)
        let problem = try #require(try firstProblem(path))
        #expect(problem.kind == .reordered)
        #expect(problem.record == 5)
    }

    @Test func truncatingMidLineIsCaught() throws {
        let directory = TemporaryDirectory()
        let path = try makeJournal(directory)
        let lines = try Fixture.lines(path)
        let cut = lines[..<5].joined(separator: "\n") + "\n" + String(lines[5].prefix(40))
        try cut.write(toFile: path, atomically: false, encoding: .utf8)
        let problem = try #require(try firstProblem(path))
        #expect(problem.kind == .incomplete)
        #expect(problem.record == 6)
        #expect(try JournalReader.read(path: path).records.count == 5)
    }

    @Test func removingTheLastRecordsIsVisibleInTheCount() throws {
        let directory = TemporaryDirectory()
        let path = try makeJournal(directory)
        let lines = try Fixture.lines(path)
        try Fixture.write(Array(lines[..<3]) + [""], to: path)
        let contents = try JournalReader.read(path: path)
        // Dropping whole records from the end leaves a shorter, consistent chain: only
        // the head hash, recorded elsewhere (a report), shows it. See docs/sessions.md.
        #expect(contents.isIntact)
        #expect(contents.records.count == 3)
        #expect(!contents.isCompleted)
    }

    /// Flips one byte at each of many positions; the record reported is the one holding it.
    @Test(arguments: Array(stride(from: 0, to: 2_000, by: 37)))
    func flippingAByteIsCaughtAtItsRecord(_ position: Int) throws {
        let directory = TemporaryDirectory()
        let path = try makeJournal(directory)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let offset = position % bytes.count
        bytes[offset] ^= 0x04
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let lineOfByte = bytes[..<offset].filter { $0 == 0x0A }.count + 1
        let problem = try #require(try firstProblem(path), "flip at \(offset) not caught")
        #expect(problem.record == lineOfByte, "flip at byte \(offset): \(problem)")
    }

    @Test(arguments: [
        ("empty", ""),
        ("not json", "hello\n"),
        ("wrong types", "{\"seq\":\"one\",\"prev\":\"x\",\"hash\":\"y\"}\n"),
        ("invalid utf8", "{\"seq\":1,\u{FFFD}}\n"),
    ])
    func hostileJournalsAreReportedNotTrusted(_ name: String, _ text: String) throws {
        let directory = TemporaryDirectory()
        let path = directory.file("\(name).jsonl")
        var bytes = Array(text.utf8)
        if name == "invalid utf8" { bytes = [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D, 0x0A] }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let contents = try JournalReader.read(path: path)
        #expect(!contents.isIntact)
        #expect(contents.records.isEmpty)
        #expect(contents.problems.first?.record == 1)
    }

    @Test func aHugeLineIsRefusedWithoutReadingItAsARecord() throws {
        let directory = TemporaryDirectory()
        let path = try makeJournal(directory)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(("{\"seq\":9," + String(repeating: " ", count: 2_000_000) + "}\n").utf8))
        try handle.close()
        let problem = try #require(try firstProblem(path))
        #expect(problem.record == 9)
        #expect(problem.message.contains("1 MiB"))
    }

    @Test func resumingRefusesATamperedJournal() throws {
        let directory = TemporaryDirectory()
        let path = try makeJournal(directory)
        var lines = try Fixture.lines(path)
        lines[2] = lines[2].replacingOccurrences(of: "Low since spring", with: "Fine")
        try Fixture.write(lines, to: path)
        do {
            _ = try SessionStore(directory: directory.path).resume(
                path, interview: Fixture.interview, definition: Fixture.definition)
            Issue.record("a tampered journal was resumed")
        } catch {
            #expect(error.kind == .corrupt)
            #expect(error.message.contains("record 3"))
        }
    }
}
