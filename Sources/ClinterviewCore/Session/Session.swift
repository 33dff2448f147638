import Foundation

/// One administration of an interview: answers, route and position.
///
/// A value type with no I/O. Every change returns its consequences, so a
/// front end (or a replay) knows what to show next and a journal what to record.
public struct Session: Sendable {
    /// The definition, behind one reference: front ends copy the session on
    /// every read, and an `Interview` holds some thirty references of its own.
    private let shared: SharedInterview
    public var interview: Interview { _read { yield shared.interview } }
    /// Stamps every answer, note and change; a journal being replayed sets it per record.
    public var clock: Clock
    public let language: String?

    /// Recorded answers by item index; kept when an item falls off the route.
    public private(set) var responses: [Response?]
    public private(set) var notes: [Int: [Note]] = [:]
    /// The item being asked, or nil at the end of the route.
    public private(set) var position: Int?
    public private(set) var acknowledgedAlerts: Set<String> = []
    public private(set) var isCompleted = false
    public private(set) var route: [Bool]
    private var activeAlerts: Set<String>
    /// What the evaluator reads for each item, kept in step with `responses`.
    private var states: [ItemState]

    public init(interview: Interview, clock: Clock = .system, language: String? = nil) {
        self.shared = SharedInterview(interview)
        self.clock = clock
        self.language = language
        self.responses = [Response?](repeating: nil, count: interview.items.count)
        self.states = [ItemState](repeating: .open, count: interview.items.count)
        let evaluation = interview.evaluate(recorded: [ItemState](repeating: .open, count: interview.items.count))
        self.route = evaluation.route
        self.activeAlerts = Set(evaluation.alerts.map(\.id))
        self.position = route.firstIndex(of: true)
    }

    /// A completed session rebuilt from a replay's forward walk (see `Replayer`),
    /// equal to the one that answering item by item would leave.
    init(
        completedReplay interview: Interview, clock: Clock, responses: [Response?], notes: [Int: [Note]],
        states: [ItemState], evaluation: Evaluation
    ) {
        self.shared = SharedInterview(interview)
        self.clock = clock
        self.language = nil
        self.responses = responses
        self.notes = notes
        self.states = states
        self.route = evaluation.route
        self.activeAlerts = Set(evaluation.alerts.map(\.id))
        self.position = nil
        self.isCompleted = true
    }

    // MARK: Reading

    public var currentItem: Item? { position.map { interview.items[$0] } }

    public func response(to itemID: String) -> Response? {
        interview.itemIndex[itemID].flatMap { responses[$0] }
    }

    public func isOnRoute(_ itemID: String) -> Bool {
        interview.itemIndex[itemID].map { route[$0] } ?? false
    }

    var recordedStates: [ItemState] { states }

    /// Every rule, score and alert as things stand now.
    public func evaluate() -> Evaluation {
        interview.evaluate(recorded: recordedStates, language: language)
    }

    public var unacknowledgedAlerts: [String] {
        if activeAlerts.isEmpty { return [] }
        return interview.alerts.map(\.id).filter { activeAlerts.contains($0) && !acknowledgedAlerts.contains($0) }
    }

    public func nextOnRoute(after index: Int) -> Int? {
        route[(index + 1)...].firstIndex(of: true)
    }

    public func previousOnRoute(before index: Int) -> Int? {
        route[..<index].lastIndex(of: true)
    }

    // MARK: Answering

    /// Answers the current item. A changed answer needs `changeReason`; soft checks
    /// that fire need an entry in `overrides` (check id to reason).
    @discardableResult
    public mutating func answer(
        _ input: AnswerInput, overrides: [String: String] = [:], changeReason: String? = nil
    ) -> AnswerResult {
        guard let position else {
            return AnswerResult(status: .rejected("the interview has no current item: the route has ended"), next: nil)
        }
        return answer(itemAt: position, input, overrides: overrides, changeReason: changeReason)
    }

    /// Answers or changes any item on the route, then moves to the item after it.
    @discardableResult
    public mutating func answer(
        item itemID: String, _ input: AnswerInput, overrides: [String: String] = [:], changeReason: String? = nil
    ) -> AnswerResult {
        guard let index = interview.itemIndex[itemID] else {
            return AnswerResult(
                status: .rejected(
                    "unknown item '\(itemID)'\(Suggestion.didYouMean(itemID, in: interview.itemIndex.keys))"),
                next: position.map { interview.items[$0].id })
        }
        guard route[index] else {
            return AnswerResult(
                status: .rejected("item '\(itemID)' is not on the route: an earlier answer skips it"),
                next: position.map { interview.items[$0].id })
        }
        return answer(itemAt: index, input, overrides: overrides, changeReason: changeReason)
    }

