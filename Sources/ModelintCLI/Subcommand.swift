import Foundation

/// Where a command writes. The executable writes to the process's stdout/stderr; tests capture.
public final class OutputStream: @unchecked Sendable {
    private let handle: FileHandle?
    private var captured: [UInt8] = []

    /// Writes through to a file handle.
    public init(_ handle: FileHandle) { self.handle = handle }
    /// Captures everything written, for tests.
    public init() { self.handle = nil }

    public func write(_ text: String) { write(bytes: Array(text.utf8)) }

    public func write(bytes: [UInt8]) {
        if let handle { handle.write(Data(bytes)) } else { captured.append(contentsOf: bytes) }
    }

    public var capturedText: String { String(decoding: captured, as: UTF8.self) }

    public static var standardOutput: OutputStream { OutputStream(FileHandle.standardOutput) }
    public static var standardError: OutputStream { OutputStream(FileHandle.standardError) }
}

/// A `modelint` subcommand. Exit codes follow ruff: 0 success / no findings, 1 findings or a
/// rejected input, 2 usage or I/O error. `SendableMetatype` lets the global registry
/// (`allSubcommands`) hold the metatypes without a Swift 6 concurrency warning.
public protocol Subcommand: SendableMetatype {
    static var name: String { get }
    static var summary: String { get }
    static func run(arguments: [String], stdout: OutputStream, stderr: OutputStream) -> Int32
}
