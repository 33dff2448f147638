import ClinterviewCore
import ClinterviewJournal
import ClinterviewReports
import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// A service's sessions in PostgreSQL. Local journals stay the source of
/// truth; `sync` copies what a journal has that the store has not, in one
/// transaction per session, so a sync cut off at any moment leaves the store
/// as it was and the next run completes it.
public struct ServiceStore: Sendable {
    let connection: PostgresConnection
    let logger: Logger

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func connect(_ settings: DatabaseSettings) async throws(Failure) -> ServiceStore {
        var logger = Logger(label: "clinterview.store")
        logger.logLevel = .critical
        let configuration: PostgresConnection.Configuration
        do {
            if let socket = settings.socketDirectory {
                configuration = PostgresConnection.Configuration(
                    unixSocketPath: (socket as NSString).appendingPathComponent(".s.PGSQL.\(settings.port)"),
                    username: settings.user, password: settings.password, database: settings.database)
            } else {
                configuration = PostgresConnection.Configuration(
                    host: settings.host, port: settings.port, username: settings.user, password: settings.password,
                    database: settings.database, tls: try tls(settings.tls))
            }
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
            return ServiceStore(connection: connection, logger: logger)
        } catch {
            throw Failure(description: "cannot reach the service store \(settings.description): \(Self.message(error))")
        }
    }

