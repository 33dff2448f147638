import ClinterviewCore
import ClinterviewTestSupport
import Foundation

@testable import ClinterviewJournal

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A fresh temporary directory, removed when the value is dropped.
final class TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "clinterview-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
}

/// A clock that moves one second per reading, so every record has its own time.
final class TickingClock: @unchecked Sendable {
    private let lock = NSLock()
    private var seconds: Double = 1_800_000_000
    var clock: Clock {
        Clock { [self] in
            lock.lock()
            defer { lock.unlock() }
            seconds += 1
            return Date(timeIntervalSince1970: seconds)
        }
    }
}

enum Fixture {
    static let definitionPath = Repository.path("Interviews/sample.json")
    static let definition: [UInt8] = (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: definitionPath)))) ?? []
    static let interview: Interview = InterviewLoader.load(source: SourceFile(path: definitionPath, bytes: definition))
        .interview!

    static func start(
        in directory: TemporaryDirectory, client: String = "client-1", clock: Clock = TickingClock().clock,
        createFile: ((String) throws(JournalError) -> JournalFile)? = nil
    ) throws -> JournaledSession {
        let store = SessionStore(directory: directory.path)
        let start = SessionStore.Start(
            interview: interview, definition: definition, definitionPath: definitionPath,
            client: client, rater: "A. Rater", role: "Clinical psychologist")
        if let createFile { return try store.start(start, clock: clock, createFile: createFile) }
        return try store.start(start, clock: clock)
    }

    /// Answers the overview and a positive screen: records 2 to 6 are answers.
    static func answerSome(_ journaled: JournaledSession) throws {
        journaled.moveOn()
        try journaled.answer(.number(30))
        try journaled.answer(.text("Low since spring"))
        try journaled.answer(.code("3"))
        try journaled.answer(.code("3"))
        try journaled.answer(.code("1"))
    }

    static func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
    }

    static func write(_ lines: [String], to path: String) throws {
        try lines.joined(separator: "\n").write(toFile: path, atomically: false, encoding: .utf8)
    }
}
