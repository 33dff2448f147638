enum BuiltInScales {
    /// The rating convention of semi-structured diagnostic interviews.
    static let scid = Scale(
        id: "scid",
        label: LocalizedText("Symptom rating"),
        options: [
            ChoiceOption(code: "?", label: LocalizedText("Inadequate information"), weight: nil, isUnknown: true),
            ChoiceOption(code: "1", label: LocalizedText("Absent or false"), weight: 1),
            ChoiceOption(code: "2", label: LocalizedText("Subthreshold"), weight: 2),
            ChoiceOption(code: "3", label: LocalizedText("Threshold or true"), weight: 3),
        ],
        offset: 0
    )
}
