import ClinterviewCore
import ClinterviewJournal
import ClinterviewReports
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

    /// The connections a test opened, closed when it ends however it ends
    /// (PostgresNIO requires every connection closed).
    final class Connections: @unchecked Sendable {
        var open: [ServiceStore] = []
        var admin: ServiceStore { open[0] }

        /// A new login role, a member of `group`, connected.
        func login(_ group: String) async throws -> ServiceStore {
            try await connect(try await url(group))
        }

        func url(_ group: String) async throws -> String {
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

        func connect(_ url: String) async throws -> ServiceStore {
            let store = try await ServiceStore.connect(try DatabaseSettings.parse(url))
            open.append(store)
            return store
        }
    }

    /// Runs `body` with the store initialised and an administrator connected.
    static func with(_ body: (Connections) async throws -> Void) async throws {
        let connections = Connections()
        do {
            let url = try #require(adminURL)
            let admin = try await connections.connect(url)
            try await admin.initialize()
            try await body(connections)
        } catch {
            for store in connections.open { await store.close() }
            throw error
        }
        for store in connections.open { await store.close() }
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
    static func session(
        _ vignette: String, in directory: String, client: String, assessedAt: Date? = nil
    ) throws -> String {
        let path = Repository.path("Interviews/core.json")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let interview = try #require(InterviewLoader.load(source: SourceFile(path: path, bytes: bytes)).interview)
        var start = SessionStore.Start(
            interview: interview, definition: bytes, definitionPath: path, client: client, rater: "R. Ater", role: "PWP"
        )
        start.assessedAt = assessedAt
        let journaled = try SessionStore(directory: directory).start(start)
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
    static func sessionID(_ path: String) -> String {
        (path as NSString).lastPathComponent.replacingOccurrences(of: ".jsonl", with: "")
    }

    @Test func syncIsIdempotentAndStoresTheResults() async throws {
        try await TestDatabase.with { db in
            let clinician = try await db.login("clinterview_clinician")
            let path = try TestJournals.session(
                "mde-current-clear", in: TestJournals.directory(), client: "C-" + UUID().uuidString)
            guard case .added(let records, true) = try await clinician.sync(journalAt: path) else {
                Issue.record("not added with results")
                return
            }
            #expect(records > 40)
            #expect(try await clinician.sync(journalAt: path) == .upToDate)
            let id = Self.sessionID(path)
            #expect(
                try await clinician.count("SELECT count(*) FROM clinterview.records WHERE session_id = '\(id)'")
                    == records)
            #expect(
                try await clinician.count(
                    "SELECT count(*) FROM clinterview.results WHERE session_id = '\(id)' AND diagnoses @> '[{\"id\": \"mdd_current\", \"status\": \"met\"}]'"
                ) == 1)
        }
    }

    @Test func nothingStoredCanBeChangedOrRemovedEvenByItsOwner() async throws {
        try await TestDatabase.with { db in
            let clinician = try await db.login("clinterview_clinician")
            let path = try TestJournals.session(
                "gad-clear", in: TestJournals.directory(), client: "C-" + UUID().uuidString)
            _ = try await clinician.sync(journalAt: path)
            for (store, who) in [(clinician, "the clinician"), (db.admin, "the owner")] {
                for sql in [
                    "UPDATE clinterview.records SET type = 'x'", "DELETE FROM clinterview.records",
                    "TRUNCATE clinterview.records", "UPDATE clinterview.results SET status = 'x'",
                    "DELETE FROM clinterview.sessions",
                ] {
                    let refusal = await store.run(sql)
                    #expect(refusal != nil, "\(who) could run \(sql)")
                }
            }
            #expect(await db.admin.run("DELETE FROM clinterview.records")?.contains("append-only") == true)
        }
    }

    @Test func aClinicianSeesOnlyTheirOwnCaseload() async throws {
        try await TestDatabase.with { db in
            let alice = try await db.login("clinterview_clinician")
            let bob = try await db.login("clinterview_clinician")
            let path = try TestJournals.session(
                "gad-clear", in: TestJournals.directory(), client: "C-" + UUID().uuidString)
            _ = try await alice.sync(journalAt: path)
            let id = Self.sessionID(path)
            #expect(try await alice.count("SELECT count(*) FROM clinterview.sessions WHERE session_id = '\(id)'") == 1)
            #expect(try await bob.count("SELECT count(*) FROM clinterview.sessions WHERE session_id = '\(id)'") == 0)
            #expect(try await bob.count("SELECT count(*) FROM clinterview.records WHERE session_id = '\(id)'") == 0)
            // Nor can Bob write rows in someone else's name.
            let spoof = await bob.run(
                "INSERT INTO clinterview.sessions (session_id, owner, client, rater, role, interview_id, interview_version, definition_sha256, blind, started_at) VALUES ('spoof-\(UUID().uuidString)', 'postgres', 'c', 'r', 'r', 'i', 'v', 'd', false, now())"
            )
            #expect(spoof?.contains("row-level security") == true, "\(spoof ?? "accepted")")
        }
    }

    @Test func anAuditorReadsPseudonymisedResultsOnly() async throws {
        try await TestDatabase.with { db in
            let clinician = try await db.login("clinterview_clinician")
            let auditor = try await db.login("clinterview_auditor")
            let client = "C-" + UUID().uuidString
            let path = try TestJournals.session("mde-current-clear", in: TestJournals.directory(), client: client)
            _ = try await clinician.sync(journalAt: path)
            let id = Self.sessionID(path)
            #expect(
                try await auditor.count("SELECT count(*) FROM clinterview.audit_results WHERE session_id = '\(id)'")
                    == 1)
            #expect(
                try await auditor.count(
                    "SELECT count(*) FROM clinterview.audit_results WHERE session_id = '\(id)' AND client_pseudonym LIKE 'P-%' AND client_pseudonym <> '\(client)'"
                ) == 1)
            for table in ["sessions", "records", "results", "secret"] {
                #expect(await auditor.run("SELECT * FROM clinterview.\(table)") != nil, "the auditor read \(table)")
            }
            #expect(await auditor.run("INSERT INTO clinterview.schema_version VALUES (99)") != nil)
        }
    }

    /// A journal cut short after it was synced no longer holds the stored head: refused.
    @Test func aJournalShortenedAfterSyncIsRefusedAsTampering() async throws {
        try await TestDatabase.with { db in
            let clinician = try await db.login("clinterview_clinician")
            let path = try TestJournals.session(
                "gad-clear", in: TestJournals.directory(), client: "C-" + UUID().uuidString)
            _ = try await clinician.sync(journalAt: path)
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            try (lines.dropLast(3).joined(separator: "\n") + "\n").write(
                toFile: path, atomically: true, encoding: .utf8)
            guard case .tampered(let why) = try await clinician.sync(journalAt: path) else {
                Issue.record("a shortened journal was accepted")
                return
            }
            #expect(why.contains("removed after it was synced"))
        }
    }

    /// A paper assessment entered afterwards keeps its date in the store.
    @Test func theAssessmentDateIsStored() async throws {
        try await TestDatabase.with { db in
            let clinician = try await db.login("clinterview_clinician")
            let path = try TestJournals.session(
                "gad-clear", in: TestJournals.directory(), client: "C-" + UUID().uuidString,
                assessedAt: Date(timeIntervalSince1970: 1_780_000_000))
            _ = try await clinician.sync(journalAt: path)
            #expect(
                try await clinician.count(
                    "SELECT extract(epoch FROM assessed_at)::bigint FROM clinterview.sessions WHERE session_id = '\(Self.sessionID(path))'"
                ) == 1_780_000_000)
        }
    }

    /// A client's outcome from the stored results is the outcome replayed
    /// from the same journals; a store of schema version 1 (results without
    /// status letters, no definitions, no fidelity) is refused until `store
    /// init` upgrades it, and then gives the same outcome.
    @Test func outcomesFromTheStoreAreTheJournalsOutcomesBeforeAndAfterAnUpgrade() async throws {
        try await TestDatabase.with { db in
            let clinician = try await db.login("clinterview_clinician")
            let directory = TestJournals.directory(), client = "C-" + UUID().uuidString
            let day: TimeInterval = 86_400
            for (vignette, date) in [
                ("recovery-intake", 1_780_000_000.0), ("recovery-follow-up", 1_780_000_000 + 90 * day),
            ] {
                let path = try TestJournals.session(
                    vignette, in: directory, client: client, assessedAt: Date(timeIntervalSince1970: date))
                guard case .added(_, true) = try await clinician.sync(journalAt: path) else {
                    Issue.record("\(vignette) not synced with results")
                    return
                }
            }
            let core = try #require(InterviewLoader.load(path: Repository.path("Interviews/core.json")).interview)
            var loader = AssessmentLoader(interviews: [core])
            let fromDisk = OutcomeReport.build(loader.load([directory]))
            #expect(fromDisk.clients.first?.lostEveryDiagnosis == true)
            #expect(try await clinician.outcomes().text == fromDisk.text)

            for sql in [
                "ALTER TABLE clinterview.results DROP COLUMN statuses CASCADE, DROP COLUMN score_values CASCADE, DROP COLUMN fidelity_values CASCADE, DROP COLUMN fidelity CASCADE",
                "DROP TABLE clinterview.definitions CASCADE",
                "DELETE FROM clinterview.schema_version WHERE version > 1",
            ] {
                #expect(await db.admin.run(sql) == nil, "\(sql)")
            }
            await #expect(throws: ServiceStore.Failure.self) { try await clinician.checkSchema() }
            do {
                try await clinician.checkSchema()
            } catch {
                #expect("\(error)".contains("schema version 1 and this clinterview needs \(StoreSchema.version)"))
            }
            try await db.admin.initialize()
            try await clinician.checkSchema()
            // The same outcome; how the sessions were administered was not stored before version 3.
            let upgraded = try await clinician.outcomes()
            #expect(upgraded.json["summary"] == fromDisk.json["summary"])
            #expect(upgraded.clients.map(\.lostEveryDiagnosis) == fromDisk.clients.map(\.lostEveryDiagnosis))
            #expect(upgraded.summary.fidelity["R. Ater"]?.journaled == 0)
            #expect(fromDisk.summary.fidelity["R. Ater"]?.journaled == 2)
        }
    }

    /// sslmode=require encrypts; verify-full refuses a certificate it cannot verify.
    @Test func tlsIsUsedWhenAsked() async throws {
        try await TestDatabase.with { db in
            let url = try #require(TestDatabase.adminURL)
            let encrypted = try await db.connect(url + "?sslmode=require")
            #expect(try await encrypted.count("SELECT ssl::int FROM pg_stat_ssl WHERE pid = pg_backend_pid()") == 1)
            let plain = try await db.connect(url + "?sslmode=disable")
            #expect(try await plain.count("SELECT ssl::int FROM pg_stat_ssl WHERE pid = pg_backend_pid()") == 0)
            await #expect(throws: ServiceStore.Failure.self) {
                let verified = try await ServiceStore.connect(try DatabaseSettings.parse(url + "?sslmode=verify-full"))
                await verified.close()
            }
        }
    }
}
