import ClinterviewCore
import Foundation
import Testing

@testable import ClinterviewJournal

@Suite struct JournalTests {
    @Test func everyAnswerIsOnDiskWhenTheCallReturns() throws {
        let directory = TemporaryDirectory()
        let journaled = try Fixture.start(in: directory)
        defer { journaled.close() }
        #expect(try Fixture.lines(journaled.path).filter { !$0.isEmpty }.count == 1)
        journaled.moveOn()
        try journaled.answer(.number(30))
        #expect(try Fixture.lines(journaled.path).filter { !$0.isEmpty }.count == 2)
        try journaled.answer(.text("x"))
        try journaled.attachNote("Arrived late", to: "A1")
        let contents = try JournalReader.read(path: journaled.path)
        #expect(contents.isIntact)
        #expect(contents.records.map(\.event.typeName) == ["started", "answer", "answer", "note"])
        #expect(contents.header?.definitionSHA256 == SHA256Hex.of(Fixture.definition))
        #expect(contents.header?.client == "client-1")
    }

    @Test func changesSkipsAlertsAndCompletionAreJournaled() throws {
        let directory = TemporaryDirectory()
        let journaled = try Fixture.start(in: directory)
        defer { journaled.close() }
        try Fixture.answerSome(journaled)
        try journaled.jump(to: "A2")
        #expect(try journaled.answer(.code("2")).status == .reasonRequired)
        try journaled.answer(.code("2"), changeReason: "Clarified")
        try journaled.skip(reason: "Declined")
        for _ in 0..<5 { try journaled.answer(.code("1")) }
        let risk = try journaled.answer(.code("3"))
        #expect(risk.alerts.map(\.id) == ["risk_thoughts_of_death"])
        try journaled.acknowledge(alert: "risk_thoughts_of_death")
        try journaled.complete()
        let types = try JournalReader.read(path: journaled.path).records.map(\.event.typeName)
        #expect(
            types == [
                "started", "answer", "answer", "answer", "answer", "answer", "change", "skip",
                "answer", "answer", "answer", "answer", "answer", "answer", "alert_shown", "alert_acknowledged",
                "completed",
            ])
    }

    @Test func filesAndDirectoryArePrivate() throws {
        let directory = TemporaryDirectory()
        let store = SessionStore(directory: directory.file("nested/sessions"))
        try store.ensureDirectory()
        let attributes = try FileManager.default.attributesOfItem(atPath: store.directory)
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
        let journaled = try store.start(
            .init(
                interview: Fixture.interview, definition: Fixture.definition, definitionPath: "x",
                client: "c", rater: "r", role: "p"))
        defer { journaled.close() }
        let fileAttributes = try FileManager.default.attributesOfItem(atPath: journaled.path)
        #expect((fileAttributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test(arguments: ["../../etc/passwd", "日本語", "", "a/b\u{0}c\nd", String(repeating: "x", count: 500), "  ", "-rf"])
    func sessionIDsAreSafeFileNames(_ client: String) {
        let id = SessionStore.makeSessionID(client: client, time: Date(timeIntervalSince1970: 0))
        #expect(
            id.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
            })
        #expect(id.count <= 48)
        #expect(id.hasPrefix("19700101-000000-"))
        #expect(id != SessionStore.makeSessionID(client: client, time: Date(timeIntervalSince1970: 0)))
    }

    @Test func theDirectoryFollowsTheDocumentedOrder() {
        #expect(
            SessionStore.resolve(explicit: "/a", environment: ["CLINTERVIEW_SESSIONS": "/b", "XDG_DATA_HOME": "/c"])
                .directory == "/a")
        #expect(
            SessionStore.resolve(explicit: nil, environment: ["CLINTERVIEW_SESSIONS": "/b", "XDG_DATA_HOME": "/c"])
                .directory == "/b")
        #expect(
            SessionStore.resolve(explicit: nil, environment: ["XDG_DATA_HOME": "/c"]).directory
                == "/c/clinterview/sessions")
        #expect(
            SessionStore.resolve(explicit: nil, environment: ["HOME": "/home/u"]).directory
                == "/home/u/.local/share/clinterview/sessions")
    }

    @Test func aSecondWriterIsRefusedAndToldWhoHoldsTheSession() throws {
        let directory = TemporaryDirectory()
        let journaled = try Fixture.start(in: directory)
        try Fixture.answerSome(journaled)
        let store = SessionStore(directory: directory.path)
        do {
            _ = try store.resume(journaled.path, interview: Fixture.interview, definition: Fixture.definition)
            Issue.record("a second writer was allowed")
        } catch {
            #expect(error.kind == .locked)
            #expect(error.message.contains("pid \(getpid())"))
        }
        #expect(try JournalReader.read(path: journaled.path).isIntact)
        journaled.close()
        let (again, _) = try store.resume(journaled.path, interview: Fixture.interview, definition: Fixture.definition)
        again.close()
    }

    @Test func resumingRebuildsTheSameSessionAndContinuesWhereItStopped() throws {
        let directory = TemporaryDirectory()
        let journaled = try Fixture.start(in: directory)
        try Fixture.answerSome(journaled)
        try journaled.attachNote("Tearful", to: "A2")
        let before = journaled.session
        journaled.close()
        let (resumed, report) = try SessionStore(directory: directory.path).resume(
            journaled.header.sessionID, interview: Fixture.interview, definition: Fixture.definition)
        defer { resumed.close() }
        #expect(report.problems.isEmpty)
        #expect(!report.definitionChanged)
        #expect(resumed.session.responses == before.responses)
        #expect(resumed.session.notes == before.notes)
        #expect(resumed.session.currentItem?.id == "A4")
        try resumed.answer(.code("3"))
        let contents = try JournalReader.read(path: resumed.path)
        #expect(contents.isIntact)
        #expect(contents.records.suffix(2).map(\.event.typeName) == ["resumed", "answer"])
    }

    @Test func aChangedDefinitionIsRefusedUnlessAllowed() throws {
        let directory = TemporaryDirectory()
        let journaled = try Fixture.start(in: directory)
        try Fixture.answerSome(journaled)
        journaled.close()
        // A newer definition without the item A3 (renamed to A3_appetite).
        let newText = String(decoding: Fixture.definition, as: UTF8.self)
            .replacingOccurrences(of: "\"version\": \"1.0.0\"", with: "\"version\": \"1.1.0\"")
            .replacingOccurrences(of: "\"id\": \"A3\"", with: "\"id\": \"A3_appetite\"")
            .replacingOccurrences(of: "count(A1..A9", with: "count(A1..A9")
        let newDefinition = Array(newText.utf8)
        let newInterview = try #require(
            InterviewLoader.load(source: SourceFile(path: "new.json", bytes: newDefinition)).interview)
        let store = SessionStore(directory: directory.path)
        do {
            _ = try store.resume(journaled.path, interview: newInterview, definition: newDefinition)
            Issue.record("resumed with a changed definition")
        } catch {
            #expect(error.kind == .changedDefinition)
            #expect(error.message.contains("--allow-changed-definition"))
            #expect(error.message.contains("1.1.0"))
        }
        let (resumed, report) = try store.resume(
            journaled.path, interview: newInterview, definition: newDefinition, allowChangedDefinition: true)
        defer { resumed.close() }
        #expect(report.definitionChanged)
        #expect(report.problems.count == 1)
        #expect(report.problems.first?.contains("'A3'") == true)
        #expect(resumed.session.response(to: "A2") != nil)
    }

    @Test func exportedAnswersReplayToTheSameResults() throws {
        let directory = TemporaryDirectory()
        let journaled = try Fixture.start(in: directory)
        try Fixture.answerSome(journaled)
        try journaled.skip(reason: "Not asked: time")
        journaled.close()
        let contents = try JournalReader.read(path: journaled.path)
        let exported = AnswerFileExport.answerFileWithExpectations(from: contents, interview: Fixture.interview)
        #expect(exported["answers"]?["A3"] == .string("1"))
        #expect(exported["skipped"]?["A4"] == .string("Not asked: time"))
        let source = SourceFile(path: "exported.json", text: exported.serialized(indent: "  "))
        var sink = DiagnosticSink(source: source)
        let file = try #require(AnswerFile.read(source: source, sink: &sink))
        let result = Replayer.replay(file, interview: Fixture.interview, sink: &sink)
        #expect(sink.diagnostics.isEmpty)
        #expect(Expectations.compare(try #require(file.expect), with: result.json, source: source).isEmpty)
        #expect(file.client == "client-1")
    }

    @Test func listingShowsEachSession() throws {
        let directory = TemporaryDirectory()
        let first = try Fixture.start(in: directory, client: "alpha")
        try first.complete()
        first.close()
        let second = try Fixture.start(in: directory, client: "beta")
        second.close()
        try "garbage".write(toFile: directory.file("broken.jsonl"), atomically: true, encoding: .utf8)
        let summaries = SessionStore(directory: directory.path).list()
        #expect(summaries.count == 3)
        #expect(summaries.compactMap(\.header?.client).sorted() == ["alpha", "beta"])
        #expect(summaries.first { $0.header?.client == "alpha" }?.completed == true)
        #expect(summaries.first { $0.header?.client == "beta" }?.completed == false)
        #expect(summaries.first { $0.id == "broken" }?.problem != nil)
    }
}

/// A paper assessment entered afterwards keeps the date it took place.
@Suite struct AssessmentDateTests {
    @Test func theAssessmentDateIsKeptApartFromWhenItWasEntered() throws {
        let directory = TemporaryDirectory()
        var start = SessionStore.Start(
            interview: Fixture.interview, definition: Fixture.definition, definitionPath: Fixture.definitionPath,
            client: "c", rater: "r", role: "PWP")
        let assessed = Date(timeIntervalSince1970: 1_780_000_000)
        start.assessedAt = assessed
        let journaled = try SessionStore(directory: directory.path).start(start, clock: TickingClock().clock)
        journaled.close()
        let contents = try JournalReader.read(path: journaled.path)
        #expect(contents.isIntact)
        #expect(contents.header?.assessedAt == assessed)
        #expect(contents.records.first?.time == Date(timeIntervalSince1970: 1_800_000_001))
    }
}
