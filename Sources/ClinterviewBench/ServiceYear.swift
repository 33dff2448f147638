import ArgumentParser
import ClinterviewCore
import ClinterviewJournal
import Foundation

/// A synthetic service year in the journal format: each client assessed at
/// intake with the core interview, PHQ-9 and GAD-7 by one of the
/// clinicians, and, unless they dropped out, again at follow-up 12 to 26
/// weeks later, recovered or not. One sessions directory per clinician
/// (`c1`, `c2`, …), as on their machines, ready for `clinterview sync`.
/// Written through the journal writer itself; on tmpfs (/dev/shm) its
/// fsyncs cost nothing.
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

    @Option(help: "The seed.")
    var seed: UInt64 = 2026

    @Option(help: "The directory to write into.")
    var out: String

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
        let definitions = try ["core", "phq9", "gad7"].map { id in
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
        for client in 1...clients {
            let clinician = Int(random.next() % UInt64(clinicians)) + 1
            let store = SessionStore(directory: (out as NSString).appendingPathComponent("c\(clinician)"))
            let intakeDay = Double(random.next() % 300)
            let intake = Self.unwell[Int(random.next() % UInt64(Self.unwell.count))]
            var visits = [(intake, yearStart.addingTimeInterval(intakeDay * 86_400))]
            if uniform() >= dropout {
                let weeks = Double(12 + random.next() % 15)
                visits.append(
                    (uniform() < recovery ? Self.well : intake, visits[0].1.addingTimeInterval(weeks * 7 * 86_400)))
            }
            for (profile, date) in visits {
                for (interview, bytes, path) in definitions {
                    var start = SessionStore.Start(
                        interview: interview, definition: bytes, definitionPath: path,
                        client: String(format: "S-%06d", client), rater: "Clinician \(clinician)",
                        role: clinician % 4 == 0 ? "Clinical psychologist" : "Psychological Wellbeing Practitioner")
                    start.assessedAt = date
                    let journaled = try store.start(start)
                    while let item = journaled.session.currentItem {
                        if let input = answer(item, profile, cores[profile.core] ?? [:], &random) {
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
        print("\(clients) clients, \(sessions) sessions, \(clinicians) clinicians in \(out)")
    }

    /// The vignette's answer for the core interview; for a questionnaire item,
    /// the profile's level give or take one.
    func answer(
        _ item: Item, _ profile: Profile, _ core: [String: JSONNode], _ random: inout SplitMix64
    ) -> AnswerInput? {
        guard item.kind.isAnswerable else { return nil }
        if let node = core[item.id], case .success(let input) = item.input(from: node) { return input }
        guard let options = item.kind.options else { return nil }
        let level = item.id.hasPrefix("gad7") ? profile.gad : profile.phq
        let code = min(max(level + Int(random.next() % 3) - 1, 0), options.count - 1)
        return .code(options[code].code)
    }
}
