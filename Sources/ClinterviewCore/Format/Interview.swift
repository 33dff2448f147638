/// A loaded, checked interview definition. Items are stored flat, in administration
/// order; sections and modules refer to ranges of that order.
public struct Interview: Sendable {
    public var path: String
    public var id: String
    public var version: String
    public var title: LocalizedText
    public var description: LocalizedText?
    public var languages: [String]
    public var source: LocalizedText?
    public var copyright: LocalizedText?
    public var licence: LocalizedText?
    public var notice: LocalizedText?
    /// Named time frames that prompts refer to as `{time_frame}`, e.g.
    /// "intake": "in the past month", "follow_up": "since the last assessment".
    public var timeFrames: [String: LocalizedText] = [:]
    /// The canonical URL (`url|version`) of the FHIR Questionnaire this was imported from; exports name it.
    public var fhirQuestionnaire: String?

    public var scales: [String: Scale]
    public var modules: [Module]
    public var sections: [Section]
    public var items: [Item]
    /// Values, criteria, diagnoses and scores share one namespace with items.
    public var rules: [Rule]
    public var alerts: [Alert]

    /// The interval an unknown answer of each item must lie in, computed once.
    public var itemBounds: [ClosedRange<Double>] = []
    /// What evaluation reads, in flat arrays, so the hot path copies no model structs.
    public var plan = EvaluationPlan()

    public var itemIndex: [String: Int]
    public var ruleIndex: [String: Int]
    /// Rule indices in an order where each comes after everything it depends on.
    public var ruleOrder: [Int]

    public func item(_ id: String) -> Item? { itemIndex[id].map { items[$0] } }

    public var criteria: [Rule] { rules.filter { $0.kind == .criterion } }
    public var diagnoses: [Rule] { rules.filter { $0.kind == .diagnosis } }
    public var scores: [Rule] { rules.filter { $0.kind == .score } }
}

public struct Scale: Sendable {
    public var id: String
    public var label: LocalizedText?
    public var options: [ChoiceOption]
    public var offset: Int
}

public struct ChoiceOption: Sendable, Hashable {
    public var code: String
    public var label: LocalizedText
    public var weight: Double?
    /// Choosing this option means "inadequate information": it counts as unknown.
    public var isUnknown: Bool
    /// The code system of an option imported from a FHIR Coding.
    public var system: String?

    public init(code: String, label: LocalizedText, weight: Double? = nil, isUnknown: Bool = false) {
        self.code = code
        self.label = label
        self.weight = weight
        self.isUnknown = isUnknown
    }
}

public struct Module: Sendable {
    public var id: String
    public var title: LocalizedText
    public var description: LocalizedText?
    public var condition: Condition?
    public var sectionRange: Range<Int>
    public var offset: Int
    /// How long asking and rating one question of the module is expected to
    /// take, in seconds: the interview's own measure of a module done as
    /// designed (fidelity, docs/outcomes.md).
    public var secondsPerQuestion: Double? = nil
}

public struct Section: Sendable {
    public var id: String
    /// The FHIR linkId this section came from, when imported.
    public var linkID: String?
    public var title: LocalizedText
    public var condition: Condition?
    public var module: Int
    public var itemRange: Range<Int>
    public var offset: Int
    /// For a section imported from a nested FHIR group: the linkId of the group it stood in.
    public var fhirParent: String?
}

/// A `when` condition: the source text and its compiled form.
public struct Condition: Sendable {
    public var source: String
    public var expression: Expression
    public var offset: Int
}

public struct StandardCode: Sendable, Hashable {
    public var system: String
    public var code: String
    public var display: String?
}

public enum DurationUnit: String, Sendable, CaseIterable, Hashable {
    case days, weeks, months, years

    public var days: Double {
        switch self {
        case .days: 1
        case .weeks: 7
        case .months: 365.25 / 12
        case .years: 365.25
        }
    }

