import ClinterviewCore
import Foundation

/// The clinician's interface as a state machine: keys in, a cell grid out.
/// It knows nothing of the terminal; `ClinterviewCurses` feeds it keys and
/// copies its grid to the screen, and tests do the same in memory.
public final class InterviewApp {
    /// A change that was refused by storage and can be tried again.
    public enum PendingAction: Equatable, Sendable {
        case answer(item: String, input: AnswerInput, overrides: [String: String], reason: String?)
        case skip(reason: String)
        case note(item: String, text: String)
        case acknowledge(alert: String)
        case complete
        /// The last change is recorded but its flush to disk failed: only moving
        /// the session elsewhere makes it safe (a second fsync may not tell).
        case flush
    }

    public enum ReasonPurpose: Equatable, Sendable {
        case change(item: String, input: AnswerInput, overrides: [String: String])
        case skip
        case override(item: String, checks: [FiredCheck], input: AnswerInput)
    }

    public enum Mode: Equatable, Sendable {
        case asking
        case reason(ReasonPurpose, TextField)
        case softCheck(item: String, checks: [FiredCheck], input: AnswerInput)
        case note(item: String, TextArea)
        case jumpList(selection: Int)
        case help(scroll: Int)
        case summary(selection: Int, atEnd: Bool)
        case saveFailed(message: String, pending: PendingAction)
        case saveElsewhere(TextField, pending: PendingAction, message: String?)
    }

    public let driver: SessionDriver
    public private(set) var mode: Mode = .asking
    /// Set when an item is opened from the results at the end: once it is
    /// answered the results come back.
    private var returnsToResults = false
    /// Whether the last frame drawn was the "terminal too small" notice.
    public internal(set) var isShowingTooSmall = false
    /// The answer being typed, for items answered by typing.
    public private(set) var field = TextField()
    /// The highlighted option.
    public private(set) var selection = 0
    /// Options ticked on a multiple-choice item.
    public private(set) var ticked: Set<String> = []
    /// A message under the item: what was refused, or what was done.
    public private(set) var status: (text: String, isError: Bool)?
    /// "saving to disk…" is on screen: a flush is taking longer than `slowFlush`.
    private var savingShown = false
    public private(set) var wantsQuit = false
    /// Set when the session was completed from the summary.
    public private(set) var completed = false
    let now: () -> Date
    let language: String?
    private var preparedFor: Int?

    /// Which of the interview's time frames `{time_frame}` in prompts stands for.
    let timeFrame: String?
    /// Shown in the header: nothing of the client's earlier sessions is shown.
    let blind: Bool
    /// Which items take an answer, read once: the header counts them on every frame.
    let answerable: [Bool]
    /// Texts already wrapped, by text and width (`wrap(_:width:)`).
    private var wrapped: [WrappedText: [String]] = [:]
    private struct WrappedText: Hashable {
        var text: String
        var width: Int
    }

    /// `TerminalText.wrap`, remembered: a prompt is shown for many frames.
    func wrap(_ text: String, width: Int) -> [String] {
        let key = WrappedText(text: text, width: width)
        if let lines = wrapped[key] { return lines }
        let lines = TerminalText.wrap(text, width: width)
        if wrapped.count >= 256 { wrapped.removeAll() }
        wrapped[key] = lines
        return lines
    }

    public init(
        driver: SessionDriver, now: @escaping () -> Date = Date.init, language: String? = nil, timeFrame: String? = nil,
        blind: Bool = false
    ) {
        self.driver = driver
        self.now = now
        self.language = language
        self.timeFrame = timeFrame
        self.blind = blind
        interview = driver.session.interview
        answerable = interview.items.map(\.kind.isAnswerable)
        prepareItem()
        if driver.session.position == nil { mode = .summary(selection: 0, atEnd: true) }
    }

    var session: Session { driver.session }
    /// The driver's interview, which never changes, kept here: every text drawn
    /// reads it, without copying the session.
    let interview: Interview
    var fallbacks: [String] { interview.languages }

    func text(_ localized: LocalizedText?) -> String {
        interview.text(localized, language: language, timeFrame: timeFrame)
    }

