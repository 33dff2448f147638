import ArgumentParser
import ClinterviewJournal
import ClinterviewReports
import ClinterviewStore
import Foundation

/// The sessions in the service store at `url` that the role may read, as
/// assessments: each journal read back line by line, as from a file.
func storedAssessments(_ url: String, loader: inout AssessmentLoader) async throws -> [AssessedSession] {
    let journals = try await DatabaseOption(database: url).use { try await $0.journals() }
    return journals.compactMap { loader.load(path: "store:\($0.id).jsonl", bytes: $0.bytes) }
}

/// `--database URL`, else `$CLINTERVIEW_DATABASE_URL`.
struct DatabaseOption: ParsableArguments {
    init() {}

    init(database: String) {
        self.database = database
    }

    @Option(
        help: ArgumentHelp(
            "The service store: postgres://USER@HOST:PORT/DATABASE[?sslmode=require]. Default: $CLINTERVIEW_DATABASE_URL. The password from the URL, PGPASSWORD or ~/.pgpass.",
            valueName: "url"))
    var database: String?

    func settings() throws -> DatabaseSettings {
        guard let url = database ?? ProcessInfo.processInfo.environment["CLINTERVIEW_DATABASE_URL"] else {
            printError("clinterview: no service store given: pass --database URL or set CLINTERVIEW_DATABASE_URL")
            throw CommandFailure.usage
        }
        do {
            return try DatabaseSettings.parse(url)
        } catch {
            printError("clinterview: \(error)")
            throw CommandFailure.usage
        }
    }

    /// Connects, checks the store's schema version (unless `init` is about
    /// to upgrade it), runs `body`, and closes the connection however it
    /// ends. A store's failure is printed and the command exits 1.
    func use<Result>(
        checkingSchema: Bool = true, _ body: (ServiceStore) async throws -> Result
    ) async throws -> Result {
        let store: ServiceStore
        do {
            store = try await ServiceStore.connect(try settings())
        } catch let failure as ServiceStore.Failure {
            printError("clinterview: \(failure)")
            throw CommandFailure.inputError
        }
        if checkingSchema {
            do {
                try await store.checkSchema()
            } catch {
                await store.close()
                printError("clinterview: \(error)")
                throw CommandFailure.inputError
            }
        }
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch let failure as ServiceStore.Failure {
            await store.close()
            printError("clinterview: \(failure)")
            throw CommandFailure.inputError
        } catch {
            await store.close()
            throw error
        }
    }
}

struct Store: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Manage the service store (PostgreSQL) that sessions are synced into.",
        discussion: "See docs/service.md.",
        subcommands: [StoreInit.self]
    )
}

struct StoreInit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create or upgrade the store's schema, roles, append-only triggers and row-level security.",
        discussion: """
            Run as a role that may create schemas and roles (the database's owner or a superuser), in one \
            transaction. On a store made by an earlier clinterview it upgrades the schema; on a current one \
            it changes nothing. Creates the roles clinterview_clinician, clinterview_auditor and \
            clinterview_admin (docs/service.md, Upgrading).
            """
    )

    @OptionGroup var store: DatabaseOption

    func run() async throws {
        try await store.use(checkingSchema: false) { try await $0.initialize() }
        say(
            "service store ready (schema version \(StoreSchema.version)): roles clinterview_clinician, clinterview_auditor, clinterview_admin"
        )
    }
}

struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Copy this machine's session journals into the service store.",
        discussion: """
            Each session is copied in one transaction, with its results (diagnoses, scores, alerts, the engine \
            version and the definition's SHA-256) when its definition is on this machine as it was. A second run \
            adds nothing; a run cut off at any moment is completed by the next. A journal that no longer contains \
            the records already stored (shortened or rewritten after it was synced) is refused and reported as \
            tampering: exit 1.
            """
    )

    @OptionGroup var store: DatabaseOption

    @OptionGroup var sessions: SessionsDirectory

    func run() async throws {
        let journals = sessions.store.list()
        var added = 0
        var records = 0
        var upToDate = 0
        var refused = 0
        try await store.use { connected in
            for journal in journals {
                switch try await connected.sync(journalAt: journal.path) {
                case .added(let count, let results):
                    added += 1
                    records += count
                    say(
                        "synced \(journal.id): \(count) record\(count == 1 ? "" : "s")\(results ? "" : ", without results (its definition is not here as it was)")"
                    )
                case .upToDate: upToDate += 1
                case .tampered(let why):
                    refused += 1
                    printError("\(journal.path): refused, tampering: \(why)")
                case .skipped(let why):
                    refused += 1
                    printError("\(journal.path): not synced: \(why)")
                }
            }
        }
        say(
            "\(added) session\(added == 1 ? "" : "s") synced (\(records) records), \(upToDate) already up to date, \(refused) refused"
        )
        if refused > 0 { throw CommandFailure.inputError }
    }
}
