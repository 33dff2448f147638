import ClinterviewTestSupport
import Foundation
import Testing

@testable import ClinterviewCore

@Suite struct ReplayTests {
    /// Every bundled interview, by id.
    static let interviews = BundledInterviews.byID

    static let vignettes: [String] = {
        let root = Repository.path("Tests/Vignettes")
        let enumerator = FileManager.default.enumerator(atPath: root)
        var found: [String] = []
        while let entry = enumerator?.nextObject() as? String {
            if entry.hasSuffix(".json") { found.append("Tests/Vignettes/" + entry) }
        }
        return found.sorted()
    }()

    func replay(
        _ text: String, interview: Interview, path: String = "answers.json"
    ) -> (ReplayResult?, [Diagnostic], SourceFile) {
        let source = SourceFile(path: path, text: text)
        var sink = DiagnosticSink(source: source)
        guard let file = AnswerFile.read(source: source, sink: &sink) else { return (nil, sink.sorted, source) }
        let result = Replayer.replay(file, interview: interview, sink: &sink)
        return (result, sink.sorted, source)
    }

    var sample: Interview { Self.interviews["sample-mood"]! }

    @Test func thereAreVignettes() {
        #expect(Self.vignettes.count >= 5)
    }

    @Test(arguments: vignettes)
    func vignetteMeetsItsExpectations(_ path: String) throws {
        let source = SourceFile(
            path: path, bytes: try [UInt8](Data(contentsOf: URL(fileURLWithPath: Repository.path(path)))))
        var sink = DiagnosticSink(source: source)
        let file = try #require(AnswerFile.read(source: source, sink: &sink))
        let interview = try #require(
            Self.interviews[file.interviewID ?? ""], "no bundled interview '\(file.interviewID ?? "")'")
        let result = Replayer.replay(file, interview: interview, sink: &sink)
        #expect(sink.diagnostics.isEmpty, "\(sink.diagnostics)")
        let expect = try #require(file.expect)
        let mismatches = Expectations.compare(expect, with: result.json, source: source)
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func jsonOutputHasEveryDocumentedKeyInAFixedOrder() throws {
        let (result, diagnostics, _) = replay(
            """
            { "client": "c1", "answers": { "age": 30, "presenting_problem": "x", "A1": 1, "A2": 1 } }
            """, interview: sample)
        #expect(diagnostics.isEmpty)
        let json = try #require(result?.json)
        guard case .object(let members) = json else { Issue.record("not an object"); return }
        #expect(
            members.map(\.0) == [
                "file", "interview", "client", "asked", "missing", "unused", "skipped", "rejected", "checks",
                "criteria", "diagnoses", "scores", "alerts",
            ])
        #expect(json["asked"] == .array(["age", "presenting_problem", "A1", "A2"].map(JSONOutput.string)))
        #expect(
            json["diagnoses"]?["mde_current"]
                == .object([
                    ("status", .string("not_met")),
                    ("period", .string("current")),
                    ("label", .string("Depressive episode, current (sample rule)")),
                    (
                        "evidence",
                        .object([
                            ("mde_symptoms_met", .string("not_met")), ("mde_duration_met", .string("indeterminate")),
                            ("mde_impairment_met", .string("indeterminate")),
                            ("mde_not_organic", .string("indeterminate")),
                        ])
                    ),
                    ("blocking", .array([])),
                ]))
        #expect(json["scores"]?["mde_symptom_count"]?["value"] == .null)
        // Skipped items count as unanswered: the count is unknown, between 0 and 7, and nothing can be asked to decide it.
        #expect(json["scores"]?["mde_symptom_count"]?["low"] == .number(0))
        #expect(json["scores"]?["mde_symptom_count"]?["high"] == .number(7))
        #expect(json["scores"]?["mde_symptom_count"]?["blocking"] == .array([]))
    }

    @Test func replayIsDeterministic() throws {
        let text = try String(contentsOfFile: Repository.path("Tests/Vignettes/sample/mde-clear.json"), encoding: .utf8)
        let first = replay(text, interview: sample).0?.json.serialized(indent: "  ")
        let second = replay(text, interview: sample).0?.json.serialized(indent: "  ")
        #expect(first != nil)
        #expect(first == second)
    }

    /// A check builds only what its expectation names, and finds the same differences.
    @Test func aCheckComparesOnlyWhatTheExpectationNames() throws {
        let text = """
            { "answers": { "age": 30, "presenting_problem": "x", "A1": 1, "A2": 1 },
              "expect": { "missing": ["A3"], "diagnoses": { "mde_current": "met" } } }
            """
        let (result, _, source) = replay(text, interview: sample)
        let replayed = try #require(result)
        var sink = DiagnosticSink(source: source)
        let expect = try #require(AnswerFile.read(source: source, sink: &sink)?.expect)
        let selected = replayed.json(for: expect)
        guard case .object(let diagnoses)? = selected["diagnoses"] else {
            Issue.record("no diagnoses")
            return
        }
        #expect(diagnoses.map(\.0) == ["mde_current"])
        #expect(selected["criteria"] == nil)
        #expect(
            Expectations.compare(expect, with: selected, source: source).map(\.description)
                == Expectations.compare(expect, with: replayed.json, source: source).map(\.description))
    }

    @Test func checkReportsEachDifferenceWithItsPosition() throws {
        let (result, _, source) = replay(
            """
            {
              "answers": { "age": 30, "presenting_problem": "x", "A1": 1, "A2": 1 },
              "expect": {
                "missing": ["A3"],
                "diagnoses": { "mde_current": "met" },
                "scores": { "mde_symptom_count": { "value": null, "band": "none" } },
                "alerts": []
              }
            }
            """, interview: sample)
        let file = try #require(result)
        var sink = DiagnosticSink(source: source)
        let expect = try #require(AnswerFile.read(source: source, sink: &sink)?.expect)
        let mismatches = Expectations.compare(expect, with: file.json, source: source).map(\.description)
        #expect(
            mismatches == [
                "answers.json:4:16: expected missing to be [\"A3\"], got []",
                "answers.json:5:35: expected diagnoses.mde_current.status to be \"met\", got \"not_met\"",
                "answers.json:6:63: expected scores.mde_symptom_count.band to be \"none\", got null",
            ])
    }

    @Test func unusedAndMissingAreReported() throws {
        let (result, diagnostics, _) = replay(
            """
            { "answers": { "age": 30, "A1": 1, "A2": 2, "A5": 3, "mde_organic": true } }
            """, interview: sample)
        #expect(diagnostics.isEmpty)
        #expect(result?.missing == ["presenting_problem"])
        #expect(result?.unused == ["A5", "mde_organic"])
    }

    @Test func problemsInTheAnswerFileSayWhereAndWhat() throws {
        let (result, diagnostics, _) = replay(
            """
            {
              "answers": {
                "age": "thirty",
                "A11": 3,
                "A1": 4,
                "A2": 1,
                "mde_duration": "a fortnight"
              },
              "colour": "blue"
            }
            """, interview: sample)
        #expect(
            diagnostics.map(\.description) == [
                "answers.json:3:12: error: the answer to age (an integer item) must be a number, not a string [invalid-answer]",
                "answers.json:4:5: error: unknown item 'A11'; did you mean 'A1'? [unknown-reference]",
                "answers.json:5:11: error: '4' is not an option of A1 (options: ?, 1, 2, 3) [invalid-answer]",
                "answers.json:7:21: error: the answer to mde_duration must be a duration such as \"3 weeks\" (units: days, weeks, months, years) [invalid-answer]",
                "answers.json:9:3: error: the answer file: unknown field 'colour' [unknown-field]",
            ])
        #expect(result?.rejected.map(\.item) == ["A1"])
    }

    @Test func aHardCheckInAReplayLeavesTheItemMissing() throws {
        let interview = try loadOrFail(
            interviewJSON(
                items: """
                    { "id": "onset", "kind": "integer", "prompt": "Age at onset?" },
                    { "id": "now", "kind": "integer", "prompt": "Age now?", "checks": [
                      { "id": "onset_before_now", "severity": "hard", "rule": "now >= onset", "message": "Age now is below age at onset." }
                    ] }
                    """))
        let (result, _, _) = replay(#"{ "answers": { "onset": 40, "now": 30 } }"#, interview: interview)
        #expect(result?.missing == ["now"])
        #expect(result?.checks.map(\.check.id) == ["onset_before_now"])
    }
}

/// `DirectoryListing` must list what Foundation's directory enumerator lists:
/// the same entries, at any depth, not following links to directories.
@Suite struct DirectoryListingTests {
    @Test func listsWhatFoundationsEnumeratorLists() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("listing-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let files = ["a.json", ".hidden.json", "b/c.json", "b/d/e.jsonl", "b/d/f.txt", "ü ñ/g.json"]
        for file in files {
            let path = root + "/" + file
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: path, contents: Data("{}".utf8)))
        }
        try FileManager.default.createDirectory(atPath: root + "/empty", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: root + "/b")
        var expected: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let entry = enumerator?.nextObject() as? String { expected.append(entry) }
        let listed = DirectoryListing.files(under: root)
        #expect(listed.sorted() == expected.sorted())
        #expect(Set(files).isSubset(of: Set(listed)))
        #expect(!listed.contains("link/c.json"))
        #expect(DirectoryListing.files(under: root + "/").sorted() == listed.sorted())
        #expect(DirectoryListing.files(under: root + "/missing").isEmpty)
    }
}
