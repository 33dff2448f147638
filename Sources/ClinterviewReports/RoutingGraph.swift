import ClinterviewCore

/// A picture of an interview's routing: sections in order within their
/// modules, the conditions that skip them, and the rules feeding diagnoses.
public enum RoutingGraph {
    public enum Format: String, Sendable, CaseIterable {
        case dot, mermaid
    }

    struct Node {
        enum Shape { case module, section, item, criterion, diagnosis, value, score, alert }
        var id: String
        var label: String
        var shape: Shape
        var conditional: Bool
        var cluster: Int?
    }

    struct Edge {
        var from: String
        var to: String
        var label: String?
        enum Kind { case sequence, condition, feeds }
        var kind: Kind
    }

    public static func render(_ interview: Interview, format: Format) -> String {
        let (nodes, edges) = build(interview)
        switch format {
        case .dot: return dot(interview, nodes, edges)
        case .mermaid: return mermaid(interview, nodes, edges)
        }
    }

    static func sectionNode(_ index: Int) -> String { "section_\(index)" }
    static func itemNode(_ index: Int) -> String { "item_\(index)" }
    static func ruleNode(_ index: Int) -> String { "rule_\(index)" }

    static func build(_ interview: Interview) -> ([Node], [Edge]) {
        func text(_ t: LocalizedText?) -> String { t?.resolved(nil, fallbacks: interview.languages) ?? "" }
        var nodes: [Node] = []
        var edges: [Edge] = []
        /// Where an item is drawn: its own node when it has a condition, else its section's.
        func place(_ item: Int) -> String {
            interview.items[item].condition != nil ? itemNode(item) : sectionNode(interview.items[item].section)
        }
        func sources(of condition: Condition) -> [String] {
            let refs = condition.expression.directReferences
            var places = refs.items.map(place)
            places += refs.rules.map(ruleNode)
            return Array(Set(places)).sorted()
        }
        var previous: String?
        for (moduleIndex, module) in interview.modules.enumerated() {
            for sectionIndex in module.sectionRange {
                let section = interview.sections[sectionIndex]
                let plain = section.itemRange.filter {
                    interview.items[$0].condition == nil && interview.items[$0].kind.isAnswerable
                }
                var ids = plain.prefix(8).map { interview.items[$0].id }.joined(separator: ", ")
                if plain.count > 8 { ids += ", … (\(plain.count) items)" }
                let conditional =
                    section.condition != nil || (sectionIndex == module.sectionRange.first && module.condition != nil)
                nodes.append(
                    Node(
                        id: sectionNode(sectionIndex), label: "\(text(section.title))\n\(ids)", shape: .section,
                        conditional: conditional, cluster: moduleIndex))
                if let previous {
                    edges.append(Edge(from: previous, to: sectionNode(sectionIndex), label: nil, kind: .sequence))
                }
                previous = sectionNode(sectionIndex)
                for condition in [
                    section.condition, sectionIndex == module.sectionRange.first ? module.condition : nil,
                ].compactMap({ $0 }) {
                    for source in sources(of: condition) {
                        edges.append(
                            Edge(from: source, to: sectionNode(sectionIndex), label: condition.source, kind: .condition)
                        )
                    }
                }
                for itemIndex in section.itemRange {
                    guard let condition = interview.items[itemIndex].condition else { continue }
                    nodes.append(
                        Node(
                            id: itemNode(itemIndex), label: interview.items[itemIndex].id, shape: .item,
                            conditional: true, cluster: moduleIndex))
                    edges.append(
                        Edge(from: sectionNode(sectionIndex), to: itemNode(itemIndex), label: nil, kind: .sequence))
                    for source in sources(of: condition) where source != itemNode(itemIndex) {
                        edges.append(
                            Edge(from: source, to: itemNode(itemIndex), label: condition.source, kind: .condition))
                    }
                }
            }
        }
        for (index, rule) in interview.rules.enumerated() {
            let shape: Node.Shape =
                switch rule.kind {
                case .criterion: .criterion
                case .diagnosis: .diagnosis
                case .value: .value
                case .score: .score
                }
            nodes.append(Node(id: ruleNode(index), label: rule.id, shape: shape, conditional: false, cluster: nil))
            let refs = rule.expression.expression.directReferences
            for source in Set(refs.items.map(place)).sorted() {
                edges.append(Edge(from: source, to: ruleNode(index), label: nil, kind: .feeds))
            }
            for source in refs.rules.sorted() {
                edges.append(Edge(from: ruleNode(source), to: ruleNode(index), label: nil, kind: .feeds))
            }
        }
        for (index, alert) in interview.alerts.enumerated() {
            let id = "alert_\(index)"
            nodes.append(
                Node(
                    id: id, label: "\(alert.severity.rawValue): \(alert.id)", shape: .alert, conditional: false,
                    cluster: nil))
            for source in sources(of: alert.condition) {
                edges.append(Edge(from: source, to: id, label: nil, kind: .feeds))
            }
        }
        return (nodes, edges)
    }