    /// Resets the answer area when the current item changes.
    func prepareItem() {
        guard preparedFor != session.position || session.position == nil else { return }
        preparedFor = session.position
        field = TextField()
        // Nothing is highlighted on a new item, so a stray Enter records nothing.
        selection = -1
        ticked = []
        guard let item = session.currentItem else { return }
        let previous = session.response(to: item.id)?.answer.input
        switch (item.kind, previous) {
        case (.multipleChoice, .codes(let codes)?): ticked = Set(codes)
        case (.yesNo, .bool(let value)?): selection = value ? 0 : 1
        case (_, .code(let code)?): selection = item.kind.options?.firstIndex { $0.code == code } ?? 0
        case (_, let input?) where Self.isTyped(item): field = TextField(input.description)
        default: break
        }
    }

    public var isTakingText: Bool {
        switch mode {
        case .asking: session.currentItem.map(Self.isTyped) == true && pendingAlert == nil
        case .reason, .note, .saveElsewhere: true
        default: false
        }
    }

    static func isTyped(_ item: Item) -> Bool {
        switch item.kind {
        case .integer, .decimal, .duration, .date, .text: true
        default: false
        }
    }

    /// The id of the alert the banner shows, if any.
    public var pendingAlertID: String? { pendingAlert?.id }

    /// The most urgent alert not yet acknowledged.
    var pendingAlert: Alert? {
        let unacknowledged = session.unacknowledgedAlerts
        if unacknowledged.isEmpty { return nil }
        let pending = Set(unacknowledged)
        let candidates = interview.alerts.filter { pending.contains($0.id) }
        return candidates.first { $0.severity == .urgent } ?? candidates.first
    }

    // MARK: Keys

    public func handle(_ key: Key) {
        if key == .hangup {
            quit()
            return
        }
        if key == .resize || key == .tick { return }
        // Nothing is recorded while the item cannot be seen: only quitting is taken.
        if isShowingTooSmall {
            if key == .character("q") || key == .function(10) { quit() }
            return
        }
        switch mode {
        case .asking: handleAsking(key)
        case .reason(let purpose, var field): handleReason(key, purpose, &field)
        case .softCheck(let item, let checks, let input): handleSoftCheck(key, item, checks, input)
        case .note(let item, var area): handleNote(key, item, &area)
        case .jumpList(let selection): handleJumpList(key, selection)
        case .help(let scroll): handleHelp(key, scroll)
        case .summary(let selection, let atEnd): handleSummary(key, selection, atEnd)
        case .saveFailed(_, let pending): handleSaveFailed(key, pending)
        case .saveElsewhere(var field, let pending, _): handleSaveElsewhere(key, &field, pending)
        }
        prepareItem()
    }

    /// Keys that work on every item: the function keys always, letters only
    /// where they cannot be part of an answer.
    private func handleCommand(_ key: Key, lettersToo: Bool) -> Bool {
        switch key {
        case .function(1): mode = .help(scroll: 0)
        case .function(2), .control("n"): openNote()
        case .function(3):
            returnsToResults = false
            mode = .jumpList(selection: currentJumpIndex)
        case .function(4): mode = .reason(.skip, TextField())
        case .function(5): mode = .summary(selection: 0, atEnd: false)
        case .function(10): quit()
        case .character(let c) where lettersToo:
            switch c {
            case "h": mode = .help(scroll: 0)
            case "j":
                returnsToResults = false
                mode = .jumpList(selection: currentJumpIndex)
            case "s": mode = .reason(.skip, TextField())
            case "n": openNote()
            case "r": mode = .summary(selection: 0, atEnd: false)
            case "q": quit()
            default: return false
            }
        default: return false
        }
        return true
    }

