import ArgumentParser
import ClinterviewCore
import ClinterviewTerminal
import Foundation

/// Key press to finished frame in memory: the app handles the key and draws an
/// 80x24 grid, as the terminal loop does (without the terminal and the journal).
struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "In-process key to frame on the in-memory screen.")

    @Option(help: "The interview definition.")
    var interview = "Interviews/core.json"

    @Option(help: "Keys to press.")
    var presses = 2000

    func run() throws {
        guard let definition = InterviewLoader.load(path: interview).interview else { throw ExitCode(1) }
        let timing = Self.measure(definition, presses: presses)
        print(
            "session_start_us_median=\(String(format: "%.1f", timing.sessionStart))  key_to_frame_us_median=\(String(format: "%.1f", timing.median))  p90=\(String(format: "%.1f", timing.p90))  presses=\(timing.presses)  peak_rss_mb=\(String(format: "%.1f", Measure.peakMB))"
        )
    }

    struct Timing {
        var sessionStart: Double
        var median: Double
        var p90: Double
        var presses: Int
    }

    /// Medians in µs: starting a session (which evaluates every rule over open
    /// items, before the first screen), and a key handled and drawn.
    static func measure(_ definition: Interview, presses: Int) -> Timing {
        var starts: [Double] = []
        for _ in 0..<50 {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = Session(interview: definition)
            starts.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3)
        }
        var timings: [Double] = []
        var driver = MemoryDriver(definition)
        var app = InterviewApp(driver: driver)
        for n in 0..<presses {
            if driver.session.position == nil {
                driver = MemoryDriver(definition)
                app = InterviewApp(driver: driver)
            }
            guard let item = driver.session.currentItem else { continue }
            let key: Key
            switch item.kind {
            case .rating, .choice: key = .character(n % 3 == 0 ? "3" : "1")
            case .yesNo: key = .character("n")
            case .display: key = .enter
            case .duration: key = .character("3")
            default: key = .character("2")
            }
            let start = DispatchTime.now().uptimeNanoseconds
            app.handle(key)
            if case .duration = item.kind { app.handle(.character("w")); app.handle(.enter) }
            if case .integer = item.kind { app.handle(.enter) }
            if case .text = item.kind { app.handle(.enter) }
            if app.pendingAlertID != nil { app.handle(.character("A")) }
            _ = app.render(rows: 24, columns: 80)
            timings.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3)
        }
        return Timing(
            sessionStart: Measure.median(starts), median: Measure.median(timings),
            p90: Measure.percentile(timings, 0.9), presses: timings.count)
    }
}

/// A session in memory, for measuring the interface alone.
final class MemoryDriver: SessionDriver {
    var session: Session
    let client = "bench", rater = "bench", role = "bench"
    let startedAt = Date()
    let location = "memory"

    init(_ interview: Interview) { session = Session(interview: interview) }

    func answer(
        item: String, _ input: AnswerInput, overrides: [String: String], changeReason: String?
    ) throws -> AnswerResult {
        session.answer(item: item, input, overrides: overrides, changeReason: changeReason)
    }
    func skip(reason: String) throws -> AnswerResult { session.skip(reason: reason) }
    func attachNote(_ text: String, to item: String) throws { try session.attachNote(text, to: item) }
    func acknowledge(alert: String) throws { try session.acknowledge(alert: alert) }
    func complete() throws -> Evaluation { session.complete() }
    func pause() throws {}
    func back() { session.back() }
    func moveOn() { session.moveOn() }
    func jump(to item: String) throws { try session.jump(to: item) }
    func saveElsewhere(directory: String) throws {}
    func confirmSaved(within seconds: Double?) throws -> Bool { true }
}