    static func clip(_ text: String, _ limit: Int = 48) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    // MARK: Graphviz

    static func dotQuote(_ text: String) -> String {
        "\""
            + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    static func dot(_ interview: Interview, _ nodes: [Node], _ edges: [Edge]) -> String {
        var out = "digraph interview {\n"
        out +=
            "  label=\(dotQuote("\(interview.title.resolved(nil, fallbacks: interview.languages)) \(interview.version)")); labelloc=t; rankdir=TB;\n"
        out += "  node [fontname=\"Helvetica\", fontsize=10]; edge [fontname=\"Helvetica\", fontsize=8];\n"
        func attributes(_ node: Node) -> String {
            var style: [String] = []
            switch node.shape {
            case .section, .module: style = ["shape=box", "style=\"rounded\(node.conditional ? ",dashed" : "")\""]
            case .item: style = ["shape=note", "style=dashed"]
            case .criterion: style = ["shape=ellipse"]
            case .diagnosis: style = ["shape=doubleoctagon", "style=bold"]
            case .value: style = ["shape=ellipse", "style=dotted"]
            case .score: style = ["shape=house"]
            case .alert: style = ["shape=octagon", "color=red", "fontcolor=red"]
            }
            return "[label=\(dotQuote(node.label)), \(style.joined(separator: ", "))]"
        }
        for (moduleIndex, module) in interview.modules.enumerated() {
            out += "  subgraph cluster_\(moduleIndex) {\n"
            out +=
                "    label=\(dotQuote(module.title.resolved(nil, fallbacks: interview.languages) + (module.condition.map { "\nwhen " + clip($0.source) } ?? ""))); style=rounded; color=gray;\n"
            for node in nodes where node.cluster == moduleIndex { out += "    \(node.id) \(attributes(node));\n" }
            out += "  }\n"
        }
        for node in nodes where node.cluster == nil { out += "  \(node.id) \(attributes(node));\n" }
        for edge in edges {
            var attrs: [String] = []
            switch edge.kind {
            case .sequence: attrs = ["color=gray"]
            case .condition: attrs = ["style=dashed", "color=blue", "fontcolor=blue"]
            case .feeds: attrs = ["color=darkgreen", "arrowhead=vee"]
            }
            if let label = edge.label { attrs.append("label=\(dotQuote(clip(label)))") }
            out += "  \(edge.from) -> \(edge.to) [\(attrs.joined(separator: ", "))];\n"
        }
        return out + "}\n"
    }

    // MARK: Mermaid

    static func mermaidText(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "#quot;").replacingOccurrences(of: "\n", with: "<br/>") + "\""
    }

    static func mermaid(_ interview: Interview, _ nodes: [Node], _ edges: [Edge]) -> String {
        var out = "flowchart TB\n"
        func shape(_ node: Node) -> String {
            let label = mermaidText(node.label)
            return switch node.shape {
            case .section, .module: "(\(label))"
            case .item: "[/\(label)/]"
            case .criterion, .value: "([\(label)])"
            case .diagnosis: "{{\(label)}}"
            case .score: "[[\(label)]]"
            case .alert: ">\(label)]"
            }
        }
        for (moduleIndex, module) in interview.modules.enumerated() {
            out +=
                "  subgraph module_\(moduleIndex)[\(mermaidText(module.title.resolved(nil, fallbacks: interview.languages)))]\n"
            for node in nodes where node.cluster == moduleIndex { out += "    \(node.id)\(shape(node))\n" }
            out += "  end\n"
        }
        for node in nodes where node.cluster == nil { out += "  \(node.id)\(shape(node))\n" }
        for edge in edges {
            switch edge.kind {
            case .sequence: out += "  \(edge.from) --> \(edge.to)\n"
            case .condition: out += "  \(edge.from) -. \(mermaidText(clip(edge.label ?? ""))) .-> \(edge.to)\n"
            case .feeds: out += "  \(edge.from) ==> \(edge.to)\n"
            }
        }
        return out
    }
}
