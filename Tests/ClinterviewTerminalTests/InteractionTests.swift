import ClinterviewCore
import ClinterviewJournal
import ClinterviewTestSupport
import Foundation
import Testing

@testable import ClinterviewTerminal

/// Transcript-style tests: keys in, what is recorded and shown out.
@Suite struct InteractionTests {
    func app(
        _ interview: String = "Interviews/sample.json", driver: MemoryDriver? = nil
    ) -> (InterviewApp, MemoryDriver) {
        let driver = driver ?? MemoryDriver(loadInterview(interview))
        return (InterviewApp(driver: driver, now: fixedNow), driver)
    }

    func toScreening(_ app: InterviewApp) {
        app.handle(.enter)
        app.type("34\r")
        app.type("Low\r")
    }

    @Test func aWholePHQ9ByKeysIsJournaledAndTotalled() throws {
        let directory = NSTemporaryDirectory() + "clinterview-ui-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = Repository.path("Interviews/phq9.json")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let interview = try #require(InterviewLoader.load(source: SourceFile(path: path, bytes: bytes)).interview)
        let journaled = try SessionStore(directory: directory).start(
            .init(interview: interview, definition: bytes, definitionPath: path, client: "c1", rater: "r", role: "PWP"))
        let app = InterviewApp(driver: journaled, now: fixedNow)
        app.handle(.enter)
        app.type("123210123")
        #expect(app.pendingAlert?.id == "phq9_item9_risk")
        app.type("2")
        #expect(journaled.session.response(to: "phq9_difficulty") == nil)
        app.type("A2")
        guard case .summary(_, let atEnd) = app.mode else {
            Issue.record("no summary at the end: \(app.mode)")
            return
        }
        #expect(atEnd)
        #expect(app.screen().contains("PHQ-9 total (LOINC 44261-6): 15 (moderately severe)"))
        app.type("C")
        #expect(app.completed)
        #expect(app.wantsQuit)
        journaled.close()
        let records = try JournalReader.read(path: journaled.path)
        #expect(records.isIntact)
        #expect(records.records.map(\.event.typeName).filter { $0 == "answer" }.count == 10)
        #expect(records.records.contains { $0.event == .alertAcknowledged(id: "phq9_item9_risk") })
        #expect(records.isCompleted)
    }

    /// While the "terminal too small" notice is up the item cannot be seen,
    /// so no key records anything; the interview goes on once it is larger.
    @Test func nothingIsRecordedWhileTheTerminalIsTooSmall() {
        let (app, driver) = app("Interviews/phq9.json")
        app.handle(.enter)
        _ = app.render(rows: 20, columns: 60)
        app.type("3")
        #expect(driver.session.response(to: "phq9_1") == nil)
        _ = app.render(rows: 24, columns: 80)
        app.type("3")
        #expect(driver.session.response(to: "phq9_1") != nil)
    }

    /// The WSAS work item keys its options by their codes, "not applicable" by a
    /// letter: pressing 6 records 6 (it recorded 5 when keys were positions).
    @Test func theWorkItemRecordsTheCodeOfTheKeyPressed() {
        let (app, driver) = app("Interviews/wsas.json")
        _ = app.render(rows: 24, columns: 80)
        while let item = driver.session.currentItem, item.id != "wsas_1" { app.handle(.enter) }
        app.type("6")
        #expect(driver.session.response(to: "wsas_1")?.answer.input == .code("6"))
    }

    /// A key that means nothing on the item says what the keys are.
    @Test func aKeyThatChoosesNothingSaysWhichKeysDo() {
        let (app, driver) = app("Interviews/phq9.json")
        app.handle(.enter)
        app.type("7")
        #expect(driver.session.response(to: "phq9_1") == nil)
        #expect(app.status?.text == "'7' is not an answer here; the keys are 0 1 2 3, shown beside the options")
        #expect(app.status?.isError == true)
    }