    private func handleAsking(_ key: Key) {
        if let alert = pendingAlert {
            if key == .character("a") || key == .character("A") {
                perform(.acknowledge(alert: alert.id))
                return
            }
            if alert.severity == .urgent {
                if key == .character("q") || key == .function(10) { quit() }
                if key == .character("h") || key == .function(1) { mode = .help(scroll: 0) }
                return
            }
        }
        guard let item = session.currentItem else {
            mode = .summary(selection: 0, atEnd: true)
            return
        }
        if Self.isTyped(item) {
            handleTyped(key, item)
            return
        }
        let choices = OptionKeys.choices(of: item, language: language, fallbacks: fallbacks)
        if case .character(let c) = key, let index = choices.firstIndex(where: { $0.key == c }) {
            choose(index, of: item, choices: choices)
            return
        }
        // A yes/no item takes n for No; its note is on F2 or Ctrl-N.
        if case .yesNo = item.kind, key == .character("n") { return }
        if handleCommand(key, lettersToo: true) { return }
        switch key {
        case .backspace, .left:
            back()
        case .up where !choices.isEmpty:
            // The highlight wraps around, as in most menus.
            selection = selection <= 0 ? choices.count - 1 : selection - 1
        case .down where !choices.isEmpty:
            selection = selection >= choices.count - 1 ? 0 : selection + 1
        case .character(" ") where item.kind.isMultiple:
            if choices.indices.contains(selection) { toggle(choices[selection].code) }
        case .enter, .right:
            if case .display = item.kind {
                driver.moveOn()
            } else if case .multipleChoice = item.kind {
                submit(.codes(choices.map(\.code).filter(ticked.contains)), for: item)
            } else if choices.indices.contains(selection) {
                submitChoice(selection, of: item, choices: choices)
            }
        case .character(" ") where choices.isEmpty:
            driver.moveOn()
        case .character(let character) where !choices.isEmpty:
            // A key that chooses nothing here says which keys do.
            let keys = choices.compactMap { $0.key.map(String.init) }
            status = (
                "'\(character)' is not an answer here; the keys are " + keys.joined(separator: " ")
                    + ", shown beside the options", true
            )
        default:
            break
        }
    }

    private func handleTyped(_ key: Key, _ item: Item) {
        if handleCommand(key, lettersToo: false) { return }
        switch key {
        case .enter:
            if field.isEmpty, session.response(to: item.id) != nil {
                driver.moveOn()
                return
            }
            switch AnswerParsing.input(from: field.text, for: item) {
            case .success(let input): submit(input, for: item)
            case .failure(let problem): status = (problem.message, true)
            }
        case .escape:
            field = TextField()
            status = nil
        case .backspace, .left:
            if field.isEmpty || (key == .left && field.cursor == 0) { back() } else { _ = field.handle(key) }
        case .up:
            back()
        case .down:
            if session.response(to: item.id) != nil { driver.moveOn() }
        default:
            _ = field.handle(key)
        }
    }

    private func choose(_ index: Int, of item: Item, choices: [(key: Character?, code: String, label: String)]) {
        selection = index
        if case .multipleChoice = item.kind {
            toggle(choices[index].code)
        } else {
            submitChoice(index, of: item, choices: choices)
        }
    }

    private func toggle(_ code: String) {
        if ticked.contains(code) { ticked.remove(code) } else { ticked.insert(code) }
    }

    private func submitChoice(_ index: Int, of item: Item, choices: [(key: Character?, code: String, label: String)]) {
        if case .yesNo = item.kind {
            submit(.bool(index == 0), for: item)
        } else {
            submit(.code(choices[index].code), for: item)
        }
    }

    func submit(_ input: AnswerInput, for item: Item, overrides: [String: String] = [:], reason: String? = nil) {
        perform(.answer(item: item.id, input: input, overrides: overrides, reason: reason))
    }

    private func back() {
        status = nil
        returnsToResults = false
        driver.back()
    }

    private func openNote() {
        guard let item = session.currentItem else { return }
        guard item.notesAllowed else {
            status = ("notes are not taken on this item", true)
            return
        }
        mode = .note(item: item.id, TextArea())
    }

    public func quit() {
        try? driver.pause()
        wantsQuit = true
    }

    // MARK: Recording

