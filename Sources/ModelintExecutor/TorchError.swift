/// An error PyTorch itself would raise for the same call, carrying PyTorch's message verbatim so the
/// scenario runner can report exactly what `torch` would print.
public struct TorchError: Error, Equatable, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
