import ClinterviewCore
import ClinterviewTestSupport
import Foundation
import Testing

@testable import ClinterviewJournal
@testable import ClinterviewReports

/// Golden files for every report format, from a recorded session with a note,
/// a skip, an acknowledged alert and an amendment. CLINTERVIEW_RECORD_SNAPSHOTS=1 rewrites them.
@Suite struct ReportTests {
    static let recording = ProcessInfo.processInfo.environment["CLINTERVIEW_RECORD_SNAPSHOTS"] == "1"

    func fixture() throws -> (JournalContents, Interview) {
        let contents = try JournalReader.read(path: Repository.path("Tests/Fixtures/journals/sample-amended.jsonl"))
        let interview = try #require(InterviewLoader.load(path: Repository.path("Interviews/sample.json")).interview)
        return (contents, interview)
    }

    func compare(_ text: String, golden name: String) throws {
        let path = Repository.path("Tests/Goldens/\(name)")
        if Self.recording {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            Issue.record("recorded \(path)")
            return
        }
        #expect(text == (try String(contentsOfFile: path, encoding: .utf8)), "\(name) differs:\n\(text)")
    }

    @Test func textReport() throws {
        let (contents, interview) = try fixture()
        let report = try #require(SessionReport.build(from: contents, interview: interview))
        try compare(
            ReportText.text(report, timeZone: TimeZone(identifier: "UTC")!), golden: "report-sample-amended.txt")
    }

    @Test func markdownReport() throws {
        let (contents, interview) = try fixture()
        let report = try #require(SessionReport.build(from: contents, interview: interview))
        try compare(
            ReportText.markdown(report, timeZone: TimeZone(identifier: "UTC")!), golden: "report-sample-amended.md")
    }

    @Test func jsonReport() throws {
        let (contents, interview) = try fixture()
        let report = try #require(SessionReport.build(from: contents, interview: interview))
        try compare(ReportJSON.json(report).serialized(indent: "  ") + "\n", golden: "report-sample-amended.json")
    }

    @Test func fhirReport() throws {
        let (contents, interview) = try fixture()
        let report = try #require(SessionReport.build(from: contents, interview: interview))
        let resource = FHIRResponse.questionnaireResponse(
            session: report.session, header: report.header, status: FHIRResponse.status(of: contents),
            authored: report.started,
            journalHead: report.journalHeadHash)
        try compare(resource.serialized(indent: "  ") + "\n", golden: "report-sample-amended.fhir.json")
        #expect(resource["status"] == .string("completed"))
        #expect(resource["resourceType"] == .string("QuestionnaireResponse"))
    }

    @Test func csvExport() throws {
        let (contents, interview) = try fixture()
        let session = SessionRebuilder.rebuild(contents.records, interview: interview).session
        try compare(
            AnswerTable.csv(AnswerTable.rows(session: session, header: try #require(contents.header))),
            golden: "export-sample-amended.csv")
    }

    /// Time interviewing leaves out each pause up to the resumption after it.
    @Test func timeInterviewingLeavesOutPauses() {
        func record(_ seconds: Double, _ event: JournalEvent) -> JournalRecord {
            JournalRecord(sequence: 0, time: Date(timeIntervalSince1970: seconds), event: event, hash: "")
        }
        let records = [
            record(0, .resumed), record(60, .answered(item: "A1", value: .string("3"), overrides: [:])),
            record(120, .paused), record(3_720, .resumed), record(3_780, .completed),
        ]
        #expect(SessionReport.interviewingTime(records) == 180)
    }

    @Test func theTextReportListsAmendmentsWithTheirReasons() throws {
        let (contents, interview) = try fixture()
        let report = try #require(SessionReport.build(from: contents, interview: interview))
        let text = ReportText.text(report, timeZone: TimeZone(identifier: "Europe/London")!)
        #expect(
            text.contains("A4: 3 → 2, 2026-11-27 09:49 GMT. Reason: On review: early waking only a few nights a week."))
        // Local time to the minute, in the zone given: an hour on in Paris.
        #expect(
            ReportText.text(report, timeZone: TimeZone(identifier: "Europe/Paris")!).contains("Date: 2026-11-27 10:40"))
        #expect(text.contains("Assessed by: A. Smith, Psychological Wellbeing Practitioner"))
        #expect(text.contains("A5: Client unsure; to ask the partner."))
        #expect(text.contains("acknowledged 2026-11-27 09:46 GMT"))
        // Findings first: the summary and the risk questions come before the diagnoses' details.
        let summary = try #require(text.range(of: "Summary\n-------"))
        let risk = try #require(text.range(of: "Risk\n----"))
        let details = try #require(text.range(of: "Current diagnoses\n"))
        #expect(summary.lowerBound < risk.lowerBound && risk.lowerBound < details.lowerBound)
        #expect(text.contains("Undetermined: Depressive episode, current (sample rule) (decided by A5)"))
        #expect(text.contains("Tearful when describing work."))
    }

    @Test func fhirStatusFollowsTheJournal() throws {
        let (contents, _) = try fixture()
        #expect(FHIRResponse.status(of: contents) == "completed")
        var inProgress = contents
        inProgress.records.removeLast()
        #expect(FHIRResponse.status(of: inProgress) == "in-progress")
    }

    @Test func csvQuotesAndDefusesFormulas() {
        #expect(AnswerTable.quote("plain") == "plain")
        #expect(AnswerTable.quote("a,b") == "\"a,b\"")
        #expect(AnswerTable.quote("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(AnswerTable.quote("line\nbreak") == "\"line\nbreak\"")
        #expect(AnswerTable.quote("=HYPERLINK(1)") == "'=HYPERLINK(1)")
        #expect(AnswerTable.quote("-3") == "-3")
    }
}

@Suite struct RoutingGraphTests {
    @Test(arguments: RoutingGraph.Format.allCases)
    func sampleGraphMatchesItsGolden(_ format: RoutingGraph.Format) throws {
        let interview = try #require(InterviewLoader.load(path: Repository.path("Interviews/sample.json")).interview)
        let text = RoutingGraph.render(interview, format: format)
        let path = Repository.path("Tests/Goldens/graph-sample.\(format == .dot ? "dot" : "mmd")")
        if ReportTests.recording {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            Issue.record("recorded \(path)")
            return
        }
        #expect(text == (try String(contentsOfFile: path, encoding: .utf8)))
    }

    @Test func theGraphShowsTheSkipOutAndWhatFeedsTheDiagnosis() throws {
        let interview = try #require(InterviewLoader.load(path: Repository.path("Interviews/sample.json")).interview)
        let dot = RoutingGraph.render(interview, format: .dot)
        #expect(
            dot.contains(
                "section_1 -> section_2 [style=dashed, color=blue, fontcolor=blue, label=\"A1 == 3 or A2 == 3\"]"))
        #expect(dot.contains("rule_0 -> rule_4"))
        #expect(dot.contains("shape=doubleoctagon"))
        let core = try #require(InterviewLoader.load(path: Repository.path("Interviews/core.json")).interview)
        let coreDot = RoutingGraph.render(core, format: .dot)
        #expect(coreDot.components(separatedBy: "shape=doubleoctagon").count - 1 == core.diagnoses.count)
        #expect(coreDot.components(separatedBy: "subgraph cluster_").count - 1 == core.modules.count)
    }
}
