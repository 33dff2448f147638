import Foundation

/// Paths inside this repository, for tests that read its files.
public enum Repository {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    public static func path(_ relative: String) -> String {
        root.appendingPathComponent(relative).path
    }

    /// The names of the files in a directory that end with `suffix`, sorted.
    /// An empty or missing directory is a failure of the repository, not an
    /// empty list: a suite that reads its cases from it would pass on nothing.
    public static func files(in relative: String, ending suffix: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path(relative))) ?? []
        let files = names.filter { $0.hasSuffix(suffix) }.sorted()
        precondition(!files.isEmpty, "no *\(suffix) files in \(relative)")
        return files
    }
}
