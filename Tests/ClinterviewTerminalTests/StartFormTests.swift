import ClinterviewCore
import Testing

@testable import ClinterviewTerminal

/// The start screen offers a client's open session before a second one is started.
@Suite struct StartFormTests {
    static let open = [
        StartForm.OpenSession(
            id: "20261201-090000-C-1042-aaaaaa", path: "/s/a.jsonl", client: "C-1042", started: "2026-12-01"),
        StartForm.OpenSession(
            id: "20261203-090000-C-1042-bbbbbb", path: "/s/b.jsonl", client: "C-1042", started: "2026-12-03"),
    ]

    func form() -> StartForm {
        StartForm(
            ask: [.client, .rater], choices: [], preferred: nil, defaults: [.rater: "A. Smith"], openSessions: Self.open
        )
    }

    func type(_ text: String, into form: StartForm) {
        for character in text { form.handle(.character(character)) }
    }

    @Test func enteringAClientWithAnOpenSessionOffersIt() {
        let form = form()
        type("C-1042", into: form)
        form.handle(.enter)
        #expect(form.problem?.contains("has 2 sessions open (20261203-090000-C-1042-bbbbbb") == true)
        #expect(form.render(rows: 24, columns: 80).text.contains("Ctrl-R continues it"))
        form.handle(.control("r"))
        #expect(form.isDone)
        #expect(form.resumeChosen?.path == "/s/b.jsonl")
    }

    @Test func enterAgainStartsASecondSession() {
        let form = form()
        type("C-1042", into: form)
        form.handle(.enter)
        form.handle(.enter)
        #expect(form.current == 1)
        form.handle(.enter)
        #expect(form.isDone)
        #expect(form.resumeChosen == nil)
    }

    @Test func aClientWithNoOpenSessionGoesStraightOn() {
        let form = form()
        type("C-9999", into: form)
        form.handle(.enter)
        #expect(form.problem == nil)
        #expect(form.current == 1)
    }
}
