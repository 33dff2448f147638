import ArgumentParser
import ClinterviewJournal
import Foundation

/// What the shell completes for arguments that name interviews and sessions.
enum Completions {
    /// Interview ids (as `run` finds them) and definition files here.
    static let interviews = CompletionKind.custom { _, _, prefix in
        let catalog = InterviewCatalog.scan(
            InterviewCatalog.searchPath(
                environment: ProcessInfo.processInfo.environment, bundled: Run.bundledInterviews))
        return (catalog.entries.map(\.id) + files(ending: ".json")).filter { $0.hasPrefix(prefix) }
    }

    /// Session ids in the sessions directory, and journal files here.
    static let sessions = CompletionKind.custom { words, _, prefix in
        let explicit = words.firstIndex(of: "--sessions").flatMap {
            words.indices.contains($0 + 1) ? words[$0 + 1] : nil
        }
        let store = SessionStore.resolve(explicit: explicit)
        let ids = ((try? FileManager.default.contentsOfDirectory(atPath: store.directory)) ?? [])
            .filter { $0.hasSuffix(".jsonl") }.map { String($0.dropLast(".jsonl".count)) }
        return (ids.sorted() + files(ending: ".jsonl")).filter { $0.hasPrefix(prefix) }
    }

    private static func files(ending suffix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: ".")) ?? []).filter { $0.hasSuffix(suffix) }.sorted()
    }
}
