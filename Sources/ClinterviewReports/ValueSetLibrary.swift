import ClinterviewCore
import Foundation

/// ValueSets given on this machine, for questionnaires whose `answerValueSet`
/// is a canonical URL: there is no terminology server in a clinic's terminal,
/// so they come from files (each a ValueSet, or a Bundle of them).
public struct ValueSetLibrary: Sendable {
    /// Canonical URL, and `url|version`, to the ValueSet.
    var byURL: [String: JSONNode] = [:]

    public init() {}

    public var isEmpty: Bool { byURL.isEmpty }

    /// The ValueSets in a file or in every `.json` file of a directory;
    /// files that cannot be read are reported, not fatal.
    public static func read(path: String) -> (ValueSetLibrary, [Diagnostic]) {
        var library = ValueSetLibrary()
        var problems: [Diagnostic] = []
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            let source = SourceFile(path: path, text: "")
            var sink = DiagnosticSink(source: source)
            sink.error(
                .unreadableFile, at: 0, "no such file or directory: give a ValueSet, a Bundle, or a directory of them")
            return (library, sink.sorted)
        }
        let files =
            isDirectory.boolValue
            ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".json") }
                .sorted()
                .map { (path as NSString).appendingPathComponent($0) }
            : [path]
        for file in files {
            switch InterviewLoader.readFile(path: file) {
            case .failure(let diagnostic): problems.append(diagnostic)
            case .success(let bytes):
                var sink = DiagnosticSink(source: SourceFile(path: file, bytes: bytes))
                do {
                    library.add(try JSONParser.parse(bytes))
                } catch {
                    sink.error(.jsonSyntax, at: error.offset, error.message)
                }
                problems += sink.sorted
            }
        }
        return (library, problems)
    }

    mutating func add(_ node: JSONNode) {
        guard case .object(let resource) = node.value, case .string(let type)? = resource["resourceType"]?.value else {
            return
        }
        if type == "Bundle", case .array(let entries)? = resource["entry"]?.value {
            for entry in entries {
                if case .object(let fields) = entry.value, let inner = fields["resource"] { add(inner) }
            }
        }
        guard type == "ValueSet", case .string(let url)? = resource["url"]?.value else { return }
        byURL[url] = node
        if case .string(let version)? = resource["version"]?.value { byURL[url + "|" + version] = node }
    }

    /// The ValueSet a canonical reference names: `url|version` exactly, else the url alone.
    func valueSet(_ reference: String) -> JSONNode? {
        byURL[reference] ?? byURL[String(reference.prefix { $0 != "|" })]
    }
}