    /// The shortest and the longest number of days that `amount` of this
    /// unit can mean on a calendar. Days and weeks are exact. A year is 52
    /// weeks (364 days) to 366 days, so 52 weeks and 104 weeks make one and
    /// two years. Months beyond whole years are the shortest and the longest
    /// run of that many calendar months (1 month is 28 to 31 days, 6 months
    /// 181 to 184), so 4 weeks make a month and 26 weeks six months.
    public func calendarDays(_ amount: Double) -> (shortest: Double, longest: Double) {
        switch self {
        case .days: return (amount, amount)
        case .weeks: return (amount * 7, amount * 7)
        case .years: return (amount * 364, amount * 366)
        case .months:
            let whole = amount.rounded(.down), fraction = amount - whole
            let years = (whole / 12).rounded(.down), months = Int(whole - years * 12)
            return (
                years * 364 + Self.monthRun(months, shortest: true) + fraction * 28,
                years * 366 + Self.monthRun(months, shortest: false) + fraction * 31
            )
        }
    }

    /// The fewest (or most) days in `count` consecutive calendar months, 0 to 11.
    private static func monthRun(_ count: Int, shortest: Bool) -> Double {
        let lengths = [31, shortest ? 28 : 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let runs = (0..<12).map { start in (0..<count).reduce(0) { $0 + lengths[(start + $1) % 12] } }
        return Double(shortest ? runs.min()! : runs.max()!)
    }

    public init?(word: String) {
        switch word.lowercased() {
        case "day", "days", "d": self = .days
        case "week", "weeks", "w": self = .weeks
        case "month", "months", "m": self = .months
        case "year", "years", "y": self = .years
        default: return nil
        }
    }
}

public enum ItemKind: Sendable {
    case rating(scale: String, options: [ChoiceOption])
    case yesNo
    case choice(options: [ChoiceOption])
    case multipleChoice(options: [ChoiceOption])
    case integer(range: NumericRange)
    case decimal(range: NumericRange)
    case duration
    case date
    case text
    case display

    public var name: String {
        switch self {
        case .rating: "rating"
        case .yesNo: "yesno"
        case .choice: "choice"
        case .multipleChoice: "multichoice"
        case .integer: "integer"
        case .decimal: "decimal"
        case .duration: "duration"
        case .date: "date"
        case .text: "text"
        case .display: "display"
        }
    }

    public var options: [ChoiceOption]? {
        switch self {
        case .rating(_, let options), .choice(let options), .multipleChoice(let options): options
        default: nil
        }
    }

    public var isAnswerable: Bool {
        if case .display = self { return false }
        return true
    }
}

public struct NumericRange: Sendable, Hashable {
    public var min: Double?
    public var max: Double?
    public var unit: String?
}

public struct Item: Sendable {
    public var id: String
    /// The FHIR linkId this item came from, when imported; exports use it.
    public var linkID: String?
    public var kind: ItemKind
    public var prompt: LocalizedText
    public var instructions: LocalizedText?
    public var probes: [LocalizedText]
    public var standardCode: StandardCode?
    public var notesAllowed: Bool
    /// Shown as required; an unanswered required item is listed as such.
    public var isRequired: Bool
    /// A question about risk to the client or others (its own, or its
    /// module's `risk`): every report shows these first.
    public var isRisk = false
    public var condition: Condition?
    public var checks: [Check]
    public var section: Int
    public var offset: Int
    /// For an item imported from FHIR: its Questionnaire item type, and for a
    /// choice the answer[x] of its options (`valueCoding`, `valueString`, …),
    /// so a QuestionnaireResponse answers as the Questionnaire declares.
    public var fhirType: String?
    public var fhirAnswer: String?
    /// The linkId of the question or group it stood under in the Questionnaire.
    public var fhirParent: String?

    public func option(_ code: String) -> ChoiceOption? {
        kind.options?.first { $0.code == code }
    }
}

public struct Check: Sendable {
    public enum Severity: String, Sendable {
        case hard, soft
    }

    public var id: String
    public var severity: Severity
    /// The check fires when this rule is definitely false.
    public var rule: Condition
    public var message: LocalizedText
}

public struct Rule: Sendable {
    /// For scores imported from a FHIR calculated item: its linkId.
    public var linkID: String?

    public enum Kind: String, Sendable {
        case value, criterion, diagnosis, score

        public var noun: String { rawValue }
    }