    private mutating func answer(
        itemAt index: Int, _ input: AnswerInput, overrides: [String: String], changeReason: String?
    ) -> AnswerResult {
        let item = interview.items[index]
        let stay = position.map { interview.items[$0].id }
        let recorded: RecordedAnswer
        switch item.record(input) {
        case .success(let value): recorded = value
        case .failure(let rejection): return AnswerResult(status: .rejected(rejection.message), next: stay)
        }
        for (what, text) in [("the reason for the change", changeReason ?? "")]
            + overrides.sorted(by: { $0.key < $1.key }).map({ ("the reason for overriding \($0.key)", $0.value) })
        {
            if let problem = TextLimit.problem(text, what) {
                return AnswerResult(status: .rejected(problem), next: stay)
            }
        }
        let previous = responses[index]
        let isChange = previous != nil && previous?.answer != recorded
        if isChange, (changeReason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return AnswerResult(status: .reasonRequired, next: stay)
        }
        guard !isCompleted || isChange else {
            return AnswerResult(status: .rejected("the session is completed"), next: stay)
        }

        // Try the answer, then run the item's checks against the new state.
        var trial = states
        trial[index] = recorded.itemState
        var evaluator = Evaluator(
            interview: interview, store: DenseRouteStore(answers: trial, enabled: route), recomputingAfter: index)
        var fired: [FiredCheck] = []
        for check in item.checks where evaluator.evaluate(check.rule.expression).bool == false {
            fired.append(
                FiredCheck(
                    id: check.id, severity: check.severity,
                    message: check.message.resolved(language, fallbacks: interview.languages),
                    overrideReason: overrides[check.id]))
        }
        if fired.contains(where: { $0.severity == .hard }) {
            return AnswerResult(status: .needsCorrection, checks: fired, next: stay)
        }
        if fired.contains(where: {
            $0.severity == .soft && ($0.overrideReason ?? "").trimmingCharacters(in: .whitespaces).isEmpty
        }) {
            return AnswerResult(status: .needsOverride, checks: fired, next: stay)
        }

        let now = clock.now()
        var response = Response(answer: recorded, time: now)
        if let previous {
            response.amendments = previous.amendments
            if isChange {
                response.amendments.append(Amendment(previous: previous.answer, reason: changeReason!, time: now))
            }
        }
        for check in fired { response.overrides[check.id] = check.overrideReason }
        responses[index] = response
        states[index] = recorded.itemState
        var result = applyConsequences(of: evaluator, status: .accepted)
        result.checks = fired
        result.amended = isChange
        position = nextOnRoute(after: index)
        result.next = position.map { interview.items[$0].id }
        return result
    }

    /// Records the route and alerts of a new state and says what changed.
    private mutating func applyConsequences(
        of evaluator: Evaluator<DenseRouteStore>, status: AnswerResult.Status
    ) -> AnswerResult {
        var evaluator = evaluator
        let newRoute = evaluator.store.enabled
        var result = AnswerResult(status: status, next: nil)
        for index in interview.items.indices where newRoute[index] != route[index] {
            if newRoute[index] {
                result.enabled.append(interview.items[index].id)
            } else {
                result.disabled.append(interview.items[index].id)
            }
        }
        route = newRoute
        var nowActive = Set<String>()
        for alert in interview.alerts where evaluator.evaluate(alert.condition.expression).bool == true {
            nowActive.insert(alert.id)
            if !activeAlerts.contains(alert.id) {
                result.alerts.append(
                    ActiveAlert(
                        id: alert.id, severity: alert.severity,
                        message: alert.message.resolved(language, fallbacks: interview.languages)))
            }
        }
        activeAlerts = nowActive
        return result
    }

    // MARK: Moving

    /// Skips the current item with a reason; it counts as unanswered.
    @discardableResult
    public mutating func skip(reason: String) -> AnswerResult {
        guard let index = position else { return AnswerResult(status: .rejected("the route has ended"), next: nil) }
        return skip(itemAt: index, reason: reason)
    }

