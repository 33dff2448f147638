import ClinterviewCore

/// The items of a QuestionnaireResponse, nested as its Questionnaire nests
/// them: a group's items inside the group, a question's nested items inside
/// its answer. Entries are placed under the latest entry with their parent's
/// linkId, which for a repeating group is the instance being written.
final class ResponseTree {
    final class Entry {
        let linkID: String
        let isGroup: Bool
        var fields: [(String, JSONOutput)]
        var answers: [JSONOutput]
        var children: [Entry] = []

        init(linkID: String, isGroup: Bool, fields: [(String, JSONOutput)], answers: [JSONOutput] = []) {
            self.linkID = linkID
            self.isGroup = isGroup
            self.fields = fields
            self.answers = answers
        }

        /// As response items: a group without answered items is left out, and
        /// items under a question without an answer stand after it (FHIR nests
        /// them only in an answer).
        var outputs: [JSONOutput] {
            let nested = children.flatMap(\.outputs)
            if isGroup {
                return nested.isEmpty ? [] : [.object(fields + [("item", .array(nested))])]
            }
            var answers = answers
            var after: [JSONOutput] = []
            if !nested.isEmpty {
                if case .object(let first)? = answers.first {
                    answers[0] = .object(first + [("item", .array(nested))])
                } else {
                    after = nested
                }
            }
            let own: [JSONOutput] =
                answers.isEmpty && fields.allSatisfy({ $0.0 != "extension" && $0.0 != "answer" })
                ? [] : [.object(fields + (answers.isEmpty ? [] : [("answer", .array(answers))]))]
            return own + after
        }
    }

    private var roots: [Entry] = []
    private var latest: [String: Entry] = [:]

    /// Adds `entry` under the latest entry with linkId `parent`, else under
    /// `container`, else at the top.
    func add(_ entry: Entry, parent: String?, container: Entry?) {
        if let parent, let holder = latest[parent] {
            holder.children.append(entry)
        } else if let container {
            container.children.append(entry)
        } else {
            roots.append(entry)
        }
        latest[entry.linkID] = entry
    }

    var outputs: [JSONOutput] { roots.flatMap(\.outputs) }
}