    public var id: String
    public var kind: Kind
    public var label: LocalizedText?
    public var expression: Condition
    /// For diagnoses: the criteria (and other diagnoses) it rests on, reported as evidence.
    public var criteria: [String]
    /// For diagnoses: the stretch of the client's life it speaks of.
    public var period: DiagnosisPeriod = .current
    /// For scores.
    public var bands: [Band]
    public var offset: Int
}

/// What a diagnosis speaks of. Loss of diagnostic status compares current
/// diagnoses only: a history (past, lifetime) cannot be lost by recovering.
public enum DiagnosisPeriod: String, Sendable, CaseIterable, Hashable {
    /// Met within the interview's time frame (at intake the recent weeks, at
    /// follow-up the time since the last assessment).
    case current
    /// Met at some time before the current period, and not counted as current.
    case past
    /// Met at any time in the client's life, the present included.
    case lifetime

    /// How reports head the diagnoses of this period.
    public var heading: String {
        switch self {
        case .current: "Current"
        case .past: "Past"
        case .lifetime: "Lifetime"
        }
    }
}

public struct Band: Sendable, Hashable {
    public var min: Double
    public var max: Double
    public var label: LocalizedText
}

public struct Alert: Sendable {
    public enum Severity: String, Sendable, CaseIterable {
        case info, warning, urgent
    }

    public var id: String
    public var severity: Severity
    public var condition: Condition
    public var message: LocalizedText
    public var offset: Int
}

extension Interview {
    /// Text with `{time_frame}` replaced by the chosen frame (else the first declared, else "intake").
    public func text(_ localized: LocalizedText?, language: String?, timeFrame: String? = nil) -> String {
        let text = localized?.resolved(language, fallbacks: languages) ?? ""
        guard text.utf8.contains(UInt8(ascii: "{")), text.contains("{time_frame}") else { return text }
        let frame =
            timeFrame.flatMap { timeFrames[$0] } ?? timeFrames["intake"]
            ?? timeFrames.sorted { $0.key < $1.key }.first?.value
        return text.replacingOccurrences(
            of: "{time_frame}", with: frame?.resolved(language, fallbacks: languages) ?? "{time_frame}")
    }
}

/// The parts of an interview that evaluation reads, laid out flat.
public struct EvaluationPlan: Sendable {
    public var ruleExpressions: [Expression] = []
    public var moduleConditions: [Expression?] = []
    public var moduleSections: [Range<Int>] = []
    public var sectionConditions: [Expression?] = []
    public var sectionItems: [Range<Int>] = []
    public var sectionModule: [Int] = []
    public var itemConditions: [Expression?] = []
    public var itemSection: [Int] = []
    /// Items each rule depends on, directly or through other rules.
    public var ruleItems: [Set<Int>] = []
    /// Items whose conditions have the same text share a group (-1: no
    /// condition). A condition looks only at items before its own, so on the
    /// route it holds for every item of its group once it holds for the first:
    /// generated and imported definitions repeat conditions a great deal.
    var itemConditionGroups: [Int] = []
    var conditionGroupCount = 0
    /// For each diagnosis (by rule index), the indices of its criteria; empty for other rules.
    var diagnosisEvidence: [[Int]] = []

    public init() {}

    init(_ interview: Interview) {
        ruleExpressions = interview.rules.map(\.expression.expression)
        moduleConditions = interview.modules.map { $0.condition?.expression }
        moduleSections = interview.modules.map(\.sectionRange)
        sectionConditions = interview.sections.map { $0.condition?.expression }
        sectionItems = interview.sections.map(\.itemRange)
        sectionModule = interview.sections.map(\.module)
        itemConditions = interview.items.map { $0.condition?.expression }
        if interview.plan.itemConditionGroups.count == interview.items.count {
            // Found by the loader.
            itemConditionGroups = interview.plan.itemConditionGroups
            conditionGroupCount = interview.plan.conditionGroupCount
        } else {
            (itemConditionGroups, conditionGroupCount) = Self.conditionGroups(interview)
        }
        itemSection = interview.items.map(\.section)
        ruleItems = interview.ruleItemClosure()
        diagnosisEvidence = interview.rules.map { rule in
            rule.kind == .diagnosis ? rule.criteria.compactMap { interview.ruleIndex[$0] } : []
        }
    }

    /// Items whose conditions have the same text share a group, numbered in
    /// the order the items come.
    static func conditionGroups(_ interview: Interview) -> (ofItem: [Int], count: Int) {
        var groups: [String: Int] = [:]
        let ofItem = interview.items.map { item in
            guard let source = item.condition?.source else { return -1 }
            if let group = groups[source] { return group }
            groups[source] = groups.count
            return groups.count - 1
        }
        return (ofItem, groups.count)
    }
}
