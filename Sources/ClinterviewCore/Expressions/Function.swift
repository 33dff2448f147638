/// The functions of the expression language.
enum Function: String, Sendable, CaseIterable {
    case count, any, all, sum, mean, answeredCount = "answered_count", knownCount = "known_count", answered
    case inadequate, weight, has, size, `if`, min, max, abs, round

    /// The function called `name`.
    init?(name: String) {
        self.init(rawValue: name)
    }
}