    /// An item opened from the results at the end goes back to the results
    /// once answered, and the results complete the session with C.
    @Test func answeringFromTheResultsReturnsToThem() {
        let (app, driver) = app("Interviews/phq9.json")
        app.handle(.enter)
        app.type("s")
        app.type("Client would not say\r")
        app.type("00000000")
        app.type("0")
        guard case .summary(_, true) = app.mode else {
            Issue.record("not at the results: \(app.mode)")
            return
        }
        app.handle(.enter)
        #expect(driver.session.currentItem?.id == "phq9_1")
        app.type("1")
        // Answering a skipped item is a change: it asks why.
        app.type("The client told us later\r")
        guard case .summary(_, true) = app.mode else {
            Issue.record("did not return to the results: \(app.mode)")
            return
        }
        #expect(driver.session.response(to: "phq9_1")?.answer.input == .code("1"))
        app.type("C")
        #expect(app.completed)
    }

    /// The core interview's longest alert is shown whole at 80x24, in the
    /// banner and in the results: a clinician must read all of it.
    @Test func aLongAlertIsWrappedWholeAt80x24() {
        let (app, driver) = app("Interviews/core.json")
        var guardSteps = 0
        while let item = driver.session.currentItem, item.id != "RS1", guardSteps < 200 {
            guardSteps += 1
            switch item.kind {
            case .text: app.type("x\r")
            case .yesNo: app.type("n")
            case .display: app.handle(.enter)
            default: app.type("1")
            }
        }
        app.type("2")  // RS1: thoughts that life is not worth living
        let screen = app.screen().replacingOccurrences(of: "\n", with: " ")
        let words = "Ask the risk questions now and follow your service's risk procedure."
        #expect(words.split(separator: " ").allSatisfy { screen.contains($0) }, "\(app.screen())")
        #expect(app.screen().contains("Press A to acknowledge before going on."))
    }

    @Test func changingAnAnswerAsksWhyAndEscCancels() throws {
        let (app, driver) = app()
        toScreening(app)
        app.type("3")
        app.handle(.left)
        #expect(app.session.currentItem?.id == "A1")
        #expect(app.screen().contains("Recorded: 3 (Threshold or true)"))
        app.type("2")
        guard case .reason(.change(let item, let input, _), _) = app.mode else {
            Issue.record("no reason asked"); return
        }
        #expect(item == "A1")
        #expect(input == .code("2"))
        app.handle(.escape)
        #expect(driver.session.response(to: "A1")?.answer.input == .code("3"))
        app.type("2")
        app.handle(.enter)
        #expect(app.status?.text == "a reason is needed")
        app.type("Client clarified\r")
        #expect(driver.session.response(to: "A1")?.answer.input == .code("2"))
        #expect(driver.session.response(to: "A1")?.amendments.map(\.reason) == ["Client clarified"])
        #expect(app.session.currentItem?.id == "A2")
    }

    @Test func enterOnARevisitedItemKeepsItsAnswer() {
        let (app, driver) = app()
        toScreening(app)
        app.type("3")
        app.handle(.backspace)
        app.handle(.enter)
        #expect(app.session.currentItem?.id == "A2")
        #expect(driver.session.response(to: "A1")?.amendments.isEmpty == true)
        // On a new item a stray Enter records nothing.
        app.handle(.enter)
        #expect(app.session.currentItem?.id == "A2")
        #expect(driver.session.response(to: "A2") == nil)
    }

    @Test func softCheckCanBeCorrectedOrOverridden() {
        let (app, driver) = app()
        app.handle(.enter)
        app.type("16\r")
        guard case .softCheck = app.mode else { Issue.record("no soft check"); return }
        app.type("c")
        #expect(app.mode == .asking)
        #expect(driver.session.response(to: "age") == nil)
        app.handle(.control("u"))
        app.type("16\r")
        app.type("o")
        app.type("Seen by agreement\r")
        #expect(driver.session.response(to: "age")?.overrides == ["age_adult": "Seen by agreement"])
        #expect(app.session.currentItem?.id == "presenting_problem")
    }

