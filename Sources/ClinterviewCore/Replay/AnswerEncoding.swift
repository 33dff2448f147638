extension AnswerInput {
    /// The answer as it is written in answer files and journals.
    public var json: JSONOutput {
        switch self {
        case .code(let code): .string(code)
        case .codes(let codes): .array(codes.map(JSONOutput.string))
        case .bool(let value): .bool(value)
        case .number(let value): .number(value)
        case .duration(let amount, let unit): .string("\(formatNumber(amount)) \(unit.rawValue)")
        case .date(let text): .string(text)
        case .text(let text): .string(text)
        }
    }
}
