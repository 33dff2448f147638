/// A section with `repeat` is asked up to `max` times: once for each
/// medication, traumatic event or substance. The loader reads it as `max`
/// plain sections, so answers, journals, replay and reports need nothing new:
///
/// - instance 1 keeps the ids as written; instance k > 1 has each of the
///   section's ids (section, items, checks) with `__k` appended, and its
///   conditions and checks read that instance's answers;
/// - every instance but the last ends with a yes/no item
///   `<section>__more<k>` ("add another?"); instance k + 1 is asked only
///   when it is yes (and the section's own condition holds).
public enum RepeatedSection {
    public static let separator = "__"

    public static func instanceID(_ id: String, _ instance: Int) -> String {
        instance == 1 ? id : id + separator + String(instance)
    }

    public static func moreID(section: String, after instance: Int) -> String {
        section + separator + "more" + String(instance)
    }

    /// The instances of `section` (its `repeat` member removed).
    static func instances(of section: JSONObject, at offset: Int, max: Int, prompt: JSONNode?) -> [JSONNode] {
        guard case .string(let sectionID)? = section["id"]?.value else { return [] }
        let items: [JSONNode]
        if case .array(let list)? = section["items"]?.value { items = list } else { items = [] }
        var local = Set<String>()
        for item in items {
            guard case .object(let fields) = item.value else { continue }
            if case .string(let id)? = fields["id"]?.value { local.insert(id) }
            if case .array(let checks)? = fields["checks"]?.value {
                for check in checks {
                    if case .object(let c) = check.value, case .string(let id)? = c["id"]?.value { local.insert(id) }
                }
            }
        }
        return (1...max).map { k in
            let rename = { (id: String) in local.contains(id) ? instanceID(id, k) : id }
            var instanceItems = items.map { renamedItem($0, k, rename) }
            if k < max {
                let promptNode = prompt ?? JSONNode(.string("Add another?"), offset: offset)
                instanceItems.append(
                    JSONNode(
                        .object(
                            JSONObject(members: [
                                member("id", .string(moreID(section: sectionID, after: k)), offset),
                                member("kind", .string("yesno"), offset),
                                JSONMember(key: "prompt", keyOffset: offset, value: promptNode),
                            ])), offset: offset))
            }
            var members: [JSONMember] = []
            for original in section.members where original.key != "repeat" {
                var copy = original
                switch original.key {
                case "id": copy.value = JSONNode(.string(instanceID(sectionID, k)), offset: original.value.offset)
                case "items": copy.value = JSONNode(.array(instanceItems), offset: original.value.offset)
                case "title": copy.value = numbered(original.value, k)
                case "when" where k > 1:
                    if case .string(let when) = original.value.value {
                        copy.value = JSONNode(
                            .string("(\(when)) and \(moreID(section: sectionID, after: k - 1))"),
                            offset: original.value.offset)
                    }
                default: break
                }
                members.append(copy)
            }
            if k > 1, section["when"] == nil {
                members.append(member("when", .string(moreID(section: sectionID, after: k - 1)), offset))
            }
            return JSONNode(.object(JSONObject(members: members)), offset: offset)
        }
    }

    private static func member(_ key: String, _ value: JSONValue, _ offset: Int) -> JSONMember {
        JSONMember(key: key, keyOffset: offset, value: JSONNode(value, offset: offset))
    }

    /// "Medication" becomes "Medication (2)" for the second instance; each
    /// translation likewise.
    private static func numbered(_ title: JSONNode, _ k: Int) -> JSONNode {
        guard k > 1 else { return title }
        switch title.value {
        case .string(let text): return JSONNode(.string("\(text) (\(k))"), offset: title.offset)
        case .object(let translations):
            var copy = translations
            for index in copy.members.indices {
                if case .string(let text) = copy.members[index].value.value {
                    copy.members[index].value = JSONNode(.string("\(text) (\(k))"), offset: title.offset)
                }
            }
            return JSONNode(.object(copy), offset: title.offset)
        default: return title
        }
    }

    private static func renamedItem(_ item: JSONNode, _ k: Int, _ rename: (String) -> String) -> JSONNode {
        guard k > 1, case .object(var fields) = item.value else { return item }
        for index in fields.members.indices {
            let value = fields.members[index].value
            switch (fields.members[index].key, value.value) {
            case ("id", .string(let id)):
                fields.members[index].value = JSONNode(.string(rename(id)), offset: value.offset)
            case ("when", .string(let text)):
                fields.members[index].value = JSONNode(.string(renamedNames(in: text, rename)), offset: value.offset)
            case ("checks", .array(let checks)):
                fields.members[index].value = JSONNode(
                    .array(checks.map { renamedCheck($0, rename) }), offset: value.offset)
            default: break
            }
        }
        return JSONNode(.object(fields), offset: item.offset)
    }

    private static func renamedCheck(_ check: JSONNode, _ rename: (String) -> String) -> JSONNode {
        guard case .object(var fields) = check.value else { return check }
        for index in fields.members.indices {
            let value = fields.members[index].value
            switch (fields.members[index].key, value.value) {
            case ("id", .string(let id)):
                fields.members[index].value = JSONNode(.string(rename(id)), offset: value.offset)
            case ("rule", .string(let text)):
                fields.members[index].value = JSONNode(.string(renamedNames(in: text, rename)), offset: value.offset)
            default: break
            }
        }
        return JSONNode(.object(fields), offset: check.offset)
    }

    /// The expression with every name `rename` changes replaced; strings and
    /// dates are left alone.
    static func renamedNames(in expression: String, _ rename: (String) -> String) -> String {
        var result = ""
        var characters = expression[...]
        while let first = characters.first {
            if first == "'" || first == "\"" {
                let rest = characters.dropFirst()
                let end = rest.firstIndex(of: first) ?? rest.endIndex
                let stop = end < rest.endIndex ? rest.index(after: end) : end
                result += characters[..<stop]
                characters = characters[stop...]
            } else if first == "@" || first.isNumber {
                let end = characters.firstIndex { !($0.isNumber || $0.isLetter || $0 == "-" || $0 == "@" || $0 == ".") }
                let stop = end ?? characters.endIndex
                result += characters[..<stop]
                characters = characters[stop...]
            } else if first.isLetter || first == "_" {
                let end = characters.firstIndex { !($0.isLetter || $0.isNumber || $0 == "_") } ?? characters.endIndex
                result += rename(String(characters[..<end]))
                characters = characters[end...]
            } else {
                result.append(first)
                characters = characters.dropFirst()
            }
        }
        return result
    }
}
