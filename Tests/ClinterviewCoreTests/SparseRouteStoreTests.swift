import ClinterviewTestSupport
import Testing

@testable import ClinterviewCore

/// The linter's what-if store finds each recorded item by number in a sorted
/// list; it must answer as a table of items to states would.
@Suite struct SparseRouteStoreTests {
    @Test(arguments: [0, 1, 2, 3, 7, 16, 33])
    func answersAsATableWould(count: Int) {
        var generator = SplitMix64(state: UInt64(count) + 5)
        for _ in 0..<50 {
            let items = Array(Set((0..<count).map { _ in Int.random(in: 0..<80, using: &generator) })).sorted()
            let states = items.map { _ -> ItemState in
                let choices: [ItemState] = [
                    .open, .inadequate, .known(.number(Double(Int.random(in: 1...3, using: &generator)))),
                ]
                return choices.randomElement(using: &generator)!
            }
            let table = Dictionary(uniqueKeysWithValues: zip(items, states))
            var store = SparseRouteStore(items: items, states: states)
            for item in -1...81 {
                #expect(store.recorded(item) == (table[item] ?? .open))
                // Without a route of its own, the recorded items are on it.
                #expect(store.isEnabled(item) == (table[item] != nil))
            }
            // Taking an item off the route keeps the others on it.
            if let first = items.first {
                store.setEnabled(first, false)
                store.setEnabled(81, true)
                for item in -1...81 {
                    let expected = item == first ? false : item == 81 ? true : table[item] != nil
                    #expect(store.isEnabled(item) == expected)
                }
            }
        }
    }

    @Test func aRouteOfItsOwnStartsEmpty() {
        var store = SparseRouteStore(items: [2, 5], states: [.inadequate, .open], enabled: [:])
        #expect(!store.isEnabled(2) && !store.isEnabled(5))
        store.setEnabled(5, true)
        #expect(store.isEnabled(5) && !store.isEnabled(2))
        #expect(store.recorded(2) == .inadequate)
    }
}
