import ClinterviewCore
import Foundation

/// Who and what a session is: the first record of every journal.
public struct SessionHeader: Sendable, Equatable {
    public var sessionID: String
    public var interviewID: String
    public var interviewVersion: String
    /// SHA-256 of the definition file's bytes when the session began.
    public var definitionSHA256: String
    public var definitionPath: String
    public var client: String
    public var rater: String
    public var role: String
    public var language: String?
    public var software: String
    /// A blind follow-up: the assessor was shown nothing of the client's earlier sessions.
    public var blind: Bool
    /// Which time frame the prompts used, e.g. "follow_up" (nil: the interview's default).
    public var timeFrame: String?
    /// When the assessment took place, when it was entered afterwards (a paper
    /// assessment recorded from its answer file); the records' times say when
    /// it was entered. Nil: it took place as it was recorded.
    public var assessedAt: Date?

    public init(
        sessionID: String, interviewID: String, interviewVersion: String, definitionSHA256: String,
        definitionPath: String,
        client: String, rater: String, role: String, language: String? = nil, software: String = JournalFormat.software,
        blind: Bool = false, timeFrame: String? = nil, assessedAt: Date? = nil
    ) {
        self.assessedAt = assessedAt
        self.blind = blind
        self.timeFrame = timeFrame
        self.sessionID = sessionID
        self.interviewID = interviewID
        self.interviewVersion = interviewVersion
        self.definitionSHA256 = definitionSHA256
        self.definitionPath = definitionPath
        self.client = client
        self.rater = rater
        self.role = role
        self.language = language
        self.software = software
    }
}

public enum JournalFormat {
    public static let name = "clinterview-journal/1"
    public static let software = "clinterview 0.1.0"
}

/// One event in a session's journal.
public enum JournalEvent: Sendable, Equatable {
    case started(SessionHeader)
    case answered(item: String, value: JSONOutput, overrides: [String: String])
    /// A change of an earlier answer, with the reason for it.
    case changed(item: String, value: JSONOutput, reason: String, overrides: [String: String])
    case skipped(item: String, reason: String)
    case note(item: String, text: String)
    case alertShown(id: String, severity: String)
    case alertAcknowledged(id: String)
    case paused
    case resumed
    case completed

    public var typeName: String {
        switch self {
        case .started: "started"
        case .answered: "answer"
        case .changed: "change"
        case .skipped: "skip"
        case .note: "note"
        case .alertShown: "alert_shown"
        case .alertAcknowledged: "alert_acknowledged"
        case .paused: "paused"
        case .resumed: "resumed"
        case .completed: "completed"
        }
    }

    /// The record's fields after `seq`, `prev`, `time` and `type`, in a fixed order.
    var fields: [(String, JSONOutput)] {
        func overridesField(_ overrides: [String: String]) -> [(String, JSONOutput)] {
            overrides.isEmpty
                ? []
                : [("overrides", .object(overrides.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))]
        }
        switch self {
        case .started(let header):
            var fields: [(String, JSONOutput)] = [
                ("format", .string(JournalFormat.name)),
                ("session", .string(header.sessionID)),
                ("interview", .string(header.interviewID)),
                ("interview_version", .string(header.interviewVersion)),
                ("definition_sha256", .string(header.definitionSHA256)),
                ("definition_path", .string(header.definitionPath)),
                ("client", .string(header.client)),
                ("rater", .string(header.rater)),
                ("role", .string(header.role)),
            ]
            if let language = header.language { fields.append(("language", .string(language))) }
            if header.blind { fields.append(("blind", .bool(true))) }
            if let frame = header.timeFrame { fields.append(("time_frame", .string(frame))) }
            if let assessed = header.assessedAt { fields.append(("assessed_at", .string(Timestamp.string(assessed)))) }
            fields.append(("software", .string(header.software)))
            return fields
        case .answered(let item, let value, let overrides):
            return [("item", .string(item)), ("value", value)] + overridesField(overrides)
        case .changed(let item, let value, let reason, let overrides):
            return [("item", .string(item)), ("value", value), ("reason", .string(reason))] + overridesField(overrides)
        case .skipped(let item, let reason):
            return [("item", .string(item)), ("reason", .string(reason))]
        case .note(let item, let text):
            return [("item", .string(item)), ("text", .string(text))]
        case .alertShown(let id, let severity):
            return [("alert", .string(id)), ("severity", .string(severity))]
        case .alertAcknowledged(let id):
            return [("alert", .string(id))]
        case .paused, .resumed, .completed:
            return []
        }
    }
}

public struct JournalRecord: Sendable, Equatable {
    public var sequence: Int
    public var time: Date
    public var event: JournalEvent
    /// SHA-256 of the record's text before its `hash` field.
    public var hash: String
}
