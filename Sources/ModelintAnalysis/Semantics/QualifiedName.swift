/// A resolved dotted name such as `torch.nn.Dropout`. Rules match these, never the spelling in the source
/// (`nn.Dropout`, `Dropout` after `from torch.nn import Dropout`, ... all resolve to the same name).
public struct QualifiedName: Hashable, Sendable, CustomStringConvertible {
    public let segments: [String]

    public init(segments: [String]) { self.segments = segments }

    public init(_ dotted: String) {
        self.segments = dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    public var description: String { segments.joined(separator: ".") }

    public func matches(_ dotted: String) -> Bool { description == dotted }

    /// `torch.nn.Dropout`.last == "Dropout".
    public var last: String { segments.last ?? "" }

    public func appending(_ segment: String) -> QualifiedName { QualifiedName(segments: segments + [segment]) }

    public func hasPrefix(_ other: QualifiedName) -> Bool {
        other.segments.count <= segments.count && Array(segments.prefix(other.segments.count)) == other.segments
    }
}
