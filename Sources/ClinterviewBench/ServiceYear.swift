import ArgumentParser
import ClinterviewCore
import ClinterviewJournal
import Foundation
import Synchronization

/// A synthetic service year in the journal format: each client assessed at
/// intake with the core interview, PHQ-9 and GAD-7 by one of the
/// clinicians, and, unless they dropped out, again at follow-up 12 to 26
/// weeks later, recovered or not, by the same clinician or blind by
/// another. The service records each episode's status (`episode.json`):
/// why a dropout has no follow-up (or nothing, for some), and "finished
/// treatment" the day after a follow-up. One sessions directory per
/// clinician (`c1`, `c2`, …), as on their machines, ready for `clinterview
/// sync`, and with `--truth` what was put in for each client, for checking
/// the outcome report against. Written through the journal writer itself;
/// on tmpfs (/dev/shm) its fsyncs cost nothing.
struct ServiceYear: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service-year",
        abstract: "Write a synthetic service year of session journals, one directory per clinician."
    )

    @Option(help: "Clients assessed in the year.")
    var clients = 1_000

    @Option(help: "Clinicians (one sessions directory each).")
    var clinicians = 20

    @Option(help: "The share of clients with no follow-up (dropped out).")
    var dropout = 0.3

    @Option(help: "The share of followed-up clients who recovered.")
    var recovery = 0.5

    @Option(help: "The share of follow-ups made blind by a clinician other than the intake's.")
    var independent = 0.5

    @Option(help: "A clinician who rushes: a second or two per answer (0: none).")
    var rushed = 2

    @Option(help: "The seed.")
    var seed: UInt64 = 2026

    @Option(help: "The directory to write into.")
    var out: String

    @Option(help: "Where to write what was put in for each client (JSON), to check an outcome report against.")
    var truth: String?

    /// A client's state: the core interview's answers (a vignette) and PHQ-9 / GAD-7 levels (0 to 3).
    struct Profile {
        var core: String
        var phq: Int
        var gad: Int
    }

    static let unwell = [
        Profile(core: "mde-current-clear", phq: 2, gad: 1), Profile(core: "gad-clear", phq: 1, gad: 2),
        Profile(core: "comorbid-mdd-gad", phq: 2, gad: 2), Profile(core: "ptsd-clear", phq: 2, gad: 2),
    ]
    static let well = Profile(core: "negative-everywhere", phq: 0, gad: 0)

    func run() throws {
        let definitions = try ["core", "phq9", "gad7", "episode"].map { id in
            let path = "Interviews/\(id).json"
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            guard let interview = InterviewLoader.load(source: SourceFile(path: path, bytes: bytes)).interview else {
                throw ValidationError("\(path) does not load")
            }
            return (interview, bytes, FileManager.default.currentDirectoryPath + "/" + path)
        }
        var cores: [String: [String: JSONNode]] = [:]
        for name in (Self.unwell + [Self.well]).map(\.core) {
            let path = "Tests/Vignettes/core/\(name).json"
            let source = SourceFile(path: path, bytes: try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
            var sink = DiagnosticSink(source: source)
            guard let file = AnswerFile.read(source: source, sink: &sink) else { throw ValidationError("\(path)") }
            cores[name] = Dictionary(file.answers.map { ($0.item, $0.value) }, uniquingKeysWith: { first, _ in first })
        }
        var random = SplitMix64(state: seed)
        func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        let yearStart = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01
        var sessions = 0
        var truth: [(String, JSONOutput)] = []
        let assessments = definitions.filter { $0.0.id != "episode" }
        let episode = definitions.filter { $0.0.id == "episode" }
        let dropoutStatuses = [3, 4, 5, 1]  // dropped out, declined, not contactable, still in treatment
        func role(_ clinician: Int) -> String {
            clinician % 4 == 0 ? "Clinical psychologist" : "Psychological Wellbeing Practitioner"
        }
        for client in 1...clients {
            let clientID = String(format: "S-%06d", client)
            let clinician = Int(random.next() % UInt64(clinicians)) + 1
            let intakeDay = Double(random.next() % 300)
            let intake = Self.unwell[Int(random.next() % UInt64(Self.unwell.count))]
            let intakeDate = yearStart.addingTimeInterval(intakeDay * 86_400)
            // (profile or status code, date, clinician, blind)
            var visits: [(Profile?, Int?, Date, Int, Bool)] = [(intake, nil, intakeDate, clinician, false)]
            var facts: [(String, JSONOutput)] = [("intake_role", .string(role(clinician)))]
            if uniform() >= dropout {
                let weeks = Double(12 + random.next() % 15)
                let date = intakeDate.addingTimeInterval(weeks * 7 * 86_400)
                let recovered = uniform() < recovery
                let blindAssessor =
                    uniform() < independent && clinicians > 1
                    ? (clinician % clinicians) + 1 + Int(random.next() % UInt64(clinicians - 1)) : clinician
                let other = ((blindAssessor - 1) % clinicians) + 1
                visits.append((recovered ? Self.well : intake, nil, date, other, other != clinician))
                visits.append((nil, 2, date.addingTimeInterval(86_400), clinician, false))
                facts += [
                    ("followed_up", .bool(true)), ("recovered", .bool(recovered)),
                    ("independent_blind", .bool(other != clinician)), ("episode_status", .string("finished treatment")),
                ]
            } else {
                facts += [
                    ("followed_up", .bool(false)), ("recovered", .bool(false)), ("independent_blind", .bool(false)),
                ]
                // One dropout in five has no status recorded.
                if uniform() < 0.8 {
                    let code = dropoutStatuses[Int(random.next() % UInt64(dropoutStatuses.count))]
                    visits.append((nil, code, intakeDate.addingTimeInterval(6 * 7 * 86_400), clinician, false))
                    let text = ["still in treatment", "", "dropped out", "declined follow-up", "not contactable"][
                        code - 1]
                    facts.append(("episode_status", .string(text)))
                } else {
                    facts.append(("episode_status", .null))
                }
            }
            truth.append((clientID, .object(facts)))
            for (profile, status, date, assessor, blind) in visits {
                let store = SessionStore(directory: (out as NSString).appendingPathComponent("c\(assessor)"))
                // Administered in real time from 10:00 that day: each answer takes
                // its module's expected time (10 s a questionnaire item), give or
                // take a fifth; the rushed clinician takes a tenth of it.
                let clock = PacedClock(start: date.addingTimeInterval(10 * 3_600))
                let hurry = assessor == rushed ? 0.1 : 1.0
                for (interview, bytes, path) in profile == nil ? episode : assessments {
                    let start = SessionStore.Start(
                        interview: interview, definition: bytes, definitionPath: path, client: clientID,
                        rater: "Clinician \(assessor)", role: role(assessor), blind: blind)
                    let journaled = try store.start(start, clock: clock.clock)
                    while let item = journaled.session.currentItem {
                        let expected =
                            interview.modules[interview.sections[item.section].module].secondsPerQuestion ?? 10
                        clock.pace(expected * hurry * (0.8 + 0.4 * uniform()))
                        let input =
                            profile.map { answer(item, $0, cores[$0.core] ?? [:], &random) }
                            ?? status.map { AnswerInput.code(String($0)) }
                        if let input {
                            let result = try journaled.answer(input, overrides: [:])
                            if result.status != .accepted { journaled.moveOn() }
                        } else {
                            journaled.moveOn()
                        }
                    }
                    for alert in journaled.session.unacknowledgedAlerts { try journaled.acknowledge(alert: alert) }
                    _ = try journaled.complete()
                    journaled.close()
                    sessions += 1
                }
            }
        }
        if let path = self.truth {
            let assessors = (1...clinicians).map { n in
                ("Clinician \(n)", JSONOutput.object([("rushed", .bool(n == rushed))]))
            }
            let text =
                JSONOutput.object([("clients", .object(truth)), ("assessors", .object(assessors))])
                .serialized(indent: " ") + "\n"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        print("\(clients) clients, \(sessions) sessions, \(clinicians) clinicians in \(out)")
    }

    /// The vignette's answer for the core interview; for a questionnaire item,
    /// the profile's level or one above: an unwell client (level 2) is a case
    /// on PHQ-9, a well one (level 0) below both thresholds.
    func answer(
        _ item: Item, _ profile: Profile, _ core: [String: JSONNode], _ random: inout SplitMix64
    ) -> AnswerInput? {
        guard item.kind.isAnswerable else { return nil }
        if let node = core[item.id], case .success(let input) = item.input(from: node) { return input }
        guard let options = item.kind.options else { return nil }
        let level = item.id.hasPrefix("gad7") ? profile.gad : profile.phq
        let code = min(level + Int(random.next() % 2), options.count - 1)
        return .code(options[code].code)
    }
}

/// A clock that moves on by the pace last set each time it is read: the
/// session's next record comes that many seconds after the one before.
final class PacedClock: Sendable {
    let state: Mutex<(time: Date, pace: Double)>

    init(start: Date) {
        state = Mutex((start, 1))
    }

    func pace(_ seconds: Double) {
        state.withLock { $0.pace = seconds }
    }

    var clock: Clock {
        Clock { [self] in
            state.withLock { state in
                state.time.addTimeInterval(state.pace)
                return state.time
            }
        }
    }
}