    /// Skips any item on the route with a reason, then moves to the item after it.
    @discardableResult
    public mutating func skip(item itemID: String, reason: String) -> AnswerResult {
        guard let index = interview.itemIndex[itemID], route[index] else {
            return AnswerResult(
                status: .rejected("item '\(itemID)' is not on the route"), next: position.map { interview.items[$0].id }
            )
        }
        return skip(itemAt: index, reason: reason)
    }

    private mutating func skip(itemAt index: Int, reason: String) -> AnswerResult {
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return AnswerResult(status: .rejected("a skip needs a reason"), next: interview.items[index].id)
        }
        if let problem = TextLimit.problem(reason, "the reason for skipping") {
            return AnswerResult(status: .rejected(problem), next: interview.items[index].id)
        }
        var response = Response(answer: .skipped(reason: reason), time: clock.now())
        if let previous = responses[index] {
            response.amendments = previous.amendments
            if previous.answer != response.answer {
                response.amendments.append(Amendment(previous: previous.answer, reason: reason, time: response.time))
            }
        }
        responses[index] = response
        states[index] = .open
        var result = applyConsequences(
            of: Evaluator(
                interview: interview, store: DenseRouteStore(answers: states, enabled: route), recomputingAfter: index),
            status: .accepted)
        position = nextOnRoute(after: index)
        result.next = position.map { interview.items[$0].id }
        return result
    }

    /// Moves past the current item without recording anything (display items,
    /// and items an answer file leaves out).
    public mutating func moveOn() {
        guard let index = position else { return }
        position = nextOnRoute(after: index)
    }

    /// Goes to the previous item on the route; at the end, to the last one.
    public mutating func back() {
        if let index = position {
            if let previous = previousOnRoute(before: index) { position = previous }
        } else {
            position = route.lastIndex(of: true)
        }
    }

    /// Goes to any item on the route, to review or change its answer.
    public mutating func jump(to itemID: String) throws(SessionError) {
        guard let index = interview.itemIndex[itemID] else {
            throw SessionError("unknown item '\(itemID)'\(Suggestion.didYouMean(itemID, in: interview.itemIndex.keys))")
        }
        guard route[index] else {
            throw SessionError("item '\(itemID)' is not on the route: an earlier answer skips it")
        }
        position = index
    }

    // MARK: Notes, alerts, completion

    public mutating func attachNote(_ text: String, to itemID: String) throws(SessionError) {
        guard let index = interview.itemIndex[itemID] else { throw SessionError("unknown item '\(itemID)'") }
        guard interview.items[index].notesAllowed else { throw SessionError("item '\(itemID)' does not take notes") }
        if let problem = TextLimit.problem(text, "the note") { throw SessionError(problem) }
        notes[index, default: []].append(Note(text: text, time: clock.now()))
    }

    public mutating func acknowledge(alert id: String) throws(SessionError) {
        guard interview.alerts.contains(where: { $0.id == id }) else { throw SessionError("unknown alert '\(id)'") }
        acknowledgedAlerts.insert(id)
    }

    /// Ends the session. Items still open on the route stay unanswered.
    public mutating func complete() -> Evaluation {
        isCompleted = true
        position = nil
        return evaluate()
    }
}

public struct SessionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The consequences of one answer or skip.
public struct AnswerResult: Sendable, Hashable {
    public enum Status: Sendable, Hashable {
        case accepted
        /// The input does not fit the item (wrong option, out of range): nothing recorded.
        case rejected(String)
        /// A hard check fired: the answer must be corrected.
        case needsCorrection
        /// A soft check fired: correct the answer or give an override reason.
        case needsOverride
        /// The item already had a different answer: a change needs a reason.
        case reasonRequired
    }

    public var status: Status
    public var checks: [FiredCheck] = []
    public var enabled: [String] = []
    public var disabled: [String] = []
    /// Alerts that became active with this answer.
    public var alerts: [ActiveAlert] = []
    public var amended = false
    /// The item now current (the same one when the answer was not accepted).
    public var next: String?

    init(status: Status, checks: [FiredCheck] = [], next: String?) {
        self.status = status
        self.checks = checks
        self.next = next
    }
}

public struct FiredCheck: Sendable, Hashable {
    public var id: String
    public var severity: Check.Severity
    public var message: String
    public var overrideReason: String?
}

private final class SharedInterview: Sendable {
    let interview: Interview
    init(_ interview: Interview) { self.interview = interview }
}
