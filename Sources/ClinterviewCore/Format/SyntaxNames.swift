extension Syntax {
    /// Every name the expression mentions (items, rules, range ends), with offsets.
    var referencedNames: [(name: String, offset: Int)] {
        var names: [(String, Int)] = []
        collectNames(into: &names)
        return names
    }

    private func collectNames(into names: inout [(String, Int)]) {
        switch self {
        case .name(let name, let at): names.append((name, at))
        case .range(let first, let last, let at, let endAt):
            names.append((first, at))
            names.append((last, endAt))
        case .list(let elements, _), .call(_, let elements, _), .memberPredicate(let elements, _, _):
            for element in elements { element.collectNames(into: &names) }
        case .not(let inner, _), .negate(let inner, _), .predicate(_, let inner, _):
            inner.collectNames(into: &names)
        case .logical(_, let a, let b, _), .comparison(_, let a, let b, _), .arithmetic(_, let a, let b, _):
            a.collectNames(into: &names)
            b.collectNames(into: &names)
        case .membership(let subject, let candidates, _, _):
            subject.collectNames(into: &names)
            for candidate in candidates { candidate.collectNames(into: &names) }
        case .number, .string, .boolean, .inadequateCode, .duration, .date, .none:
            break
        }
    }
}
