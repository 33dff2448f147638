#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The files under a directory, at any depth, as paths relative to it, read
/// with POSIX calls: Foundation's directory enumerator cost more per file than
/// replaying it. Like that enumerator, it does not descend into symbolic links
/// to directories; directories it cannot open are skipped.
public enum DirectoryListing {
    public static func files(under directory: String) -> [String] {
        var found: [String] = []
        collect(directory, prefix: "", into: &found)
        return found
    }

    private static func collect(_ directory: String, prefix: String, into found: inout [String]) {
        guard let handle = opendir(directory) else { return }
        defer { closedir(handle) }
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            // The full path is made only for a directory or an entry of
            // unknown type: a directory of answer files has thousands of entries.
            var path: String { directory.hasSuffix("/") ? directory + name : directory + "/" + name }
            let relative = prefix + name
            var isDirectory = Int32(entry.pointee.d_type) == Int32(DT_DIR)
            if Int32(entry.pointee.d_type) == Int32(DT_UNKNOWN) {
                var info = stat()
                isDirectory = lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            }
            found.append(relative)
            if isDirectory { collect(path, prefix: relative + "/", into: &found) }
        }
    }
}
