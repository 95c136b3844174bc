/// A malformed scenario: `path` names the offending key (`model[2].p`, `steps[0].input[1]`), or is empty
/// for a document-level problem such as invalid JSON.
public struct ScenarioError: Error, Equatable, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
