import ClinterviewCore
import ClinterviewTestSupport
import Foundation
import Testing

@testable import ClinterviewTerminal

/// Every screen, rendered in memory at 80x24 and 120x40 and compared, as text with
/// its styles marked, with Tests/Snapshots. Set CLINTERVIEW_RECORD_SNAPSHOTS=1 to
/// write new snapshots (the test then fails, so a recording never passes unseen).
@Suite struct SnapshotTests {
    struct Scenario: CustomTestStringConvertible, Sendable {
        var name: String
        var interview: String
        var language: String?
        var keys: [Key]
        var failWrites = false
        var testDescription: String { name }
    }

    static func keys(_ text: String) -> [Key] {
        text.map { $0 == "\r" ? Key.enter : Key.character($0) }
    }

    static let sample = "Interviews/sample.json"
    static let tutorial = "docs/examples/tutorial.json"
    static let wide = "Tests/Fixtures/wide.json"
    static let toA1: [Key] = [.enter] + keys("34\r") + keys("Low since spring\r")

    static let scenarios: [Scenario] = [
        Scenario(name: "display-item", interview: sample, keys: []),
        Scenario(name: "integer-field-typing", interview: sample, keys: [.enter] + keys("3")),
        Scenario(name: "text-field", interview: sample, keys: [.enter] + keys("34\r") + keys("Since my job went")),
        Scenario(name: "rating-with-instructions-and-probes", interview: sample, keys: toA1),
        Scenario(name: "rating-highlight-moved", interview: sample, keys: toA1 + [.down, .down]),
        Scenario(name: "revisit-recorded-answer", interview: sample, keys: toA1 + keys("3") + [.left]),
        Scenario(
            name: "change-needs-reason", interview: sample,
            keys: toA1 + keys("3") + [.left] + keys("2") + keys("Client clarified")),
        Scenario(name: "soft-check-dialog", interview: sample, keys: [.enter] + keys("16\r")),
        Scenario(
            name: "soft-check-override-reason", interview: sample,
            keys: [.enter] + keys("16\r") + keys("o") + keys("Referred by agreement")),
        Scenario(name: "range-rejected", interview: sample, keys: [.enter] + keys("130\r")),
        Scenario(name: "skip-reason", interview: sample, keys: toA1 + keys("s") + keys("Client declined")),
        Scenario(
            name: "note-editor", interview: sample,
            keys: toA1 + keys("n") + keys("Tearful; Grüße 日本") + [.enter] + keys("second line")),
        Scenario(
            name: "note-saved-indicator", interview: sample, keys: toA1 + keys("n") + keys("Tearful") + [.function(2)]),
        Scenario(name: "jump-list", interview: sample, keys: toA1 + keys("33") + keys("j") + [.up]),
        Scenario(name: "help", interview: sample, keys: toA1 + keys("h")),
        Scenario(name: "results-on-demand", interview: sample, keys: toA1 + keys("3") + keys("r")),
        Scenario(name: "skip-out-to-end-summary", interview: sample, keys: toA1 + keys("11")),
        Scenario(name: "urgent-alert-banner", interview: sample, keys: toA1 + keys("331111112")),
        Scenario(name: "urgent-alert-blocks-answers", interview: sample, keys: toA1 + keys("3311111123")),
        Scenario(name: "alert-acknowledged", interview: sample, keys: toA1 + keys("331111112A")),
        Scenario(name: "duration-field", interview: sample, keys: toA1 + keys("331111111A") + keys("3 weeks")),
        Scenario(name: "yes-no-item", interview: sample, keys: toA1 + keys("331111111") + keys("3w\r") + keys("3")),
        Scenario(name: "save-failed", interview: sample, keys: toA1 + keys("3"), failWrites: true),
        Scenario(
            name: "save-elsewhere", interview: sample, keys: toA1 + keys("3d") + [.control("u")] + keys("/tmp/rescue"),
            failWrites: true),
        Scenario(name: "multichoice-ticked", interview: tutorial, keys: keys("333131312") + keys("13")),
        Scenario(
            name: "decimal-field", interview: tutorial,
            keys: keys("333131312") + keys("13\r") + keys("8m\r") + keys("2026-03-01\r") + keys("5.5")),
        Scenario(name: "wide-german-rating", interview: wide, language: "de", keys: []),
        Scenario(name: "wide-japanese-rating", interview: wide, language: "ja", keys: []),
        Scenario(
            name: "wide-japanese-text-field", interview: wide, language: "ja", keys: keys("3") + keys("隣の犬が吠える 🐕")),
        Scenario(
            name: "wide-german-summary", interview: wide, language: "de", keys: keys("3") + keys("Lärm\r") + keys("y")),
    ]

