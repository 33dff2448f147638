import ClinterviewCore
import ClinterviewJournal
import ClinterviewTestSupport
import Foundation
import PostgresNIO
import Testing

@testable import ClinterviewStore

/// The service store against a real PostgreSQL server: `.ci/run` starts one
/// (.ci/postgres.sh) and sets CLINTERVIEW_TEST_DATABASE_URL to a role that
/// may create roles. Without it these tests are skipped.
enum TestDatabase {
    static let adminURL = ProcessInfo.processInfo.environment["CLINTERVIEW_TEST_DATABASE_URL"]
    static let available = adminURL != nil
    static let howToRun =
        "needs a PostgreSQL server: run .ci/postgres.sh DIR and set CLINTERVIEW_TEST_DATABASE_URL to the URL it prints"

    /// The store, initialised, connected as the administrator.
    static func admin() async throws -> ServiceStore {
        let url = try #require(adminURL)
        let store = try await ServiceStore.connect(try DatabaseSettings.parse(url))
        try await store.initialize()
        return store
    }

    /// A new login role, a member of `group`, and a URL to connect as it.
    static func login(_ group: String, admin: ServiceStore) async throws -> String {
        let name = "test_" + UUID().uuidString.prefix(8).lowercased()
        let password = UUID().uuidString
        try await admin.connection.query(
            PostgresQuery(unsafeSQL: "CREATE ROLE \(name) LOGIN PASSWORD '\(password)' IN ROLE \(group)"),
            logger: admin.logger)
        let url = try #require(adminURL)
        var components = try #require(URLComponents(string: url))
        components.user = name
        components.password = password
        return try #require(components.string)
    }

    static func connect(_ url: String) async throws -> ServiceStore {
        try await ServiceStore.connect(try DatabaseSettings.parse(url))
    }
}

extension ServiceStore {
    /// Runs SQL; the server's message when it is refused.
    func run(_ sql: String) async -> String? {
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            return nil
        } catch {
            return Self.message(error)
        }
    }

    func count(_ sql: String) async throws -> Int {
        var result = 0
        for try await (value, ) in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(
            (Int,).self)
        {
            result = value
        }
        return result
    }
}