    /// Carries out a change through the driver; a storage failure keeps it
    /// pending, on screen, to retry or save elsewhere.
    func perform(_ action: PendingAction) {
        do {
            switch action {
            case .answer(let itemID, let input, let overrides, let reason):
                let result = try driver.answer(item: itemID, input, overrides: overrides, changeReason: reason)
                react(to: result, item: itemID, input: input, overrides: overrides)
            case .skip(let reason):
                let result = try driver.skip(reason: reason)
                status = result.status == .accepted ? ("skipped: \(reason)", false) : (describe(result.status), true)
                mode = .asking
            case .note(let itemID, let text):
                try driver.attachNote(text, to: itemID)
                status = ("note saved on \(itemID)", false)
                mode = .asking
            case .acknowledge(let alert):
                try driver.acknowledge(alert: alert)
                status = ("alert acknowledged", false)
                mode = .asking
            case .complete:
                _ = try driver.complete()
                completed = true
                wantsQuit = true
            case .flush:
                _ = try driver.confirmSaved(within: nil)
            }
        } catch {
            mode = .saveFailed(message: "\(error)", pending: action)
        }
    }

    /// The flush of the last change runs while its next screen is drawn; the
    /// next key waits for it. A flush slower than `slowFlush` shows on screen
    /// ("saving to disk…") and stops holding keys back: the next change still
    /// waits for it before it is written.
    public func settle() -> Bool {
        do {
            let saved = try driver.confirmSaved(within: savingShown ? 0 : Self.slowFlush)
            if saved == savingShown {
                savingShown = !saved
                status = saved ? nil : ("saving to disk…", false)
                return true
            }
            return false
        } catch {
            savingShown = false
            status = nil
            mode = .saveFailed(message: "\(error)", pending: .flush)
            return true
        }
    }

    static let slowFlush = 0.1

    private func react(to result: AnswerResult, item: String, input: AnswerInput, overrides: [String: String]) {
        switch result.status {
        case .accepted:
            mode = .asking
            status = result.amended ? ("changed \(item) (the earlier answer is kept in the record)", false) : nil
            // An answer changed from the results goes back to them, not on to the next item.
            if session.position == nil || returnsToResults {
                returnsToResults = false
                mode = .summary(selection: 0, atEnd: true)
            }
        case .reasonRequired:
            mode = .reason(.change(item: item, input: input, overrides: overrides), TextField())
        case .needsOverride:
            mode = .softCheck(item: item, checks: result.checks, input: input)
        case .needsCorrection:
            mode = .asking
            status = (result.checks.filter { $0.severity == .hard }.map(\.message).joined(separator: " "), true)
        case .rejected(let message):
            mode = .asking
            status = (message, true)
        }
    }

    func describe(_ status: AnswerResult.Status) -> String {
        switch status {
        case .accepted: "done"
        case .rejected(let message): message
        case .needsCorrection: "a check failed: correct the answer"
        case .needsOverride: "a check needs an override"
        case .reasonRequired: "a change needs a reason"
        }
    }

    // MARK: Dialogs

    private func handleReason(_ key: Key, _ purpose: ReasonPurpose, _ field: inout TextField) {
        switch key {
        case .escape:
            mode = .asking
            status = ("cancelled", false)
        case .enter:
            let reason = field.text.trimmingCharacters(in: .whitespaces)
            guard !reason.isEmpty else {
                status = ("a reason is needed", true)
                return
            }
            status = nil
            mode = .asking
            switch purpose {
            case .change(let item, let input, let overrides):
                perform(.answer(item: item, input: input, overrides: overrides, reason: reason))
            case .skip:
                perform(.skip(reason: reason))
            case .override(let item, let checks, let input):
                var overrides: [String: String] = [:]
                for check in checks where check.severity == .soft { overrides[check.id] = reason }
                perform(.answer(item: item, input: input, overrides: overrides, reason: nil))
            }
        default:
            _ = field.handle(key)
            mode = .reason(purpose, field)
        }
    }

    private func handleSoftCheck(_ key: Key, _ item: String, _ checks: [FiredCheck], _ input: AnswerInput) {
        switch key {
        case .character("o"), .character("O"):
            mode = .reason(.override(item: item, checks: checks, input: input), TextField())
        case .character("c"), .character("C"), .escape:
            mode = .asking
            status = ("correct the answer", false)
        default:
            break
        }
    }

    private func handleNote(_ key: Key, _ item: String, _ area: inout TextArea) {
        switch key {
        case .escape:
            mode = .asking
            status = ("note discarded", false)
        case .control("s"), .function(2):
            if area.isBlank {
                mode = .asking
                return
            }
            perform(.note(item: item, text: area.text))
        default:
            _ = area.handle(key)
            mode = .note(item: item, area)
        }
    }