    @Test func hardChecksAndRangesMustBeCorrected() throws {
        let text = """
            { "format": "clinterview/1", "id": "h", "version": "1", "title": "H",
              "modules": [{ "id": "m", "title": "M", "sections": [{ "id": "s", "title": "S", "items": [
                { "id": "onset", "kind": "integer", "prompt": "Age at onset?", "min": 0, "max": 120 },
                { "id": "now", "kind": "integer", "prompt": "Age now?", "checks": [
                  { "id": "order", "severity": "hard", "rule": "now >= onset", "message": "Age now is below the age at onset." } ] } ] }] }] }
            """
        let interview = try #require(InterviewLoader.load(source: SourceFile(path: "h.json", text: text)).interview)
        let (app, driver) = app(driver: MemoryDriver(interview))
        app.type("130\r")
        #expect(app.status?.text == "130 is above the maximum of 120 for onset")
        app.handle(.control("u"))
        app.type("x\r")
        #expect(app.status?.text == "'x' is not a number")
        app.handle(.control("u"))
        app.type("40\r")
        app.type("30\r")
        #expect(app.status?.text == "Age now is below the age at onset.")
        #expect(app.status?.isError == true)
        #expect(driver.session.response(to: "now") == nil)
        app.handle(.control("u"))
        app.type("41\r")
        #expect(driver.session.response(to: "now") != nil)
    }

    @Test func skipAsksForAReason() {
        let (app, driver) = app()
        toScreening(app)
        app.type("s")
        app.handle(.enter)
        #expect(app.status?.text == "a reason is needed")
        app.type("Declined\r")
        #expect(driver.session.response(to: "A1")?.answer == .skipped(reason: "Declined"))
        #expect(app.session.currentItem?.id == "A2")
    }

    @Test func notesAreSavedOrDiscarded() {
        let (app, driver) = app()
        toScreening(app)
        app.type("n")
        app.type("Discard me")
        app.handle(.escape)
        #expect(driver.session.notes.isEmpty)
        app.type("n")
        app.type("Tearful")
        app.handle(.enter)
        app.type("日本語 ok")
        app.handle(.control("s"))
        #expect(driver.session.notes.values.first?.map(\.text) == ["Tearful\n日本語 ok"])
        #expect(app.screen().contains("✎ 1 note"))
    }

    @Test func yesNoTakesYAndNAndItsNoteIsOnF2() {
        let (app, driver) = app()
        toScreening(app)
        app.type("331111111")
        app.type("3w\r")
        app.type("3")
        #expect(app.session.currentItem?.id == "mde_organic")
        app.handle(.function(2))
        guard case .note = app.mode else { Issue.record("F2 did not open a note"); return }
        app.handle(.escape)
        app.type("n")
        #expect(driver.session.response(to: "mde_organic")?.answer.input == .bool(false))
        guard case .summary(_, true) = app.mode else { Issue.record("no summary at the end"); return }
    }

    @Test func inAFieldBackspaceDeletesThenGoesBack() {
        let (app, _) = app()
        app.handle(.enter)
        app.type("34\r")
        #expect(app.session.currentItem?.id == "presenting_problem")
        app.type("ab")
        app.handle(.backspace)
        app.handle(.backspace)
        #expect(app.session.currentItem?.id == "presenting_problem")
        app.handle(.backspace)
        #expect(app.session.currentItem?.id == "age")
        #expect(app.field.text == "34")
        // Letters are typed, not commands.
        app.handle(.character("q"))
        #expect(!app.wantsQuit)
        #expect(app.field.text == "34q")
    }

    @Test func anUrgentAlertMustBeAcknowledgedFirst() {
        let (app, driver) = app()
        toScreening(app)
        app.type("33111111")
        app.type("2")
        #expect(app.pendingAlert?.id == "risk_thoughts_of_death")
        app.type("3w\r")
        #expect(driver.session.response(to: "mde_duration") == nil)
        #expect(app.screen().contains("URGENT"))
        app.type("A")
        #expect(driver.session.acknowledgedAlerts == ["risk_thoughts_of_death"])
        app.type("3w\r")
        #expect(driver.session.response(to: "mde_duration") != nil)
        #expect(!app.screen().contains("URGENT"))
    }