    static func tls(_ mode: DatabaseSettings.TLSMode) throws -> PostgresConnection.Configuration.TLS {
        var client = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case .disable: return .disable
        case .prefer:
            client.certificateVerification = .none
            return .prefer(try NIOSSLContext(configuration: client))
        case .require:
            client.certificateVerification = .none
            return .require(try NIOSSLContext(configuration: client))
        case .verifyFull:
            return .require(try NIOSSLContext(configuration: client))
        }
    }

    public func close() async {
        try? await connection.close()
    }

    /// The server's own words for an error (PSQLError hides them from `description`).
    static func message(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return message + (error.serverInfo?[.detail].map { " (\($0))" } ?? "")
            }
            if let underlying = error.underlying { return "\(error.code): \(underlying)" }
            return "\(error.code)"
        }
        if let error = error as? PostgresTransactionError {
            return message(error.closureError ?? error.commitError ?? error.beginError ?? error)
        }
        return "\(error)"
    }

    // MARK: Schema

    /// Creates the schema, roles, append-only triggers and row-level
    /// security, or upgrades a store of an earlier version, in one
    /// transaction: a failure leaves the store as it was. Needs a role that
    /// may create roles and schemas.
    public func initialize() async throws(Failure) {
        do {
            try await connection.withTransaction(logger: logger) { connection in
                // One init at a time: two at once would race on CREATE ... IF NOT EXISTS.
                try await connection.query(
                    "SELECT pg_advisory_xact_lock(hashtextextended('clinterview init', 0))", logger: logger)
                for statement in StoreSchema.statements {
                    do {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    } catch {
                        throw Failure(
                            description: "store init: \(Self.message(error)) while running: \(statement.prefix(80))…")
                    }
                }
            }
        } catch let error as PostgresTransactionError {
            if let failure = error.closureError as? Failure { throw failure }
            throw Failure(description: "store init: \(Self.message(error))")
        } catch {
            throw Failure(description: "store init: \(Self.message(error))")
        }
    }

    /// Refuses a store whose schema is not the version this program writes
    /// and reads, saying which side to upgrade.
    public func checkSchema() async throws(Failure) {
        var version = 0
        do {
            let rows = try await connection.query(
                "SELECT coalesce(max(version), 0) FROM clinterview.schema_version", logger: logger)
            for try await (found, ) in rows.decode((Int,).self) { version = found }
        } catch {
            let message = Self.message(error)
            if message.contains("does not exist") {
                throw Failure(
                    description:
                        "the database has no service store: an administrator runs clinterview store init (docs/service.md)"
                )
            }
            throw Failure(description: message)
        }
        if version < StoreSchema.version {
            throw Failure(
                description:
                    "the service store is at schema version \(version) and this clinterview needs \(StoreSchema.version): an administrator upgrades it with clinterview store init (docs/service.md, Upgrading)"
            )
        }
        if version > StoreSchema.version {
            throw Failure(
                description:
                    "the service store is at schema version \(version), newer than this clinterview (\(StoreSchema.version)): install the clinterview the service uses"
            )
        }
    }

    // MARK: Sync

    public enum SyncOutcome: Sendable, Equatable {
        /// Records the store did not have, and whether the session's results were stored with them.
        case added(records: Int, results: Bool)
        case upToDate
        /// The journal no longer contains the head the store holds: shortened or rewritten after sync.
        case tampered(String)
        /// Not synced, and why (a journal that is not intact, say).
        case skipped(String)
    }

    /// Copies what `path`'s journal has beyond the store's head for that
    /// session, with the session's results at the new head.
    public func sync(journalAt path: String) async throws(Failure) -> SyncOutcome {
        let contents: JournalContents
        do {
            contents = try JournalReader.read(path: path)
        } catch {
            return .skipped("\(error)")
        }
        if let problem = contents.problems.first(where: { $0.kind != .incomplete }) {
            return .skipped("the journal is not intact (\(problem)); run clinterview verify")
        }
        guard let header = contents.header, !contents.records.isEmpty else {
            return .skipped("the journal has no header")
        }
        let local = contents.records
        let results = Self.results(contents, header: header)
        do {
            return try await connection.withTransaction(logger: logger) { connection in
                try await connection.query(
                    "SELECT pg_advisory_xact_lock(hashtextextended(\(header.sessionID), 0))", logger: logger)
                let stored = try await Self.head(of: header.sessionID, on: connection, logger: logger)
                if let stored {
                    guard let kept = local.first(where: { $0.sequence == stored.seq }) else {
                        return .tampered(
                            "the store holds \(stored.seq) records of this session but the journal has only \(local.last?.sequence ?? 0): records were removed after it was synced"
                        )
                    }
                    guard kept.hash == stored.hash else {
                        return .tampered(
                            "record \(stored.seq) is not the one the store holds: the journal was rewritten after it was synced"
                        )
                    }
                    if stored.seq == local.last?.sequence { return .upToDate }
                } else {
                    try await connection.query(
                        """
                        INSERT INTO clinterview.sessions (session_id, client, rater, role, interview_id, interview_version,
                            definition_sha256, blind, time_frame, started_at, assessed_at)
                        VALUES (\(header.sessionID), \(header.client), \(header.rater), \(header.role), \(header.interviewID),
                            \(header.interviewVersion), \(header.definitionSHA256), \(header.blind), \(header.timeFrame),
                            \(local[0].time), \(header.assessedAt))
                        """, logger: logger)
                }
                let new = local.indices.filter { local[$0].sequence > (stored?.seq ?? 0) }
                try await connection.query(
                    """
                    INSERT INTO clinterview.records (session_id, seq, recorded_at, type, line, hash)
                    SELECT \(header.sessionID), * FROM unnest(\(new.map { local[$0].sequence })::bigint[],
                        \(new.map { local[$0].time })::timestamptz[], \(new.map { local[$0].event.typeName })::text[],
                        \(new.map { String(decoding: contents.lines[$0], as: UTF8.self) })::text[],
                        \(new.map { local[$0].hash })::text[])
                    """, logger: logger)
                if let results, let head = local.last {
                    try await connection.query(
                        """
                        INSERT INTO clinterview.results (session_id, head_seq, head_hash, status, engine_version,
                            definition_sha256, diagnoses, scores, alerts, fidelity)
                        VALUES (\(header.sessionID), \(head.sequence), \(head.hash), \(results.status),
                            \(JournalFormat.software), \(header.definitionSHA256), \(results.diagnoses)::jsonb,
                            \(results.scores)::jsonb, \(results.alerts)::jsonb, \(results.fidelity)::jsonb)
                        """, logger: logger)
                    try await connection.query(
                        """
                        INSERT INTO clinterview.definitions (definition_sha256, interview_id, interview_version, diagnoses)
                        VALUES (\(header.definitionSHA256), \(header.interviewID), \(header.interviewVersion),
                            clinterview.diagnosis_list(\(results.diagnoses)::jsonb))
                        ON CONFLICT DO NOTHING
                        """, logger: logger)
                }
                return .added(records: new.count, results: results != nil)
            }
        } catch {
            throw Failure(description: "\(path): \(Self.message(error))")
        }
    }

    // MARK: Reading back

    /// The last record the store holds of a session (its sequence number and hash), if any.
    public func head(of sessionID: String) async throws(Failure) -> (seq: Int, hash: String)? {
        do {
            return try await Self.head(of: sessionID, on: connection, logger: logger)
        } catch {
            throw Failure(description: Self.message(error))
        }
    }

    static func head(
        of sessionID: String, on connection: PostgresConnection, logger: Logger
    ) async throws -> (seq: Int, hash: String)? {
        var head: (seq: Int, hash: String)?
        for try await (seq, hash) in try await connection.query(
            "SELECT seq, hash FROM clinterview.records WHERE session_id = \(sessionID) ORDER BY seq DESC LIMIT 1",
            logger: logger
        ).decode((Int, String).self) {
            head = (seq, hash)
        }
        return head
    }

    /// One session's journal as written, if the role may read it.
    public func journal(_ sessionID: String) async throws(Failure) -> [UInt8]? {
        var bytes: [UInt8] = []
        do {
            let rows = try await connection.query(
                "SELECT line FROM clinterview.records WHERE session_id = \(sessionID) ORDER BY seq", logger: logger)
            for try await (line, ) in rows.decode((String,).self) { bytes += Array(line.utf8) + [UInt8(ascii: "\n")] }
        } catch {
            throw Failure(description: Self.message(error))
        }
        return bytes.isEmpty ? nil : bytes
    }

    /// Every session journal the connected role may read (a clinician: their
    /// own), rebuilt line by line as it was written: `(session id, bytes)`.
    public func journals() async throws(Failure) -> [(id: String, bytes: [UInt8])] {
        var journals: [(id: String, bytes: [UInt8])] = []
        try await forEachJournal { journals.append(($0, $1)) }
        return journals
    }

    /// Each journal the role may read, one at a time, in session id order:
    /// memory holds one journal, however many there are.
    public func forEachJournal(_ body: (String, [UInt8]) throws -> Void) async throws(Failure) {
        do {
            var current: (id: String, bytes: [UInt8])?
            let rows = try await connection.query(
                "SELECT session_id, line FROM clinterview.records ORDER BY session_id, seq", logger: logger)
            for try await (id, line) in rows.decode((String, String).self) {
                if current?.id != id {
                    if let done = current { try body(done.id, done.bytes) }
                    current = (id, [])
                }
                current?.bytes += Array(line.utf8) + [UInt8(ascii: "\n")]
            }
            if let done = current { try body(done.id, done.bytes) }
        } catch let failure as Failure {
            throw failure
        } catch {
            let message = Self.message(error)
            throw Failure(
                description: message.contains("permission denied")
                    ? "\(message): this role cannot read session journals (an auditor reads clinterview.audit_results; docs/service.md)"
                    : message)
        }
    }

    /// The outcome of every client whose sessions the role may read, from the
    /// results stored at sync (no replay), passed to `each` client by client
    /// in client order: memory holds one client's assessments. A clinician
    /// reads their own caseload; an auditor, the pseudonymised
    /// `audit_results`. Returns the notes: clients left out, and sessions
    /// synced without results.
    /// `counted` receives the figures over the clients passed to `each` so
    /// far, batch by batch, summed up where they were judged.
    public func outcomes(
        _ each: (OutcomeReport.ClientOutcome) throws -> Void, counted: (OutcomeSummary) -> Void = { _ in }
    ) async throws(Failure) -> [String] {
        // The latest result of each session, in client order: the server
        // walks `sessions_by_client` and sends rows as it finds them, with no
        // sort to wait for. Statuses are decoded against their definition.
        let own = PostgresQuery(
            unsafeSQL: """
                SELECT s.client, s.rater, s.role, coalesce(s.assessed_at, s.started_at),
                    \(Self.packed("s.interview_id", "s.blind", "r."))
                FROM clinterview.sessions s CROSS JOIN LATERAL (SELECT definition_sha256, statuses, score_values,
                    fidelity_values FROM clinterview.results r WHERE r.session_id = s.session_id ORDER BY head_seq DESC LIMIT 1) r
                ORDER BY s.client, s.session_id
                """)
        let audit = PostgresQuery(
            unsafeSQL: """
                SELECT client_pseudonym, rater, role, assessed_at, \(Self.packed("interview_id", "blind", ""))
                FROM clinterview.audit_latest_results ORDER BY client_pseudonym, session_id
                """)
        do {
            return try await outcomes(own, countingThoseWithoutResults: true, each, counted)
        } catch let failure where failure.description.contains("permission denied") {
            return try await outcomes(audit, countingThoseWithoutResults: false, each, counted)
        }
    }

    /// Every client's outcome, held: for a caseload, not a service's year.
    public func outcomes() async throws(Failure) -> OutcomeReport {
        var clients: [OutcomeReport.ClientOutcome] = []
        let notes = try await outcomes({ clients.append($0) })
        return OutcomeReport(clients: clients, notes: notes)
    }

    private func outcomes(
        _ query: PostgresQuery, countingThoseWithoutResults: Bool, _ each: (OutcomeReport.ClientOutcome) throws -> Void,
        _ counted: (OutcomeSummary) -> Void
    ) async throws(Failure) -> [String] {
        var notes: [String] = []
        var unreadable = 0
        let definitions: [String: DiagnosisList]
        do {
            definitions = try await diagnosisLists()
        } catch {
            throw Failure(description: Self.message(error))
        }
        // Rows are read here while the batches before are judged on the
        // other cores (results built, outcomes worked out), two at a time and
        // delivered in order; three batches in memory at most. Over a year's
        // 600,000 sessions, judging takes twice as long as reading.
        var current: [StoredResult] = []
        var batch: [[StoredResult]] = []
        var judging: [Task<Judged, Never>] = []
        func deliverJudged() async throws {
            let judged = await judging.removeFirst().value
            for outcome in judged.outcomes {
                switch outcome {
                case .success(let outcome): try each(outcome)
                case .failure(let note): notes.append(note.text)
                }
            }
            counted(judged.figures)
            unreadable += judged.unreadable
        }
        func judgeBatch() async throws {
            if judging.count == 2 { try await deliverJudged() }
            let clients = batch
            batch = []
            judging.append(
                Task.detached {
                    var unreadable = 0
                    let outcomes = clients.map { rows in
                        let results = rows.compactMap { $0.results(definitions) }
                        unreadable += rows.count - results.count
                        return OutcomeReport.outcome(rows[0].client, results)
                    }
                    var figures = OutcomeSummary()
                    for case .success(let outcome) in outcomes { figures.add(outcome) }
                    return Judged(outcomes: outcomes, figures: figures, unreadable: unreadable)
                })
        }
        func endClient() async throws {
            guard !current.isEmpty else { return }
            batch.append(current)
            current = []
            if batch.count == 1_000 { try await judgeBatch() }
        }
        do {
            let rows = try await connection.query(query, logger: logger)
            for try await (client, rater, role, date, packed) in rows.decode(
                (String, String, String, Date, String).self)
            {
                if current.first?.client != client { try await endClient() }
                current.append(StoredResult(client: client, rater: rater, role: role, date: date, packed: packed))
            }
            try await endClient()
            try await judgeBatch()
            while !judging.isEmpty { try await deliverJudged() }
            var withoutResults = 0
            if countingThoseWithoutResults {
                let query: PostgresQuery = """
                    SELECT count(*) FROM clinterview.sessions s
                    WHERE NOT EXISTS (SELECT 1 FROM clinterview.results r WHERE r.session_id = s.session_id)
                    """
                for try await (count, ) in try await connection.query(query, logger: logger).decode((Int,).self) {
                    withoutResults = count
                }
            }
            if withoutResults > 0 {
                notes.append(
                    "\(withoutResults) session\(withoutResults == 1 ? "" : "s") synced without results (their definition was not on the clinician's machine as it was); left out"
                )
            }
            if unreadable > 0 {
                notes.append(
                    "\(unreadable) session\(unreadable == 1 ? "'s" : "s'") results do not match their definition's diagnoses in clinterview.definitions; left out"
                )
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: Self.message(error))
        }
        return notes
    }

    typealias DiagnosisList = [(id: String, label: String, period: DiagnosisPeriod)]

    /// A batch of clients judged on another core, and the figures over them.
    struct Judged: Sendable {
        var outcomes: [Result<OutcomeReport.ClientOutcome, OutcomeReport.LeftOut>]
        var figures: OutcomeSummary
        /// Sessions whose results do not match their definition.
        var unreadable: Int
    }

    /// What outcomes read of a result besides who and when, in one text field
    /// (unit separators between: none of these fields can hold one), so that
    /// the reading core decodes one value where it decoded six.
    static func packed(_ interview: String, _ blind: String, _ result: String) -> String {
        """
        concat_ws(E'\\x1f', \(interview), \(blind)::int, \(result)definition_sha256, \(result)statuses, \(result)score_values,
            coalesce(\(result)fidelity_values, '-'))
        """
    }

    /// A session's latest result as read from the store, before it is decoded.
    struct StoredResult: Sendable {
        var client: String
        var rater: String
        var role: String
        var date: Date
        /// `packed`'s fields: interview, blind (0 or 1), definition, statuses, score values, fidelity values.
        var packed: String

        /// nil when its statuses do not match its definition's diagnoses.
        func results(_ definitions: [String: DiagnosisList]) -> AssessmentResults? {
            let fields = ServiceStore.pieces(Substring(packed), "\u{1F}", keepingEmpty: true)
            guard fields.count == 6, let list = definitions[String(fields[2])], list.count == fields[3].utf8.count
            else { return nil }
            return AssessmentResults(
                client: client, rater: rater, role: role, date: date, interviewID: String(fields[0]),
                blind: fields[1] == "1", diagnoses: ServiceStore.diagnoses(fields[3], of: list),
                scores: ServiceStore.scoreValues(fields[4]), fidelity: ServiceStore.fidelity(fields[5]))
        }
    }

    /// Each definition's diagnoses in order, read once: the labels are shared by every result.
    func diagnosisLists() async throws -> [String: DiagnosisList] {
        var lists: [String: DiagnosisList] = [:]
        let rows = try await connection.query(
            "SELECT definition_sha256, diagnoses::text FROM clinterview.definitions", logger: logger)
        for try await (sha, json) in rows.decode((String, String).self) {
            guard case .array(let nodes)? = try? JSONParser.parse(Array(json.utf8)).value else { continue }
            lists[sha] = nodes.compactMap { node in
                guard case .object(let fields) = node.value, case .string(let id)? = fields["id"]?.value,
                    case .string(let period)? = fields["period"]?.value, let span = DiagnosisPeriod(rawValue: period)
                else { return nil }
                var label = id
                if case .string(let text)? = fields["label"]?.value { label = text }
                return (id, label, span)
            }
        }
        return lists
    }

    /// A result's status letters (`StoreSchema`) read against its definition's diagnoses.
    static func diagnoses(_ letters: Substring, of list: DiagnosisList) -> [AssessmentResults.Diagnosis] {
        zip(list, letters.utf8).map { diagnosis, letter in
            let status: Status =
                switch letter {
                case UInt8(ascii: "m"): .met
                case UInt8(ascii: "n"): .notMet
                default: .indeterminate
                }
            return AssessmentResults.Diagnosis(
                id: diagnosis.id, label: diagnosis.label, status: status, period: diagnosis.period)
        }
    }

    /// A result's `fidelity_values` (`StoreSchema`), in its order.
    static func fidelity(_ text: Substring) -> SessionFidelity? {
        let fields = pieces(text, " ")
        guard fields.count == 11 else { return nil }
        var f = SessionFidelity()
        f.answers = Int(fields[0]) ?? 0
        f.quickAnswers = Int(fields[1]) ?? 0
        f.secondsPerAnswer = Double(fields[2])
        f.minutes = Double(fields[3]) ?? 0
        f.skipped = Int(fields[4]) ?? 0
        f.inadequate = Int(fields[5]) ?? 0
        f.overridden = Int(fields[6]) ?? 0
        f.amendedAfterCompletion = Int(fields[7]) ?? 0
        f.completed = fields[8] == "true"
        f.modules = pieces(fields[9], ",").compactMap { module in
            let parts = pieces(module, ":")
            guard parts.count == 3, let seconds = Double(parts[1]), let expected = Double(parts[2]) else { return nil }
            return SessionFidelity.ModuleTime(id: String(parts[0]), seconds: seconds, expected: expected)
        }
        if fields[10] != "-" { f.skippedItems = pieces(fields[10], ",").map(String.init) }
        return f
    }

    /// `text` split at an ASCII separator, byte by byte: splitting a String by
    /// Characters was a fifth of reading a year's results.
    static func pieces(_ text: Substring, _ separator: Unicode.Scalar, keepingEmpty: Bool = false) -> [Substring] {
        text.utf8.split(separator: UInt8(separator.value), omittingEmptySubsequences: !keepingEmpty).map {
            Substring($0)
        }
    }

    /// A result's `score_values` (`StoreSchema`): "id value" per line.
    static func scoreValues(_ text: Substring) -> [String: Double] {
        var scores: [String: Double] = [:]
        for line in pieces(text, "\n") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            scores[String(line[..<space])] = value
        }
        return scores
    }

    struct Results {
        var status: String
        var diagnoses: String
        var scores: String
        var alerts: String
        var fidelity: String
    }

    /// The session's results, when its definition is on this machine as it
    /// was (same SHA-256); otherwise the records are synced without them.
    static func results(_ contents: JournalContents, header: SessionHeader) -> Results? {
        guard case .success(let bytes) = InterviewLoader.readFile(path: header.definitionPath),
            SHA256Hex.of(bytes) == header.definitionSHA256,
            let interview = DefinitionLoader.load(
                source: SourceFile(path: header.definitionPath, bytes: bytes), lint: false
            ).interview
        else { return nil }
        let session = SessionRebuilder.rebuild(contents.records, interview: interview, language: header.language)
            .session
        let evaluation = session.evaluate()
        let diagnoses = JSONOutput.array(
            evaluation.diagnoses.map {
                .object([
                    ("id", .string($0.id)), ("label", .string($0.label)), ("status", .string($0.status.rawValue)),
                    ("period", .string($0.period.rawValue)),
                ])
            })
        let scores = JSONOutput.array(
            evaluation.scores.map {
                .object([
                    ("id", .string($0.id)), ("value", $0.value.map(JSONOutput.number) ?? .null),
                    ("band", $0.band.map(JSONOutput.string) ?? .null),
                ])
            })
        let alerts = JSONOutput.array(
            evaluation.alerts.map { .object([("id", .string($0.id)), ("severity", .string($0.severity.rawValue))]) })
        let fidelity = SessionFidelity(contents.records, session: session, enteredAfterwards: header.assessedAt != nil)
        return Results(
            status: FHIRResponse.status(of: contents), diagnoses: diagnoses.serialized(), scores: scores.serialized(),
            alerts: alerts.serialized(), fidelity: fidelity.json.serialized())
    }
}