    private func handleHelp(_ key: Key, _ scroll: Int) {
        switch key {
        case .down, .pageDown: mode = .help(scroll: scroll + (key == .down ? 1 : 10))
        case .up, .pageUp: mode = .help(scroll: max(0, scroll - (key == .up ? 1 : 10)))
        default: mode = .asking
        }
    }

    private func handleSaveFailed(_ key: Key, _ pending: PendingAction) {
        switch key {
        case .character("r") where pending != .flush, .character("R") where pending != .flush:
            mode = .asking
            perform(pending)
        case .character("d"), .character("D"):
            let suggestion = (NSHomeDirectory() as NSString).appendingPathComponent("clinterview-rescue")
            mode = .saveElsewhere(TextField(suggestion), pending: pending, message: nil)
        case .character("q"), .character("Q"), .function(10):
            wantsQuit = true
        default:
            break
        }
    }

    private func handleSaveElsewhere(_ key: Key, _ field: inout TextField, _ pending: PendingAction) {
        switch key {
        case .escape:
            mode = .saveFailed(message: "not saved yet", pending: pending)
        case .enter:
            do {
                try driver.saveElsewhere(directory: field.text)
                mode = .asking
                status = ("the session is now kept in \(driver.location)", false)
                perform(pending)
            } catch {
                mode = .saveElsewhere(field, pending: pending, message: "\(error)")
            }
        default:
            _ = field.handle(key)
            mode = .saveElsewhere(field, pending: pending, message: nil)
        }
    }

    // MARK: Jump list and summary

    /// Items shown in the jump list: answerable items, with whether each is on the route.
    var jumpEntries: [Int] {
        interview.items.indices.filter { interview.items[$0].kind.isAnswerable }
    }

    var currentJumpIndex: Int {
        guard let position = session.position else { return max(0, jumpEntries.count - 1) }
        return jumpEntries.firstIndex { $0 >= position } ?? 0
    }

    private func handleJumpList(_ key: Key, _ selection: Int) {
        let entries = jumpEntries
        switch key {
        case .up: mode = .jumpList(selection: max(0, selection - 1))
        case .down: mode = .jumpList(selection: min(entries.count - 1, selection + 1))
        case .pageUp: mode = .jumpList(selection: max(0, selection - 10))
        case .pageDown: mode = .jumpList(selection: min(entries.count - 1, selection + 10))
        case .home: mode = .jumpList(selection: 0)
        case .end: mode = .jumpList(selection: entries.count - 1)
        case .enter:
            let item = interview.items[entries[selection]]
            do {
                try driver.jump(to: item.id)
                mode = .asking
                status =
                    session.response(to: item.id) != nil
                    ? ("answering again asks for the reason for the change", false) : nil
            } catch {
                status = ("\(item.id) is not on the route: an earlier answer skips it", true)
            }
        case .escape, .character("j"), .character("q"), .function(3):
            mode = .asking
        default:
            break
        }
    }

    /// Lines of the summary that lead to an item (blocking, unanswered, skipped).
    var summaryTargets: [String] { SummaryView.targets(self) }

    private func handleSummary(_ key: Key, _ selection: Int, _ atEnd: Bool) {
        let targets = summaryTargets
        switch key {
        case .up: mode = .summary(selection: max(0, selection - 1), atEnd: atEnd)
        case .down: mode = .summary(selection: min(max(0, targets.count - 1), selection + 1), atEnd: atEnd)
        case .enter where !targets.isEmpty:
            if (try? driver.jump(to: targets[selection])) != nil {
                returnsToResults = atEnd
                mode = .asking
            } else {
                status = ("\(targets[selection]) is not on the route", true)
            }
        case .character("c"), .character("C"):
            perform(.complete)
        case .character("j"), .function(3):
            mode = .jumpList(selection: currentJumpIndex)
        case .character("q"), .function(10):
            quit()
        case .backspace where atEnd, .left where atEnd:
            driver.back()
            mode = .asking
        case .escape, .character("r"), .function(5):
            if !atEnd { mode = .asking }
        default:
            break
        }
    }
}

extension ItemKind {
    var isMultiple: Bool {
        if case .multipleChoice = self { return true }
        return false
    }
}
