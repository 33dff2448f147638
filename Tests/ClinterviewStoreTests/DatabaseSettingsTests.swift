import Foundation
import Testing

@testable import ClinterviewStore

/// Where the store is and how to log in, read as libpq reads it.
@Suite struct DatabaseSettingsTests {
    @Test func aURLGivesEveryPart() throws {
        let settings = try DatabaseSettings.parse(
            "postgres://j%20smith:p%40ss@db.example.org:6543/service?sslmode=verify-full", environment: [:],
            home: "/nonexistent")
        #expect(settings.user == "j smith")
        #expect(settings.password == "p@ss")
        #expect(settings.host == "db.example.org" && settings.port == 6543 && settings.database == "service")
        #expect(settings.tls == .verifyFull)
    }

    @Test func thePasswordComesFromPGPASSWORDThenPgpass() throws {
        let withEnvironment = try DatabaseSettings.parse(
            "postgres://ann@h/db", environment: ["PGPASSWORD": "from-env"], home: "/nonexistent")
        #expect(withEnvironment.password == "from-env")
        let home = NSTemporaryDirectory() + "pgpass-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        try "# comment\nother:5432:db:ann:wrong\nh:*:db:ann:from\\:file\n".write(
            toFile: home + "/.pgpass", atomically: true, encoding: .utf8)
        let withFile = try DatabaseSettings.parse("postgres://ann@h/db", environment: [:], home: home)
        #expect(withFile.password == "from:file")
        #expect(withFile.tls == .prefer)
    }

    @Test func aSocketDirectoryIsAHostParameter() throws {
        let settings = try DatabaseSettings.parse(
            "postgres://ann@/clinterview?host=/run/postgresql", environment: [:], home: "/nonexistent")
        #expect(settings.socketDirectory == "/run/postgresql")
        #expect(settings.tls == .disable)
    }

    @Test func whatIsNotAPostgresURLSaysHowToWriteOne() {
        #expect(throws: DatabaseSettings.Problem.self) { try DatabaseSettings.parse("mysql://x@y/z") }
        #expect(throws: DatabaseSettings.Problem.self) { try DatabaseSettings.parse("postgres://x@y/z?sslmode=maybe") }
        #expect(DatabaseSettings.redacted("postgres://ann:secret@h/db") == "postgres://ann:***@h/db")
    }
}
