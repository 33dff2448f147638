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
        #expect(report.clients.count == 7)
        #expect(report.notes.count == 1)
        #expect((report.summary.recovered.count, report.summary.recovered.of) == (3, 6))
        #expect((report.summary.reliablyRecovered.count, report.summary.reliablyRecovered.of) == (3, 6))
        #expect((report.summary.reliablyImproved.count, report.summary.reliablyImproved.of) == (4, 7))
        #expect((report.summary.reliablyDeteriorated.count, report.summary.reliablyDeteriorated.of) == (1, 7))
        #expect((report.summary.lostEveryDiagnosis.count, report.summary.lostEveryDiagnosis.of) == (2, 5))
        #expect(report.clients.filter(\.measuresDisagree).map(\.client) == ["c02", "c04", "c08"])
        let c06 = try #require(report.clients.first { $0.client == "c06" })
        #expect(c06.diagnoses.first { $0.id == "mde_current" }?.change == .new)
        #expect(!c06.hadDiagnosis)
        #expect(report.text.contains("recovered by questionnaire: 50% (3 of 6)"))
        #expect(report.text.contains("lost every current diagnosis: 40% (2 of 5)"))
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
