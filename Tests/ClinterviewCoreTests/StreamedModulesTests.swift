import ClinterviewTestSupport
import Foundation
import Testing
@testable import ClinterviewCore

/// A large definition's modules are read on another core while the rest of
/// the file is parsed; that must give the model and the problems that
/// reading them after the parse gives.
@Suite struct StreamedModulesTests {
    static let definitions = Repository.files(in: "Interviews", ending: ".json").map { "Interviews/" + $0 }
        + Repository.files(in: "Tests/LintFixtures", ending: ".json").map { "Tests/LintFixtures/" + $0 }

    struct Read {
        var interview: String
        var diagnostics: [String]
        var streamed: Bool
    }

    static func read(_ source: SourceFile, streaming: Bool) -> Read {
        var run = LoaderRun(source: source)
        run.streamsModules = streaming
        let interview = run.load()
        return Read(interview: interview.map(canonical) ?? "none", diagnostics: run.sink.sorted.map(\.description), streamed: run.modulesWereStreamed)
    }

    @Test(arguments: definitions)
    func readsAsAfterTheParse(path: String) throws {
        let source = SourceFile(path: path, bytes: Array(try Data(contentsOf: URL(fileURLWithPath: Repository.path(path)))))
        let streamed = Self.read(source, streaming: true), afterwards = Self.read(source, streaming: false)
        #expect(streamed.diagnostics == afterwards.diagnostics)
        #expect(streamed.interview == afterwards.interview)
        #expect(!afterwards.streamed)
    }

    /// Every bundled interview names its languages and scales before its
    /// modules, so the parameterised test above does compare the two ways.
    @Test func bundledInterviewsAreStreamed() throws {
        for path in Self.definitions where path.hasPrefix("Interviews/") {
            let source = SourceFile(path: path, bytes: Array(try Data(contentsOf: URL(fileURLWithPath: Repository.path(path)))))
            #expect(Self.read(source, streaming: true).streamed, "\(path)")
        }
    }

    static let scales = """
    "scales": [{ "id": "yes3", "options": [{ "code": 0, "label": "no" }, { "code": 1, "label": { "en": "yes", "de": "ja" } }] }]
    """
    static let languages = #""languages": ["en", "de"]"#
    static let modules = """
    "modules": [
      { "id": "m1", "title": { "en": "One", "de": "Eins" }, "sections": [{ "id": "s1", "title": "S", "items": [
        { "id": "A1", "kind": "choice", "scale": "yes3", "prompt": { "en": "a", "fr": "b" } },
        { "id": "A2", "kind": "choice", "scale": "missing", "prompt": "p", "when": "A1 == 1" },
        { "id": "A1", "kind": "rating", "prompt": "p", "colour": "red" }] }] },
      { "id": "m2", "title": "Two", "sections": [] },
      { "id": "m3", "title": "Three", "when": "A1 == 9 or", "sections": [{ "id": "s3", "title": "S", "items": [
        { "id": "B1", "kind": "rating", "prompt": "p" }] }] }
    ]
    """

    static func document(_ members: [String]) -> String {
        #"{ "format": "clinterview/1", "id": "t", "version": "1", "title": { "en": "T", "de": "T" }, "#
            + members.joined(separator: ", ") + " }"
    }

    static let cleanModules = """
    "modules": [
      { "id": "m1", "title": { "en": "One", "de": "Eins" }, "sections": [{ "id": "s1", "title": "S", "items": [
        { "id": "A1", "kind": "choice", "scale": "yes3", "prompt": { "en": "a", "de": "b" } },
        { "id": "A2", "kind": "choice", "scale": "yes3", "prompt": "p", "when": "A1 == 1" }] }] },
      { "id": "m3", "title": "Three", "when": "A1 == 9 or", "sections": [{ "id": "s3", "title": "S", "items": [
        { "id": "B1", "kind": "rating", "prompt": "p" }] }] }
    ]
    """

    /// Modules read with their context (languages, scales) before them are
    /// taken over; after them, or with a problem, they are read again.
    @Test(arguments: [
        ([languages, scales, cleanModules], true),
        ([scales, cleanModules], true),
        ([languages, scales, cleanModules, #""criteria": [{ "id": "c", "label": "c", "rule": "B1 >= 2" }]"#], true),
        ([languages, scales, #""modules": []"#], true),
        ([scales, cleanModules, languages], false),
        ([languages, cleanModules, scales], false),
        ([languages, scales, #""modules": 3"#], false),
        ([cleanModules], false),
        ([languages, scales, cleanModules.replacingOccurrences(of: #""en": "a", "de": "b""#, with: #""en": "a""#)], false),
        ([languages, scales, modules], false),
        ([scales, modules, languages], false),
        ([languages, modules, scales], false),
        ([modules], false),
    ])
    func takenOverOnlyWhenReadAsAfterTheParse(members: [String], streams: Bool) {
        let source = SourceFile(path: "t.json", text: Self.document(members))
        let streamed = Self.read(source, streaming: true), afterwards = Self.read(source, streaming: false)
        #expect(streamed.streamed == streams)
        #expect(streamed.diagnostics == afterwards.diagnostics)
        #expect(streamed.interview == afterwards.interview)
    }

    /// Modules that arrive one at a time, while the reading thread waits
    /// for each, are all read, in order; with a problem among them, the
    /// reading gives up.
    @Test(arguments: [true, false])
    func modulesSentSlowlyAreAllReadInOrder(clean: Bool) throws {
        let text = Self.document([Self.languages, Self.scales, clean ? Self.cleanModules : Self.modules])
        let source = SourceFile(path: "t.json", text: text)
        let root = try JSONParser.parse(source.bytes)
        guard case .object(let object) = root.value, case .array(let modules)? = object["modules"]?.value,
              let position = object.members.firstIndex(where: { $0.key == "modules" }) else { throw TestFailure("no modules") }
        let streamed = StreamedModules(source: source, before: Array(object.members[..<position]))
        for module in modules {
            Thread.sleep(forTimeInterval: 0.01)
            streamed.send(module)
        }
        let run = streamed.finish()
        if clean {
            #expect(run?.modules.map(\.id) == ["m1", "m3"])
            #expect(run?.items.map(\.id) == ["A1", "A2", "B1"])
            #expect(run?.scales["yes3"] != nil)
        } else {
            #expect(run == nil)
        }
    }

    @Test func aSyntaxErrorAfterTheModulesIsTheOnlyProblem() {
        let text = Self.document([Self.languages, Self.scales, Self.modules, #""criteria": [}"#])
        let streamed = Self.read(SourceFile(path: "t.json", text: text), streaming: true)
        #expect(streamed.interview == "none")
        #expect(streamed.diagnostics == ["t.json:9:17: error: unexpected '}': expected a value [json-syntax]"])
        #expect(!streamed.streamed)
    }
}