/// Journals written as the terminal writes them, in a directory of their own.
enum TestJournals {
    static func directory() -> String {
        let path = NSTemporaryDirectory() + "clinterview-store-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A core interview answered with the vignette's answers, as a journal in `directory`.
    static func session(_ vignette: String, in directory: String, client: String) throws -> String {
        let path = Repository.path("Interviews/core.json")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let interview = try #require(InterviewLoader.load(source: SourceFile(path: path, bytes: bytes)).interview)
        let journaled = try SessionStore(directory: directory).start(
            .init(
                interview: interview, definition: bytes, definitionPath: path, client: client, rater: "R. Ater",
                role: "PWP"))
        let answerPath = Repository.path("Tests/Vignettes/core/\(vignette).json")
        let source = SourceFile(
            path: answerPath, bytes: try [UInt8](Data(contentsOf: URL(fileURLWithPath: answerPath))))
        var sink = DiagnosticSink(source: source)
        let answers = try #require(AnswerFile.read(source: source, sink: &sink))
        let values = Dictionary(answers.answers.map { ($0.item, $0.value) }, uniquingKeysWith: { first, _ in first })
        while let item = journaled.session.currentItem {
            if let node = values[item.id], case .success(let input) = item.input(from: node) {
                let result = try journaled.answer(input, overrides: [:])
                if result.status != .accepted { journaled.moveOn() }
            } else {
                journaled.moveOn()
            }
        }
        for alert in journaled.session.unacknowledgedAlerts { try journaled.acknowledge(alert: alert) }
        try journaled.complete()
        journaled.close()
        return journaled.path
    }
}

@Suite(.enabled(if: TestDatabase.available, "\(TestDatabase.howToRun)"), .serialized)
struct ServiceStoreTests {
    @Test func syncIsIdempotentAndStoresTheResults() async throws {
        let admin = try await TestDatabase.admin()
        let clinician = try await TestDatabase.connect(
            try await TestDatabase.login("clinterview_clinician", admin: admin))
        let directory = TestJournals.directory()
        let path = try TestJournals.session("mde-current-clear", in: directory, client: "C-" + UUID().uuidString)
        guard case .added(let records, true) = try await clinician.sync(journalAt: path) else {
            Issue.record("not added with results")
            return
        }
        #expect(records > 40)
        #expect(try await clinician.sync(journalAt: path) == .upToDate)
        let id = (path as NSString).lastPathComponent.replacingOccurrences(of: ".jsonl", with: "")
        #expect(
            try await clinician.count("SELECT count(*) FROM clinterview.records WHERE session_id = '\(id)'") == records)
        #expect(
            try await clinician.count(
                "SELECT count(*) FROM clinterview.results WHERE session_id = '\(id)' AND diagnoses @> '[{\"id\": \"mdd_current\", \"status\": \"met\"}]'"
            ) == 1)
        await clinician.close()
        await admin.close()
    }

    @Test func nothingStoredCanBeChangedOrRemovedEvenByItsOwner() async throws {
        let admin = try await TestDatabase.admin()
        let clinician = try await TestDatabase.connect(
            try await TestDatabase.login("clinterview_clinician", admin: admin))
        let path = try TestJournals.session("gad-clear", in: TestJournals.directory(), client: "C-" + UUID().uuidString)
        _ = try await clinician.sync(journalAt: path)
        for (store, who) in [(clinician, "the clinician"), (admin, "the owner")] {
            for sql in [
                "UPDATE clinterview.records SET type = 'x'", "DELETE FROM clinterview.records",
                "TRUNCATE clinterview.records", "UPDATE clinterview.results SET status = 'x'",
                "DELETE FROM clinterview.sessions",
            ] {
                let refusal = await store.run(sql)
                #expect(refusal != nil, "\(who) could run \(sql)")
            }
        }
        #expect(await admin.run("DELETE FROM clinterview.records")?.contains("append-only") == true)
        await clinician.close()
        await admin.close()
    }

    @Test func aClinicianSeesOnlyTheirOwnCaseload() async throws {
        let admin = try await TestDatabase.admin()
        let alice = try await TestDatabase.connect(try await TestDatabase.login("clinterview_clinician", admin: admin))
        let bob = try await TestDatabase.connect(try await TestDatabase.login("clinterview_clinician", admin: admin))
        let path = try TestJournals.session("gad-clear", in: TestJournals.directory(), client: "C-" + UUID().uuidString)
        _ = try await alice.sync(journalAt: path)
        let id = (path as NSString).lastPathComponent.replacingOccurrences(of: ".jsonl", with: "")
        #expect(try await alice.count("SELECT count(*) FROM clinterview.sessions WHERE session_id = '\(id)'") == 1)
        #expect(try await bob.count("SELECT count(*) FROM clinterview.sessions WHERE session_id = '\(id)'") == 0)
        #expect(try await bob.count("SELECT count(*) FROM clinterview.records WHERE session_id = '\(id)'") == 0)
        // Nor can Bob write rows in Alice's name.
        let spoof = await bob.run(
            "INSERT INTO clinterview.sessions (session_id, owner, client, rater, role, interview_id, interview_version, definition_sha256, blind, started_at) VALUES ('spoof-\(UUID().uuidString)', 'postgres', 'c', 'r', 'r', 'i', 'v', 'd', false, now())"
        )
        #expect(spoof?.contains("row-level security") == true, "\(spoof ?? "accepted")")
        await alice.close()
        await bob.close()
        await admin.close()
    }

    @Test func anAuditorReadsPseudonymisedResultsOnly() async throws {
        let admin = try await TestDatabase.admin()
        let clinician = try await TestDatabase.connect(
            try await TestDatabase.login("clinterview_clinician", admin: admin))
        let auditor = try await TestDatabase.connect(try await TestDatabase.login("clinterview_auditor", admin: admin))
        let client = "C-" + UUID().uuidString
        let path = try TestJournals.session("mde-current-clear", in: TestJournals.directory(), client: client)
        _ = try await clinician.sync(journalAt: path)
        let id = (path as NSString).lastPathComponent.replacingOccurrences(of: ".jsonl", with: "")
        #expect(
            try await auditor.count("SELECT count(*) FROM clinterview.audit_results WHERE session_id = '\(id)'") == 1)
        #expect(
            try await auditor.count(
                "SELECT count(*) FROM clinterview.audit_results WHERE session_id = '\(id)' AND client_pseudonym LIKE 'P-%' AND client_pseudonym <> '\(client)'"
            ) == 1)
        for table in ["sessions", "records", "results", "secret"] {
            #expect(await auditor.run("SELECT * FROM clinterview.\(table)") != nil, "the auditor read \(table)")
        }
        #expect(await auditor.run("INSERT INTO clinterview.schema_version VALUES (99)") != nil)
        await clinician.close()
        await auditor.close()
        await admin.close()
    }

    /// A journal cut short after it was synced no longer holds the stored head: refused.
    @Test func aJournalShortenedAfterSyncIsRefusedAsTampering() async throws {
        let admin = try await TestDatabase.admin()
        let clinician = try await TestDatabase.connect(
            try await TestDatabase.login("clinterview_clinician", admin: admin))
        let path = try TestJournals.session("gad-clear", in: TestJournals.directory(), client: "C-" + UUID().uuidString)
        _ = try await clinician.sync(journalAt: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        try (lines.dropLast(3).joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        guard case .tampered(let why) = try await clinician.sync(journalAt: path) else {
            Issue.record("a shortened journal was accepted")
            return
        }
        #expect(why.contains("removed after it was synced"))
        await clinician.close()
        await admin.close()
    }
}
