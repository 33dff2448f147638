import Testing

@testable import ClinterviewCore

/// Every rule at its boundary (NHS Talking Therapies definitions, shared/notes/clinical-facts.md).
@Suite struct TalkingTherapiesTests {
    func outcome(_ phq: (Double, Double), _ gad: (Double, Double)) -> TalkingTherapiesOutcome {
        TalkingTherapiesOutcome(phqFirst: phq.0, gadFirst: gad.0, phqLast: phq.1, gadLast: gad.1)
    }

    @Test func casenessThresholds() {
        #expect(outcome((10, 0), (0, 0)).caseAtFirst)
        #expect(!outcome((9, 0), (7, 0)).caseAtFirst)
        #expect(outcome((9, 0), (8, 0)).caseAtFirst)
    }

    @Test func recoveryNeedsCasenessFirstAndBothBelowLast() {
        #expect(outcome((15, 9), (10, 7)).recovered)
        #expect(!outcome((15, 10), (10, 7)).recovered)
        #expect(!outcome((15, 9), (10, 8)).recovered)
        #expect(!outcome((9, 3), (7, 2)).recovered, "not a case at the first measurement")
    }

    @Test func aPHQ9DropOfExactlySixIsReliableAndFiveIsNot() {
        #expect(outcome((16, 10), (5, 5)).reliableImprovement)
        #expect(!outcome((16, 11), (5, 5)).reliableImprovement)
    }

    @Test func aGAD7DropOfExactlyFourIsReliableAndThreeIsNot() {
        #expect(outcome((12, 12), (12, 8)).reliableImprovement)
        #expect(!outcome((12, 12), (12, 9)).reliableImprovement)
    }

    @Test func deteriorationMirrorsImprovement() {
        #expect(outcome((8, 14), (5, 5)).reliableDeterioration)
        #expect(!outcome((8, 13), (5, 5)).reliableDeterioration)
        #expect(outcome((8, 8), (5, 9)).reliableDeterioration)
        #expect(!outcome((8, 8), (5, 8)).reliableDeterioration)
    }

    @Test func aReliableRiseOnOneMeasureCancelsAReliableFallOnTheOther() {
        let mixed = outcome((20, 14), (5, 9))
        #expect(!mixed.reliableImprovement)
        #expect(!mixed.reliableDeterioration)
    }

    @Test func reliableRecoveryNeedsBoth() {
        #expect(outcome((16, 9), (9, 5)).reliableRecovery)
        #expect(!outcome((12, 9), (9, 7)).reliableRecovery, "recovered but PHQ fell by 3 and GAD by 2: not reliable")
        #expect(!outcome((20, 12), (10, 5)).reliableRecovery, "reliably improved but still a case")
    }
}