    @Test func theJumpListGoesToAnsweredItemsAndRefusesSkippedOnes() {
        let (app, _) = app()
        toScreening(app)
        app.type("11")
        app.type("j")
        guard case .jumpList(let selection) = app.mode else { Issue.record("no jump list"); return }
        #expect(app.interview.items[app.jumpEntries[selection]].id == "mde_organic")
        app.handle(.enter)
        #expect(app.status?.text.contains("not on the route") == true)
        app.handle(.home)
        app.handle(.enter)
        #expect(app.mode == .asking)
        #expect(app.session.currentItem?.id == "age")
    }

    @Test func resultsLeadToTheItemsThatDecide() {
        let (app, _) = app()
        toScreening(app)
        app.type("3")
        app.type("r")
        #expect(app.summaryTargets.first == "A2")
        app.handle(.down)
        app.handle(.enter)
        #expect(app.session.currentItem?.id == "A3")
        #expect(app.mode == .asking)
    }

    @Test func aFailedSaveKeepsTheAnswerAndCanMoveElsewhere() {
        let (app, driver) = app()
        toScreening(app)
        driver.failWrites = true
        app.type("3")
        guard case .saveFailed(let message, let pending) = app.mode else { Issue.record("no failure shown"); return }
        #expect(message.contains("disk is full"))
        #expect(pending == .answer(item: "A1", input: .code("3"), overrides: [:], reason: nil))
        #expect(app.session.currentItem?.id == "A1")
        app.type("r")
        guard case .saveFailed = app.mode else { Issue.record("retry did not fail again"); return }
        app.type("d")
        app.handle(.control("u"))
        app.type("/tmp/elsewhere\r")
        #expect(driver.savedElsewhere == "/tmp/elsewhere")
        #expect(driver.session.response(to: "A1")?.answer.input == .code("3"))
        #expect(app.session.currentItem?.id == "A2")
        #expect(app.status?.text == nil || app.mode == .asking)
    }

    @Test func aFlushThatFailsAfterTheScreenMovedOnAsksToSaveElsewhere() {
        let (app, driver) = app()
        toScreening(app)
        app.type("3")
        #expect(app.settle() == false)
        #expect(driver.flushWaits.last == InterviewApp.slowFlush)
        driver.failNextFlush = true
        app.type("1")
        #expect(app.settle())
        guard case .saveFailed(let message, .flush) = app.mode else { Issue.record("no flush failure shown"); return }
        #expect(message.contains("Input/output error"))
        // The answer is recorded; only moving the session makes it safe, so there is no retry.
        #expect(driver.session.response(to: "A2")?.answer.input == .code("1"))
        #expect(app.keyHelp.contains("D save") && !app.keyHelp.contains("R retry"))
        let screen = app.render(rows: 24, columns: 80).text
        #expect(screen.contains("The last change is recorded but not safely on disk."))
        app.type("r")
        guard case .saveFailed(_, .flush) = app.mode else { Issue.record("r left the failure"); return }
        app.type("d")
        app.handle(.control("u"))
        app.type("/tmp/elsewhere\r")
        #expect(driver.savedElsewhere == "/tmp/elsewhere")
        #expect(app.mode == .asking)
        #expect(app.session.currentItem?.id == "A3")
    }

