import ClinterviewCore
import ClinterviewJournal
import ClinterviewTestSupport
import Foundation
import Testing

@testable import ClinterviewReports

/// Agreement and outcomes end to end, over the synthetic fixtures in
/// Tests/Fixtures/agreement and Tests/Fixtures/cohort (answer files).
@Suite struct StudyTests {
    static let interviews: [Interview] = ["core", "phq9", "gad7"].compactMap {
        InterviewLoader.load(path: Repository.path("Interviews/\($0).json")).interview
    }

    @Test func agreementOnTheJointInterviews() throws {
        var loader = AssessmentLoader(interviews: Self.interviews)
        let sessions = loader.load([Repository.path("Tests/Fixtures/agreement")])
        #expect(loader.problems.isEmpty, "\(loader.problems)")
        let report = try #require(AgreementReport.build(sessions).first)
        #expect(report.clients == 6)
        #expect(report.raters == 2)
        let mde = try #require(report.rows.first { $0.id == "mde_current" })
        // 4 of 6 agree; both raters call 4 of 6 met: p_e = 5/9, kappa = 0.25.
        #expect(abs(mde.statistics.observed - 4.0 / 6) < 1e-9)
        #expect(abs(try #require(mde.statistics.kappa) - 0.25) < 1e-9)
        #expect(abs(mde.prevalence - 4.0 / 6) < 1e-9)
        let undefined = try #require(report.rows.first { $0.id == "ptsd" })
        #expect(undefined.statistics.kappa == nil)
        #expect(undefined.statistics.observed == 1)
        let split = report.disagreements.filter { $0.diagnosis == "mde_current" }
        #expect(split.map(\.client) == ["a5", "a6"])
        #expect(split[0].criteria.map(\.id) == ["mde_symptom_count"])
        #expect(split[0].items.map(\.id) == ["A7"])
        #expect(split[1].criteria.map(\.id) == ["mde_distress"])
        #expect(split[1].items.map(\.id) == ["mde_impairment"])
        #expect(report.rows.first?.id == "mde_current")
        #expect(report.csv.hasPrefix("interview,id,kind,subjects,agreement,kappa"))
    }

    @Test func threeRatersUseFleiss() throws {
        var loader = AssessmentLoader(interviews: Self.interviews)
        var sessions = loader.load([Repository.path("Tests/Fixtures/agreement")])
        let third = sessions.filter { $0.rater == "R1" }.map { session -> AssessedSession in
            var copy = session
            copy.rater = "R3"
            return copy
        }
        sessions += third
        let report = try #require(AgreementReport.build(sessions).first)
        #expect(report.raters == 3)
        #expect(report.json["method"] == .string("fleiss"))
        #expect(try #require(report.rows.first { $0.id == "mde_current" }).statistics.kappa != nil)
    }

