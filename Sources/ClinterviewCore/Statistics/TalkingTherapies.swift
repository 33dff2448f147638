/// The NHS Talking Therapies (formerly IAPT) outcome definitions, from PHQ-9
/// and GAD-7 at the first and last measurement.
public struct TalkingTherapiesOutcome: Sendable, Equatable {
    public static let phqCaseness = 10.0
    public static let gadCaseness = 8.0
    public static let phqReliableChange = 6.0
    public static let gadReliableChange = 4.0

    public var caseAtFirst: Bool
    public var caseAtLast: Bool
    /// A case at first, below both thresholds at last.
    public var recovered: Bool
    /// A reliable fall on either measure, and no reliable rise on either.
    public var reliableImprovement: Bool
    /// A reliable rise on either measure, and no reliable fall on either.
    public var reliableDeterioration: Bool
    /// Both recovered and reliably improved.
    public var reliableRecovery: Bool

    public init(phqFirst: Double, gadFirst: Double, phqLast: Double, gadLast: Double) {
        caseAtFirst = phqFirst >= Self.phqCaseness || gadFirst >= Self.gadCaseness
        caseAtLast = phqLast >= Self.phqCaseness || gadLast >= Self.gadCaseness
        recovered = caseAtFirst && !caseAtLast
        let improves = phqFirst - phqLast >= Self.phqReliableChange || gadFirst - gadLast >= Self.gadReliableChange
        let worsens = phqLast - phqFirst >= Self.phqReliableChange || gadLast - gadFirst >= Self.gadReliableChange
        reliableImprovement = improves && !worsens
        reliableDeterioration = worsens && !improves
        reliableRecovery = recovered && reliableImprovement
    }
}
