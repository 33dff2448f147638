import ClinterviewCore
import Foundation

/// Rebuilds a session from its journal by applying every record through the
/// engine, exactly as it was first given.
public enum SessionRebuilder {
    public struct Rebuilt {
        public var session: Session
        /// Records that no longer fit the interview (only with a changed definition).
        public var problems: [String]
    }

    public static func rebuild(_ records: [JournalRecord], interview: Interview, language: String? = nil) -> Rebuilt {
        var session = Session(
            interview: interview, clock: .fixed(records.first?.time ?? Date(timeIntervalSince1970: 0)),
            language: language)
        var problems: [String] = []
        for record in records {
            session.clock = .fixed(record.time)
            func report(_ message: String) { problems.append("record \(record.sequence): \(message)") }
            switch record.event {
            case .started, .alertShown, .paused, .resumed:
                break
            case .answered(let itemID, let value, let overrides), .changed(let itemID, let value, _, let overrides):
                guard let item = interview.item(itemID) else {
                    report(
                        "the interview has no item '\(itemID)' any more; its answer \(value.serialized()) is kept in the journal only"
                    )
                    continue
                }
                let input: AnswerInput
                switch item.input(from: JSONNode(value)) {
                case .success(let parsed): input = parsed
                case .failure(let rejection):
                    report(rejection.message)
                    continue
                }
                var reason: String?
                if case .changed(_, _, let why, _) = record.event { reason = why }
                let result = session.answer(
                    item: itemID, input, overrides: overrides, changeReason: reason ?? "as recorded")
                if result.status != .accepted {
                    report("the answer \(value.serialized()) to '\(itemID)' is no longer accepted (\(result.status))")
                }
            case .skipped(let itemID, let reason):
                if session.skip(item: itemID, reason: reason).status != .accepted {
                    report("'\(itemID)' can no longer be skipped")
                }
            case .note(let itemID, let text):
                do { try session.attachNote(text, to: itemID) } catch { report(error.message) }
            case .alertAcknowledged(let id):
                do { try session.acknowledge(alert: id) } catch { report(error.message) }
            case .completed:
                _ = session.complete()
            }
        }
        return Rebuilt(session: session, problems: problems)
    }
}
