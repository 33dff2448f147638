extension Syntax {
    /// Calls `body` with every name the expression mentions (items, rules,
    /// range ends) and its offset, in order, without collecting them.
    func forEachName(_ body: (String, Int) -> Void) {
        switch self {
        case .name(let name, let at): body(name, at)
        case .range(let first, let last, let at, let endAt):
            body(first, at)
            body(last, endAt)
        case .list(let elements, _), .call(_, let elements, _), .memberPredicate(let elements, _, _):
            for element in elements { element.forEachName(body) }
        case .not(let inner, _), .negate(let inner, _), .predicate(_, let inner, _):
            inner.forEachName(body)
        case .logical(_, let a, let b, _), .comparison(_, let a, let b, _), .arithmetic(_, let a, let b, _):
            a.forEachName(body)
            b.forEachName(body)
        case .membership(let subject, let candidates, _, _):
            subject.forEachName(body)
            for candidate in candidates { candidate.forEachName(body) }
        case .number, .string, .boolean, .inadequateCode, .duration, .date, .none:
            break
        }
    }
}
