import ClinterviewCore
import Foundation

/// Interview definitions found on disk: the bundled ones and the user's own.
public struct InterviewCatalog: Sendable {
    public struct Entry: Sendable, Equatable {
        public var path: String
        public var id: String
        public var title: String
        public var version: String
    }

    public var entries: [Entry]
    /// Files that were found but do not load, with their first error.
    public var broken: [(path: String, problem: String)]

    public init(entries: [Entry] = [], broken: [(path: String, problem: String)] = []) {
        self.entries = entries
        self.broken = broken
    }

    /// `$CLINTERVIEW_INTERVIEWS` (directories separated by ':'), then `Interviews/`
    /// in the working directory, then the user's own
    /// (`$XDG_DATA_HOME/clinterview/interviews`), then `bundled`.
    public static func searchPath(environment: [String: String], bundled: String?) -> [String] {
        var directories: [String] = []
        if let list = environment["CLINTERVIEW_INTERVIEWS"], !list.isEmpty {
            directories += list.split(separator: ":").map(String.init)
        }
        directories.append(FileManager.default.currentDirectoryPath + "/Interviews")
        let dataHome =
            environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".local/share")
        directories.append((dataHome as NSString).appendingPathComponent("clinterview/interviews"))
        if let bundled { directories.append(bundled) }
        var seen = Set<String>()
        return directories.filter { seen.insert(($0 as NSString).standardizingPath).inserted }
    }

    public static func scan(_ directories: [String]) -> InterviewCatalog {
        var catalog = InterviewCatalog(entries: [], broken: [])
        var ids = Set<String>()
        for directory in directories {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter {
                $0.hasSuffix(".json")
            }.sorted()
            for name in names {
                let path = (directory as NSString).appendingPathComponent(name)
                let loaded = InterviewLoader.load(path: path)
                guard let interview = loaded.interview else {
                    catalog.broken.append((path, loaded.errors.first?.description ?? "does not load"))
                    continue
                }
                // The first directory on the search path wins for an id.
                guard ids.insert(interview.id).inserted else { continue }
                catalog.entries.append(
                    Entry(
                        path: path, id: interview.id,
                        title: interview.title.resolved(nil, fallbacks: interview.languages), version: interview.version
                    ))
            }
        }
        return catalog
    }

    /// A file path as given, or the entry with that id.
    public func resolve(_ fileOrID: String) -> String? {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: fileOrID, isDirectory: &isDirectory), !isDirectory.boolValue {
            return fileOrID
        }
        return entries.first { $0.id == fileOrID }?.path
    }
}