    @Test(arguments: ["Interviews/sample.json", "Interviews/core.json", "Interviews/phq9.json"])
    func thePreviewDrawsTheFirstScreenOfTheSession(_ path: String) {
        let (app, driver) = app(path)
        let preview = InterviewApp(
            driver: PreviewDriver(
                interview: driver.session.interview, client: driver.client, rater: driver.rater,
                role: driver.role, startedAt: driver.startedAt), now: fixedNow)
        for (rows, columns) in [(24, 80), (40, 120)] {
            #expect(
                preview.render(rows: rows, columns: columns).styledText
                    == app.render(rows: rows, columns: columns).styledText)
        }
        let item = driver.session.interview.items[0].id
        #expect(throws: PreviewDriver.NotStarted.self) {
            _ = try PreviewDriver(interview: driver.session.interview, client: "c", rater: "r", role: "r").answer(
                item: item, .code("1"), overrides: [:], changeReason: nil)
        }
    }

    @Test func aSlowFlushShowsAndThenClears() {
        let (app, driver) = app()
        toScreening(app)
        app.type("3")
        driver.slowFlushes = 2
        #expect(app.settle())
        #expect(app.status?.text == "saving to disk…")
        #expect(app.render(rows: 24, columns: 80).text.contains("saving to disk…"))
        // Once shown, the loop only looks (without waiting) until the flush is done.
        #expect(app.settle() == false)
        #expect(driver.flushWaits.last == 0)
        #expect(app.settle())
        #expect(app.status == nil)
        #expect(app.settle() == false)
    }

    @Test func multipleChoiceTicksAndSaves() {
        let (app, driver) = app("docs/examples/tutorial.json")
        app.type("333131312")
        #expect(app.session.currentItem?.id == "W_topics")
        app.type("13")
        app.handle(.down)
        app.handle(.character(" "))
        app.type("1")
        app.handle(.enter)
        // 1 and 3 ticked work and family; ↓ moved from family to money and Space ticked it; 1 unticked work.
        #expect(driver.session.response(to: "W_topics")?.answer.input == .codes(["family", "money"]))
    }

    @Test func quittingRecordsAPause() {
        let (app, _) = app()
        toScreening(app)
        app.type("q")
        #expect(app.wantsQuit)
    }

    @Test func escapeSequencesFromFilesAreNeverDrawnRaw() throws {
        let text = """
            { "format": "clinterview/1", "id": "x", "version": "1", "title": "Evil\\u001b[2J title",
              "modules": [{ "id": "m", "title": "M\\u0007", "sections": [{ "id": "s", "title": "S", "items": [
                { "id": "q", "kind": "yesno", "prompt": "Line\\u001b]0;pwned\\u0007 and \\u202Ereversed" } ] }] }] }
            """
        let interview = try #require(InterviewLoader.load(source: SourceFile(path: "x.json", text: text)).interview)
        let (app, _) = app(driver: MemoryDriver(interview))
        let grid = app.render(rows: 24, columns: 80)
        for row in 0..<24 {
            for column in 0..<80 {
                let scalars = grid[row, column].character.unicodeScalars
                #expect(
                    !scalars.contains { $0.value < 0x20 || $0.value == 0x7F || $0 == "\u{202E}" },
                    "control character at \(row),\(column)")
            }
        }
        #expect(grid.text.contains("Evil�[2J title"))
    }

    @Test func everySizeFromTinyToHugeRendersWithinBounds() {
        let (app, _) = app("Tests/Fixtures/wide.json")
        for (rows, columns) in [(1, 1), (5, 20), (23, 80), (24, 80), (24, 109), (24, 110), (50, 200), (100, 400)] {
            let grid = app.render(rows: rows, columns: columns)
            #expect(grid.rows == rows && grid.columns == columns)
            for row in 0..<rows { #expect(DisplayWidth.of(grid.line(row)) <= columns) }
        }
    }
}

@Suite struct TimeFrameTests {
    @Test func promptsUseTheChosenTimeFrame() {
        let interview = loadInterview("Interviews/core.json")
        let a1 = interview.item("A1")!
        #expect(interview.text(a1.prompt, language: nil).hasPrefix("In the past month, have you been feeling down"))
        #expect(
            interview.text(a1.prompt, language: nil, timeFrame: "follow_up").hasPrefix(
                "Since the last assessment, have you been feeling down"))
        let app = InterviewApp(driver: MemoryDriver(interview), now: fixedNow, timeFrame: "follow_up", blind: true)
        #expect(app.text(a1.prompt).hasPrefix("Since the last assessment"))
        #expect(app.screen().hasPrefix(" BLIND │"))
    }
}

@Suite struct RequiredItemTests {
    @Test func requiredItemsSaySo() throws {
        let text = """
            { "format": "clinterview/1", "id": "r", "version": "1", "title": "R",
              "modules": [{ "id": "m", "title": "M", "sections": [{ "id": "s", "title": "S", "items": [
                { "id": "q", "kind": "yesno", "prompt": "Asked?", "required": true } ] }] }] }
            """
        let interview = try #require(InterviewLoader.load(source: SourceFile(path: "r.json", text: text)).interview)
        let app = InterviewApp(driver: MemoryDriver(interview), now: fixedNow)
        #expect(app.screen().contains("q  (required)"))
    }
}
