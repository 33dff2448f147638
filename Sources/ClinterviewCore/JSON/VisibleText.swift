/// Text from definitions, answer files, journals and the command line, made
/// safe to show on a terminal: control characters (escape sequences among
/// them), the line and paragraph separators and the bidirectional controls
/// that could rearrange a line are shown as `<U+XXXX>`, so a file cannot set
/// the clipboard, fake a line of output or reorder what is read. The terminal
/// interface and every human-readable command output use this one test.
public enum VisibleText {
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F..<0xA0).contains(value) || value == 0x2028 || value == 0x2029 || value == 0x061C
            || (0x200E...0x200F).contains(value) || (0x202A...0x202E).contains(value)
            || (0x2066...0x2069).contains(value)
    }

    /// `text` with every unsafe scalar shown as `<U+XXXX>`; a line break stays
    /// one when `keepingNewlines` (a whole output), and is shown too otherwise
    /// (a value inside a line).
    public static func escaped(_ text: String, keepingNewlines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { isUnsafe($0) && !(keepingNewlines && $0 == "\n") }) else {
            return text
        }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if !isUnsafe(scalar) || (keepingNewlines && scalar == "\n") {
                result.append(scalar)
            } else {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result.append(
                    contentsOf: "<U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex)>".unicodeScalars)
            }
        }
        return String(result)
    }
}