    @Test func cohortOutcomesSideBySide() throws {
        var loader = AssessmentLoader(interviews: Self.interviews)
        let report = OutcomeReport.build(loader.load([Repository.path("Tests/Fixtures/cohort")]))
        #expect(loader.problems.isEmpty, "\(loader.problems)")
        // c07 has an intake and no follow-up: counted among everyone assessed, never left out.
        #expect(report.clients.count == 8)
        #expect(report.notes.isEmpty)
        let s = report.summary
        #expect((s.assessed, s.followedUp, s.withoutFollowUp) == (8, 7, ["no status recorded": 1]))
        #expect((s.recovered.followedUp.count, s.recovered.followedUp.of) == (3, 6))
        #expect((s.recovered.everyone.count, s.recovered.everyone.of) == (3, 6))
        #expect((s.reliablyRecovered.followedUp.count, s.reliablyRecovered.followedUp.of) == (3, 6))
        #expect((s.reliablyImproved.followedUp.count, s.reliablyImproved.followedUp.of) == (4, 7))
        #expect((s.reliablyDeteriorated.count, s.reliablyDeteriorated.of) == (1, 7))
        #expect((s.lostEveryDiagnosis.followedUp.count, s.lostEveryDiagnosis.followedUp.of) == (2, 5))
        #expect((s.lostEveryDiagnosis.everyone.count, s.lostEveryDiagnosis.everyone.of) == (2, 6))
        let c07 = try #require(report.clients.first { $0.client == "c07" })
        #expect(c07.followUp == nil && c07.hadDiagnosis && c07.lostEveryDiagnosis == nil)
        #expect(report.clients.filter(\.measuresDisagree).map(\.client) == ["c02", "c04", "c08"])
        let c06 = try #require(report.clients.first { $0.client == "c06" })
        #expect(c06.diagnoses.first { $0.id == "mde_current" }?.change == .new)
        #expect(!c06.hadDiagnosis)
        #expect(report.text.contains("recovered: 50% (3 of 6) of cases followed up; 50% (3 of 6) of cases at intake"))
        #expect(
            report.text.contains(
                "lost every current diagnosis: 40% (2 of 5) of diagnosed and followed up; 33% (2 of 6) of diagnosed at intake"
            ))
        #expect(report.text.contains("  c07: no follow-up (no status recorded); at intake: "))
    }

    static func assessment(
        _ client: String, day: Int, rater: String, blind: Bool = false, interview: String = "core",
        met: Bool? = nil, scores: [String: Double] = [:]
    ) -> AssessmentResults {
        AssessmentResults(
            client: client, rater: rater, role: rater == "R1" ? "PWP" : "Psychologist",
            date: Date(timeIntervalSince1970: Double(day) * 86_400), interviewID: interview, blind: blind,
            diagnoses: met.map {
                [AssessmentResults.Diagnosis(id: "mdd", label: "MDD", status: $0 ? .met : .notMet, period: .current)]
            } ?? [], scores: scores)
    }

    /// Everyone assessed is counted; why a follow-up is missing comes from the
    /// latest episode status, which is never taken for an assessment; loss
    /// judged blind by another assessor is told apart from the rest.
    @Test func everyoneIsCountedAndWhoJudgedTheLossIsShown() throws {
        let sessions = [
            // A: assessed, then dropped out (an earlier status said still in treatment).
            Self.assessment("A", day: 100, rater: "R1", interview: "core", met: true, scores: [:]),
            Self.assessment("A", day: 100, rater: "R1", interview: "phq9", scores: ["phq9_total": 18]),
            Self.assessment("A", day: 100, rater: "R1", interview: "gad7", scores: ["gad7_total": 12]),
            Self.assessment("A", day: 120, rater: "R1", interview: "episode", scores: ["episode_status": 1]),
            Self.assessment("A", day: 150, rater: "R1", interview: "episode", scores: ["episode_status": 3]),
            // B: lost the diagnosis at a blind follow-up by another assessor; discharged after it.
            Self.assessment("B", day: 100, rater: "R1", met: true),
            Self.assessment("B", day: 190, rater: "R2", blind: true, met: false),
            Self.assessment("B", day: 200, rater: "R1", interview: "episode", scores: ["episode_status": 2]),
            // C: a blind follow-up, but by the intake's own assessor.
            Self.assessment("C", day: 100, rater: "R1", met: true),
            Self.assessment("C", day: 190, rater: "R1", blind: true, met: false),
        ]
        let report = OutcomeReport.build(sessions)
        let clients = Dictionary(uniqueKeysWithValues: report.clients.map { ($0.client, $0) })
        let dropout = try #require(clients["A"])
        #expect(dropout.followUp == nil && dropout.episode == .droppedOut && dropout.caseAtIntake == true)
        let b = try #require(clients["B"])
        #expect(b.followUp == Date(timeIntervalSince1970: 190 * 86_400), "the episode status is not a follow-up")
        #expect(b.independentBlindFollowUp && b.lostEveryDiagnosis == true && b.episode == .finished)
        let c = try #require(clients["C"])
        #expect(c.blindFollowUp && !c.independentBlindFollowUp)
        let s = report.summary
        #expect(s.withoutFollowUp == ["dropped out": 1])
        #expect((s.recovered.everyone.count, s.recovered.everyone.of) == (0, 1))
        #expect((s.lostEveryDiagnosis.everyone.count, s.lostEveryDiagnosis.everyone.of) == (2, 3))
        #expect((s.lostByIndependentBlind.count, s.lostByIndependentBlind.of) == (1, 1))
        #expect((s.lostByOthers.count, s.lostByOthers.of) == (1, 1))
        #expect(s.intakeDiagnosesByRole == ["PWP": 3])
    }

    /// Double-rated sessions: each rater's agreement with the other is the
    /// agreement report's, added over every diagnosis.
    @Test func fidelityCountsAgreementWithASecondRater() throws {
        var loader = AssessmentLoader(interviews: Self.interviews)
        let sessions = loader.load([Repository.path("Tests/Fixtures/agreement")])
        let agreement = try #require(AgreementReport.build(sessions).first)
        let agreed = agreement.rows.filter { $0.kind == "diagnosis" }.map {
            Int(($0.statistics.observed * Double($0.statistics.subjects)).rounded())
        }.reduce(0, +)
        let compared = agreement.rows.filter { $0.kind == "diagnosis" }.map(\.statistics.subjects).reduce(0, +)
        let figures = OutcomeReport.build(sessions).summary.fidelity
        for rater in ["R1", "R2"] {
            let f = try #require(figures[rater])
            #expect(f.doubleRated == 6)
            #expect((f.agreedWithSecondRater.count, f.agreedWithSecondRater.of) == (agreed, compared))
        }
        #expect(agreed < compared, "the fixture has disagreements")
    }

    /// The codes of `status` in Interviews/episode.json are the report's episode statuses.
    @Test func theEpisodeInterviewsCodesAreTheReportsStatuses() throws {
        let episode = try #require(
            InterviewLoader.load(path: Repository.path("Interviews/episode.json")).interview)
        let codes = try #require(episode.items.first { $0.id == "status" }?.kind.options).map(\.code)
        #expect(codes == OutcomeReport.EpisodeStatus.allCases.map { String($0.rawValue) })
        let bands = try #require(episode.rules.first { $0.id == "episode_status" }).bands
        #expect(bands.map { $0.label.resolved() } == OutcomeReport.EpisodeStatus.allCases.map(\.text))
    }

    /// A client with a current depressive episode and current panic disorder at
    /// intake and no current symptom at follow-up loses every current
    /// diagnosis; the lifetime history (major depressive disorder, panic
    /// disorder) is reported, never counted as kept.
    @Test func aRecoveredClientLosesEveryCurrentDiagnosis() throws {
        var loader = AssessmentLoader(interviews: Self.interviews)
        let sessions = loader.load(
            ["recovery-intake.json", "recovery-follow-up.json"].map { Repository.path("Tests/Vignettes/core/\($0)") })
        #expect(loader.problems.isEmpty, "\(loader.problems)")
        let report = OutcomeReport.build(sessions)
        let client = try #require(report.clients.first)
        #expect(client.hadDiagnosis)
        #expect(client.lostEveryDiagnosis == true)
        let lost = client.diagnoses.filter { $0.change == .lost }.map(\.id)
        #expect(lost == ["mdd_current", "mde_current", "panic_current"])
        #expect(client.diagnoses.filter { $0.period != .current }.allSatisfy { $0.change == .history })
        #expect(!client.diagnoses.contains { $0.change == .kept })
        #expect(report.text.contains("lost every current diagnosis: yes"))
        #expect(report.text.contains("history (not compared): "))
        #expect(report.text.contains("Major depressive disorder, lifetime (a current or past episode) [lifetime]"))
        #expect(report.text.contains("Panic disorder, lifetime [lifetime]"))
        #expect(report.json["compares"] != nil)
    }

    /// A journal recorded with core 1.0.0 keeps its meaning under the current
    /// definition: every item it answered still exists, and its diagnoses
    /// come out as they did.
    @Test func aJournalOfTheFirstCoreVersionStillReports() throws {
        let contents = try JournalReader.read(
            path: Repository.path("Tests/Fixtures/journals/core-1.0.0-mde-current.jsonl"))
        #expect(contents.header?.interviewVersion == "1.0.0")
        let core = try #require(Self.interviews.first { $0.id == "core" })
        for record in contents.records {
            if case .answered(let item, _, _) = record.event { #expect(core.itemIndex[item] != nil, "\(item) is gone") }
        }
        let report = try #require(SessionReport.build(from: contents, interview: core))
        #expect(report.diagnoses.first { $0.id == "mde_current" }?.status == .met)
        #expect(report.diagnoses.first { $0.id == "mdd_current" }?.status == .met)
        #expect(report.diagnoses.first { $0.id == "mdd" }?.status == .met)
    }

    @Test func agreementNamesEachDiagnosisPeriod() throws {
        var loader = AssessmentLoader(interviews: Self.interviews)
        let report = try #require(
            AgreementReport.build(loader.load([Repository.path("Tests/Fixtures/agreement")])).first)
        #expect(report.rows.first { $0.id == "mdd" }?.period == .lifetime)
        #expect(report.rows.first { $0.id == "mde_current" }?.period == .current)
        #expect(report.rows.first { $0.kind == "criterion" }?.period == nil)
        #expect(report.text.contains("mdd [lifetime]"))
        #expect(
            report.csv.hasPrefix(
                "interview,id,kind,subjects,agreement,kappa,standard_error,ci95_low,ci95_high,prevalence,period\r\n"))
    }

    @Test func aBlindFollowUpIsRecordedAndReported() throws {
        let directory = NSTemporaryDirectory() + "clinterview-blind-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let interview = try #require(Self.interviews.first { $0.id == "phq9" })
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Repository.path("Interviews/phq9.json"))))
        let journaled = try SessionStore(directory: directory).start(
            .init(
                interview: interview, definition: bytes, definitionPath: "Interviews/phq9.json",
                client: "c1", rater: "r", role: "p", blind: true))
        journaled.close()
        let contents = try JournalReader.read(path: journaled.path)
        #expect(contents.header?.blind == true)
        let report = try #require(SessionReport.build(from: contents, interview: interview))
        #expect(ReportText.text(report).contains("Blind follow-up"))
        #expect(ReportJSON.json(report)["session"]?["blind"] == .bool(true))
    }
}

@Suite struct JournalAssessmentTests {
    @Test func journalsCountAsAssessmentsWithTheirHeader() throws {
        let interview = try #require(InterviewLoader.load(path: Repository.path("Interviews/sample.json")).interview)
        var loader = AssessmentLoader(interviews: [interview])
        let sessions = loader.load([Repository.path("Tests/Fixtures/journals/sample-amended.jsonl")])
        #expect(loader.problems.isEmpty)
        let session = try #require(sessions.first)
        #expect(session.client == "C-1042")
        #expect(session.rater == "A. Smith")
        #expect(session.date != nil)
        #expect(session.status(of: "mde_current") == .indeterminate)
        #expect(session.answer("A4") == "2")
    }
}