    static let sizes = [(24, 80), (40, 120)]
    static let recording = ProcessInfo.processInfo.environment["CLINTERVIEW_RECORD_SNAPSHOTS"] == "1"

    @Test(arguments: scenarios)
    func screenMatchesItsSnapshot(_ scenario: Scenario) throws {
        let driver = MemoryDriver(loadInterview(scenario.interview))
        driver.failWrites = scenario.failWrites
        let app = InterviewApp(driver: driver, now: fixedNow, language: scenario.language)
        for key in scenario.keys { app.handle(key) }
        for (rows, columns) in Self.sizes {
            let rendered = app.render(rows: rows, columns: columns)
            let text = rendered.styledText + "\n"
            let path = Repository.path("Tests/Snapshots/\(scenario.name)-\(columns)x\(rows).txt")
            if Self.recording {
                try text.write(toFile: path, atomically: true, encoding: .utf8)
                Issue.record("recorded \(path)")
                continue
            }
            let expected = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text == expected, "\(scenario.name) at \(columns)x\(rows) differs from \(path):\n\(text)")
            // Never a line wider than the screen, whatever the text.
            for row in 0..<rows { #expect(DisplayWidth.of(rendered.line(row)) <= columns) }
        }
    }

    @Test func tooSmallAsksToEnlarge() {
        let app = InterviewApp(driver: MemoryDriver(loadInterview(Self.sample)), now: fixedNow)
        let text = app.screen(20, 60)
        #expect(text.contains("The terminal is too small."))
        #expect(text.contains("(now 60×20)"))
        #expect(app.screen(24, 79).contains("(now 79×24)"))
        #expect(!app.screen(24, 80).contains("too small"))
    }

    @Test func startFormAsksForWhatIsMissing() throws {
        let choices = [
            StartForm.Choice(path: "Interviews/core.json", id: "core", title: "Core interview", version: "1.0.0"),
            StartForm.Choice(path: "Interviews/phq9.json", id: "phq9", title: "PHQ-9", version: "1.0.0"),
        ]
        let form = StartForm(
            ask: [.interview, .client, .rater, .role], choices: choices, preferred: "phq9", defaults: [.rater: "asmith"]
        )
        #expect(form.interview?.id == "phq9")
        for (rows, columns) in Self.sizes {
            let path = Repository.path("Tests/Snapshots/start-form-\(columns)x\(rows).txt")
            let text = form.render(rows: rows, columns: columns).styledText + "\n"
            if Self.recording {
                try text.write(toFile: path, atomically: true, encoding: .utf8)
                Issue.record("recorded \(path)")
            } else {
                #expect(text == (try String(contentsOfFile: path, encoding: .utf8)))
            }
        }
        form.handle(.up)
        form.handle(.enter)
        form.handle(.enter)
        #expect(form.problem == "please fill this in")
        for character in "C-42" { form.handle(.character(character)) }
        form.handle(.enter)
        form.handle(.enter)
        for character in "PWP" { form.handle(.character(character)) }
        form.handle(.enter)
        #expect(form.isDone)
        #expect(form.interview?.id == "core")
        #expect(form.value(.client) == "C-42")
        #expect(form.value(.rater) == "asmith")
        #expect(form.value(.role) == "PWP")
    }
}
