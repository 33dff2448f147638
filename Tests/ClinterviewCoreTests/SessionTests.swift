import ClinterviewTestSupport
import Foundation
import Testing

@testable import ClinterviewCore

/// Transcript-style tests of navigation: each step says what is asked next and
/// what the answer changed.
@Suite struct SessionTests {
    let interview: Interview

    init() throws {
        interview = try #require(InterviewLoader.load(path: Repository.path("Interviews/sample.json")).interview)
    }

    func start() -> Session {
        Session(interview: interview, clock: .fixed(Date(timeIntervalSince1970: 1_000)))
    }

    /// A session past the overview, at the first screening item, with the given ratings of A1, A2, ... given.
    func atScreening(_ ratings: String...) -> Session {
        var session = start()
        session.moveOn()
        session.answer(.number(30))
        session.answer(.text("x"))
        for rating in ratings { session.answer(.code(rating)) }
        return session
    }

    @Test func walksTheRouteInOrderAndSkipsOutOnANegativeScreen() {
        var session = start()
        #expect(session.currentItem?.id == "intro")
        session.moveOn()
        #expect(session.answer(.number(30)).next == "presenting_problem")
        #expect(session.answer(.text("Low mood")).next == "A1")
        #expect(session.answer(.code("1")).next == "A2")
        let result = session.answer(.code("2"))
        #expect(result.status == .accepted)
        #expect(result.next == nil)
        #expect(
            result.disabled == [
                "A3", "A4", "A5", "A6", "A7", "A8", "A9", "mde_duration", "mde_impairment", "mde_organic",
            ])
        let evaluation = session.evaluate()
        #expect(evaluation.diagnosis("mde_current")?.status == .notMet)
    }

    @Test func answeringReturnsWhatBecameEnabledOrDisabled() throws {
        var session = atScreening()
        // A2 is still open, so the gate is unknown and the module stays on the route.
        let first = session.answer(.code("1"))
        #expect(first.disabled.isEmpty)
        let second = session.answer(.code("1"))
        #expect(
            second.disabled == [
                "A3", "A4", "A5", "A6", "A7", "A8", "A9", "mde_duration", "mde_impairment", "mde_organic",
            ])
        #expect(second.next == nil)
        try session.jump(to: "A2")
        let third = session.answer(.code("3"), changeReason: "Client described two weeks of lost interest")
        #expect(
            third.enabled == [
                "A3", "A4", "A5", "A6", "A7", "A8", "A9", "mde_duration", "mde_impairment", "mde_organic",
            ])
        #expect(third.next == "A3")
    }

    @Test func anInadequateScreenKeepsTheModuleOnTheRoute() {
        var session = atScreening("1")
        let result = session.answer(.code("?"))
        #expect(result.disabled.isEmpty)
        #expect(result.next == "A3")
    }

    @Test func backGoesToThePreviousItemOnTheRoute() throws {
        var session = atScreening("3")
        #expect(session.currentItem?.id == "A2")
        session.back()
        #expect(session.currentItem?.id == "A1")
        #expect(session.response(to: "A1")?.answer == .value(.code("3", weight: 3), input: .code("3")))
        session.back()
        session.back()
        session.back()
        #expect(session.currentItem?.id == "intro")
        session.back()
        #expect(session.currentItem?.id == "intro")
    }

    @Test func changingAnAnswerNeedsAReasonAndIsKeptAsAnAmendment() throws {
        var session = atScreening("3")
        try session.jump(to: "A1")
        #expect(session.answer(.code("2")).status == .reasonRequired)
        #expect(session.response(to: "A1")?.answer.input == .code("3"))
        let changed = session.answer(.code("2"), changeReason: "Client clarified: only a few days.")
        #expect(changed.status == .accepted)
        #expect(changed.amended)
        let response = try #require(session.response(to: "A1"))
        #expect(response.answer.input == .code("2"))
        #expect(response.amendments.map(\.reason) == ["Client clarified: only a few days."])
        #expect(response.amendments.first?.previous.input == .code("3"))
        // The same answer again is not a change.
        try session.jump(to: "A1")
        #expect(session.answer(.code("2")).status == .accepted)
    }

    @Test func answersThatFallOffTheRouteAreKeptButLeftOutAndCountAgainWhenReEnabled() throws {
        var session = atScreening("3", "3")
        for _ in 3...8 { session.answer(.code("3")) }
        session.answer(.code("1"))
        session.answer(.duration(3, .weeks))
        session.answer(.code("3"))
        session.answer(.bool(false))
        #expect(session.evaluate().diagnosis("mde_current")?.status == .met)
        #expect(session.evaluate().score("mde_symptom_count")?.value == 8)

        // Screening changes to negative: the module's answers drop out of every result.
        try session.jump(to: "A1")
        session.answer(.code("1"), changeReason: "re-rated")
        let closing = session.answer(.code("1"), changeReason: "re-rated")
        #expect(closing.disabled.contains("A3"))
        #expect(session.response(to: "A3") != nil)
        #expect(!session.isOnRoute("A3"))
        var evaluation = session.evaluate()
        #expect(evaluation.diagnosis("mde_current")?.status == .notMet)
        #expect(evaluation.score("mde_symptom_count")?.value == nil)
        #expect(evaluation.score("mde_symptom_count")?.blocking == [])

        // Back to positive: the kept answers count again.
        try session.jump(to: "A2")
        let reopened = session.answer(.code("3"), changeReason: "re-rated again")
        #expect(reopened.enabled.contains("A3"))
        evaluation = session.evaluate()
        #expect(evaluation.diagnosis("mde_current")?.status == .met)
        #expect(evaluation.score("mde_symptom_count")?.value == 7)
    }

    @Test func skipNeedsAReasonAndLeavesTheItemOpen() throws {
        var session = start()
        session.moveOn()
        #expect(session.skip(reason: "  ").status == .rejected("a skip needs a reason"))
        let skipped = session.skip(reason: "Declined")
        #expect(skipped.next == "presenting_problem")
        #expect(session.response(to: "age")?.answer == .skipped(reason: "Declined"))
    }

    @Test func invalidAnswersAreRejectedAndNothingIsRecorded() {
        var session = start()
        session.moveOn()
        guard case .rejected(let message) = session.answer(.number(130)).status else {
            Issue.record("accepted an age of 130")
            return
        }
        #expect(message.contains("above the maximum of 120"))
        #expect(session.answer(.code("3")).status == .rejected("age is an integer item and cannot take a code"))
        #expect(session.response(to: "age") == nil)
        #expect(session.currentItem?.id == "age")
    }

    @Test func softChecksNeedAnOverrideReason() throws {
        var session = start()
        session.moveOn()
        let first = session.answer(.number(16))
        #expect(first.status == .needsOverride)
        #expect(first.checks.map(\.id) == ["age_adult"])
        #expect(session.response(to: "age") == nil)
        let second = session.answer(.number(16), overrides: ["age_adult": "Agreed with the referrer"])
        #expect(second.status == .accepted)
        #expect(session.response(to: "age")?.overrides == ["age_adult": "Agreed with the referrer"])
    }

    @Test func hardChecksMustBeCorrected() throws {
        let interview = try loadOrFail(
            interviewJSON(
                items: """
                    { "id": "onset", "kind": "integer", "prompt": "Age at onset?" },
                    { "id": "now", "kind": "integer", "prompt": "Age now?", "checks": [
                      { "id": "onset_before_now", "severity": "hard", "rule": "now >= onset", "message": "The age now cannot be below the age at onset." }
                    ] }
                    """))
        var session = Session(interview: interview)
        session.answer(.number(30))
        let result = session.answer(.number(20), overrides: ["onset_before_now": "ignored"])
        #expect(result.status == .needsCorrection)
        #expect(result.checks.first?.message == "The age now cannot be below the age at onset.")
        #expect(session.answer(.number(31)).status == .accepted)
    }

    @Test func alertsAreReportedOnceWhenTheyFireAndCanBeAcknowledged() throws {
        var session = atScreening("3", "3")
        for _ in 3...8 { session.answer(.code("1")) }
        let risk = session.answer(.code("2"))
        #expect(risk.alerts.map(\.id) == ["risk_thoughts_of_death"])
        #expect(risk.alerts.first?.severity == .urgent)
        #expect(session.unacknowledgedAlerts == ["risk_thoughts_of_death"])
        #expect(session.answer(.duration(1, .months)).alerts.isEmpty)
        try session.acknowledge(alert: "risk_thoughts_of_death")
        #expect(session.unacknowledgedAlerts.isEmpty)
        #expect(session.evaluate().alerts.map(\.id) == ["risk_thoughts_of_death"])
    }

    @Test func notesAttachToItems() throws {
        var session = start()
        try session.attachNote("Tearful when describing work.", to: "A1")
        #expect(session.notes[interview.itemIndex["A1"]!]?.map(\.text) == ["Tearful when describing work."])
        #expect(throws: SessionError.self) { try session.attachNote("x", to: "nope") }
    }

    @Test func jumpingRefusesItemsOffTheRoute() throws {
        var session = atScreening("1", "1")
        #expect(throws: SessionError.self) { try session.jump(to: "A5") }
        #expect(throws: SessionError.self) { try session.jump(to: "A55") }
        try session.jump(to: "A2")
        #expect(session.currentItem?.id == "A2")
    }

    @Test func theLiveStateShowsWhichQuestionsBlockADiagnosis() throws {
        let session = atScreening("3", "3")
        let diagnosis = try #require(session.evaluate().diagnosis("mde_current"))
        #expect(diagnosis.status == .indeterminate)
        #expect(
            diagnosis.blocking == [
                "A3", "A4", "A5", "A6", "A7", "A8", "A9", "mde_duration", "mde_impairment", "mde_organic",
            ])
        #expect(diagnosis.evidence.map(\.status) == [.indeterminate, .indeterminate, .indeterminate, .indeterminate])
    }

    @Test func completingEndsTheRoute() {
        var session = start()
        let evaluation = session.complete()
        #expect(session.isCompleted)
        #expect(session.position == nil)
        #expect(evaluation.diagnosis("mde_current")?.status == .indeterminate)
    }
}
