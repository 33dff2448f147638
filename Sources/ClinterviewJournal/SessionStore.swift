import ClinterviewCore
import Foundation

/// The directory where session journals live, one `ID.jsonl` file each.
public struct SessionStore: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// `--sessions DIR`, else `$CLINTERVIEW_SESSIONS`, else
    /// `$XDG_DATA_HOME/clinterview/sessions` (`~/.local/share/clinterview/sessions`).
    public static func resolve(
        explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> SessionStore {
        if let explicit, !explicit.isEmpty { return SessionStore(directory: explicit) }
        if let variable = environment["CLINTERVIEW_SESSIONS"], !variable.isEmpty {
            return SessionStore(directory: variable)
        }
        let dataHome =
            environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".local/share")
        return SessionStore(directory: (dataHome as NSString).appendingPathComponent("clinterview/sessions"))
    }

    /// A file name that is safe whatever the client id contains.
    public static func makeSessionID(client: String, time: Date) -> String {
        let safe = client.unicodeScalars.map { scalar -> Character in
            scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_")
                ? Character(scalar) : "_"
        }
        var name = String(safe.prefix(24))
        if name.isEmpty || name.allSatisfy({ $0 == "_" }) { name = "client" }
        let random = (0..<3).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        return "\(Timestamp.compact(time))-\(name)-\(random)"
    }

    /// A path (anything with a '/') as it is; a file name or a session id in the directory.
    public func journalPath(for idOrPath: String) -> String {
        if idOrPath.contains("/") { return idOrPath }
        if idOrPath.hasSuffix(".jsonl"), FileManager.default.fileExists(atPath: idOrPath) { return idOrPath }
        let name = idOrPath.hasSuffix(".jsonl") ? idOrPath : idOrPath + ".jsonl"
        return (directory as NSString).appendingPathComponent(name)
    }

    /// The journal a clinician means: a path or a whole session id as it is;
    /// else the one session whose id starts with `word`, or the one open
    /// (not completed) session of the client `word`. Several candidates are
    /// an error that lists them.
    public func locate(_ word: String) throws(JournalError) -> String {
        let path = journalPath(for: word)
        if word.contains("/") || FileManager.default.fileExists(atPath: path) { return path }
        let sessions = list()
        let byPrefix = sessions.filter { $0.id.hasPrefix(word) }
        let candidates =
            byPrefix.isEmpty
            ? sessions.filter { $0.header?.client == word && !$0.completed && $0.problem == nil } : byPrefix
        if candidates.count == 1 { return candidates[0].path }
        if candidates.isEmpty {
            throw JournalError(
                .notFound, path: path,
                "no session has an id starting with '\(word)', and no client '\(word)' has a session open: 'clinterview sessions' lists them"
            )
        }
        let listed = candidates.map {
            "\($0.id) (client \($0.header?.client ?? "?"), \($0.completed ? "completed" : "in progress"))"
        }
        throw JournalError(
            .notFound, path: directory,
            "'\(word)' could mean \(candidates.count) sessions; give more of the id: " + listed.joined(separator: "; "))
    }

    /// Creates the directory (mode 0700) if it is missing.
    public func ensureDirectory() throws(JournalError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw JournalError(.io, path: directory, "is a file, not a directory: choose another with --sessions")
            }
            var info = stat()
            if stat(directory, &info) == 0, info.st_mode & S_IWOTH != 0 {
                let mode = String(info.st_mode & 0o7777, radix: 8)
                throw JournalError(
                    .permission, path: directory,
                    "other users can write to this sessions directory (mode \(mode)): they could replace journals or plant files beside them. Use a private directory (chmod 700) or choose another with --sessions"
                )
            }
            guard FileManager.default.isWritableFile(atPath: directory) else {
                throw JournalError(
                    .permission, path: directory,
                    "the sessions directory is not writable: choose another with --sessions")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw JournalError(
                .permission, path: directory,
                "cannot create the sessions directory: \(error.localizedDescription); choose another with --sessions")
        }
    }

    // MARK: Starting and resuming

    public struct Start {
        public var interview: Interview
        /// The definition file's bytes, for its SHA-256.
        public var definition: [UInt8]
        public var definitionPath: String
        public var client: String
        public var rater: String
        public var role: String
        public var language: String?
        /// A blind follow-up: nothing of the client's earlier sessions is shown.
        public var blind: Bool
        /// Which of the interview's time frames the prompts use, e.g. "follow_up".
        public var timeFrame: String?
        /// When the assessment took place, if not now (entered afterwards).
        public var assessedAt: Date?

        public init(
            interview: Interview, definition: [UInt8], definitionPath: String, client: String, rater: String,
            role: String,
            language: String? = nil, blind: Bool = false, timeFrame: String? = nil
        ) {
            self.blind = blind
            self.timeFrame = timeFrame
            self.interview = interview
            self.definition = definition
            self.definitionPath = definitionPath
            self.client = client
            self.rater = rater
            self.role = role
            self.language = language
        }
    }

    public func start(
        _ start: Start, clock: Clock = .system,
        createFile: (String) throws(JournalError) -> JournalFile = { path throws(JournalError) in
            try POSIXJournalFile.create(path: path)
        }
    ) throws(JournalError) -> JournaledSession {
        for (what, text) in [
            ("the client id", start.client), ("the rater's name", start.rater), ("the role", start.role),
        ] {
            if let problem = TextLimit.problem(text, what, limit: TextLimit.nameBytes) {
                throw JournalError(.tooLarge, path: directory, problem)
            }
        }
        try ensureDirectory()
        let time = clock.now()
        let id = Self.makeSessionID(client: start.client, time: time)
        let path = journalPath(for: id)
        let header = SessionHeader(
            sessionID: id, interviewID: start.interview.id, interviewVersion: start.interview.version,
            definitionSHA256: SHA256Hex.of(start.definition), definitionPath: start.definitionPath,
            client: start.client, rater: start.rater, role: start.role, language: start.language,
            blind: start.blind, timeFrame: start.timeFrame, assessedAt: start.assessedAt)
        // The journal appears under its name only once its first record is on disk,
        // so a crash can never leave an empty or headless journal behind.
        let draftPath = (directory as NSString).appendingPathComponent(".\(id).jsonl.tmp")
        let file = try createFile(draftPath)
        let writer = JournalWriter(file: file, nextSequence: 1, lastHash: JournalCodec.genesis, lines: [])
        do {
            try writer.append(.started(header), at: time)
            try file.publish(as: path)
        } catch {
            file.close()
            try? FileManager.default.removeItem(atPath: draftPath)
            throw error
        }
        SessionLock.writeNote(journalPath: path, time: time)
        return JournaledSession(
            session: Session(interview: start.interview, clock: clock, language: start.language), writer: writer,
            header: header)
    }

    public struct ResumeReport: Sendable {
        /// Where the bytes of a record cut off mid-write were set aside, if any.
        public var tornTailSavedAt: String?
        public var definitionChanged: Bool
        /// Records that no longer fit a changed definition.
        public var problems: [String]
    }

    /// Reopens a session: verifies its journal, sets aside a record cut off by a
    /// crash, rebuilds the session through the engine and records the resumption.
    public func resume(
        _ idOrPath: String, interview: Interview, definition: [UInt8], allowChangedDefinition: Bool = false,
        clock: Clock = .system
    ) throws(JournalError) -> (JournaledSession, ResumeReport) {
        let path = try locate(idOrPath)
        // The lock is taken before the journal is read: read first, a second
        // resume could read the same records and append after the first's.
        let file = try POSIXJournalFile.openExisting(path: path)
        do throws(JournalError) {
            return try resume(
                path: path, file: file, interview: interview, definition: definition,
                allowChangedDefinition: allowChangedDefinition, clock: clock)
        } catch {
            file.close()
            throw error
        }
    }

    private func resume(
        path: String, file: POSIXJournalFile, interview: Interview, definition: [UInt8], allowChangedDefinition: Bool,
        clock: Clock
    ) throws(JournalError) -> (JournaledSession, ResumeReport) {
        let contents = try JournalReader.read(path: path)
        if let problem = contents.problems.first, problem.kind != .incomplete {
            throw JournalError(
                .corrupt, path: path,
                "the journal fails verification at \(problem); it will not be resumed. Run 'clinterview verify' for details"
            )
        }
        guard let header = contents.header else {
            throw JournalError(.corrupt, path: path, "the journal has no 'started' record")
        }
        guard header.interviewID == interview.id else {
            throw JournalError(
                .changedDefinition, path: path,
                "this session is of interview '\(header.interviewID)', not '\(interview.id)'")
        }
        let hash = SHA256Hex.of(definition)
        let changed = hash != header.definitionSHA256
        if changed, !allowChangedDefinition {
            throw JournalError(
                .changedDefinition, path: path,
                "the interview definition has changed since this session began (version \(header.interviewVersion), now \(interview.version); SHA-256 differs). Resume with --allow-changed-definition to apply the recorded answers to the new definition"
            )
        }
        var report = ResumeReport(tornTailSavedAt: nil, definitionChanged: changed, problems: [])
        if !contents.tornTail.isEmpty {
            let aside = path + ".torn-\(Timestamp.compact(clock.now()))"
            let saved = FileManager.default.createFile(
                atPath: aside, contents: Data(contents.tornTail), attributes: [.posixPermissions: 0o600])
            report.tornTailSavedAt = saved ? aside : nil
            try file.truncate(to: contents.intactLength)
        }
        SessionLock.writeNote(journalPath: path, time: clock.now())
        let rebuilt = SessionRebuilder.rebuild(contents.records, interview: interview, language: header.language)
        report.problems = rebuilt.problems
        var session = rebuilt.session
        session.clock = clock
        let writer = JournalWriter(
            file: file, nextSequence: contents.records.count + 1, lastHash: contents.headHash, lines: contents.lines)
        let journaled = JournaledSession(session: session, writer: writer, header: header)
        try writer.append(.resumed, at: clock.now())
        return (journaled, report)
    }

    /// Moves a session whose journal can no longer be written to another
    /// directory: every record so far is written to a new file there.
    public func relocate(_ journaled: JournaledSession) throws(JournalError) {
        try ensureDirectory()
        let path = journalPath(for: journaled.header.sessionID)
        let draftPath = (directory as NSString).appendingPathComponent(".\(journaled.header.sessionID).jsonl.tmp")
        let file = try POSIXJournalFile.create(path: draftPath)
        do {
            try journaled.writer.relocate(to: file)
            try file.publish(as: path)
        } catch {
            file.close()
            try? FileManager.default.removeItem(atPath: draftPath)
            throw error
        }
        SessionLock.writeNote(journalPath: path, time: Date())
    }

    // MARK: Listing

    public struct Summary: Sendable {
        public var id: String
        public var path: String
        public var header: SessionHeader?
        public var started: Date?
        public var lastActivity: Date?
        public var completed: Bool
        public var problem: String?

        /// A journal's summary, wherever it was read from.
        public init(id: String, path: String, contents: JournalContents) {
            self.init(
                id: id, path: path, header: contents.header, started: contents.records.first?.time,
                lastActivity: contents.records.last?.time, completed: contents.isCompleted,
                problem: contents.problems.first.map(\.description))
        }

        init(
            id: String, path: String, header: SessionHeader?, started: Date?, lastActivity: Date?, completed: Bool,
            problem: String?
        ) {
            self.id = id
            self.path = path
            self.header = header
            self.started = started
            self.lastActivity = lastActivity
            self.completed = completed
            self.problem = problem
        }
    }

    public func list() -> [Summary] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".jsonl") }.sorted().map { name in
            let path = (directory as NSString).appendingPathComponent(name)
            let id = String(name.dropLast(".jsonl".count))
            do throws(JournalError) {
                return Summary(id: id, path: path, contents: try JournalReader.read(path: path))
            } catch {
                return Summary(
                    id: id, path: path, header: nil, started: nil, lastActivity: nil, completed: false,
                    problem: error.message)
            }
        }
    }
}
