import ModelintAnalysis
import ModelintSyntax

/// A rule of the catalogue. Every rule type is listed in `RuleRegistry.all`.
public protocol Rule: Sendable {
    static var description: RuleDescription { get }
}

/// A rule that looks at one node at a time. The engine walks each given file once and hands every node to
/// the rules that asked for its kind, with the node's ancestors in the context (swift-format style).
public protocol NodeRule: Rule {
    init()
    /// The node kinds this rule is called for; fixed for the rule's lifetime.
    var nodeKinds: Set<NodeKindTag> { get }
    func check(_ node: AnyNode, _ context: RuleContext, _ sink: inout [Finding])
    /// Words of which at least one must be spelled in a file for this rule to report anything there
    /// (`[.name("dropout"), ...]` for a rule about `F.dropout`). Files without any are not walked for the rule,
    /// and their trees are not kept. Empty (the default): every file.
    var requiredWords: [RequiredWord] { get }
}

extension NodeRule {
    public var requiredWords: [RequiredWord] { [] }
}

/// A rule that reads the dataflow facts of a file (mode and grad state along every path).
public protocol AnalysisRule: Rule {
    init()
    func check(_ facts: FileFacts, _ context: RuleContext, _ sink: inout [Finding])
}

extension Rule {
    /// The finding this rule reports at `range` of the context's file.
    public static func finding(_ message: String, at range: TextRange, in context: RuleContext,
                               fix: Fix? = nil) -> Finding {
        Finding(code: description.code, message: message, file: context.file.path, range: range,
                severity: description.severity, fix: fix)
    }
}

/// A word that must be spelled in a file for a node rule to report there (`NodeRule.requiredWords`).
public struct RequiredWord: Sendable, Hashable {
    public enum Position: Sendable, Hashable {
        /// A whole name (`no_grad`, not `no_grad_mode`).
        case name
        /// A whole name right after a `.`: an attribute (`model.eval`, not the builtin `eval(...)`).
        case attribute
    }

    public let text: String
    public let position: Position

    public static func name(_ text: String) -> RequiredWord { RequiredWord(text: text, position: .name) }
    public static func attribute(_ text: String) -> RequiredWord { RequiredWord(text: text, position: .attribute) }
}
