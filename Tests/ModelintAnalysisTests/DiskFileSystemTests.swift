import Foundation
import Testing
@testable import ModelintAnalysis

@Suite struct DiskFileSystemTests {
    @Test func readsFilesOfEverySizeExactly() throws {
        let folder = NSTemporaryDirectory() + "modelint-read-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for size in [0, 1, 2, 4095, 4096, 4097, 100_000] {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let path = folder + "/f\(size).py"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(try DiskFileSystem().read(path).get() == bytes, "size \(size)")
        }
    }

    /// `/proc` files report size 0 and hold more: reading goes on past the size `fstat` gave.
    @Test func readsPastASizeHintThatIsTooSmall() throws {
        let path = "/proc/self/status"
        guard FileManager.default.fileExists(atPath: path) else { return }
        let bytes = try DiskFileSystem().read(path).get()
        #expect(bytes.count > 100)
        #expect(String(decoding: bytes.prefix(5), as: UTF8.self) == "Name:")
    }

    @Test func reportsMissingFilesAndFolders() {
        #expect(throws: FileSystemError("No such file or directory")) { try DiskFileSystem().read("/nonexistent/x.py").get() }
        #expect(throws: FileSystemError("Is a directory")) { try DiskFileSystem().read("/tmp").get() }
    }

    @Test func listsFoldersAndTellsFilesFromFolders() throws {
        let folder = NSTemporaryDirectory() + "modelint-list-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder + "/pkg", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for name in ["a.py", "é.py", ".hidden"] {
            try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/" + name))
        }
        try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: folder + "/pkg")
        let disk = DiskFileSystem()
        #expect(disk.entries(folder)?.sorted() == [".hidden", "a.py", "link", "pkg", "é.py"])
        #expect(disk.entries(folder + "/pkg") == [])
        #expect(disk.entries(folder + "/missing") == nil)
        #expect(disk.entries(folder + "/a.py") == nil)
        #expect(disk.isFile(folder + "/a.py") && !disk.isDirectory(folder + "/a.py"))
        #expect(disk.isDirectory(folder + "/pkg") && !disk.isFile(folder + "/pkg"))
        #expect(disk.isDirectory(folder + "/link"), "links are followed")
        #expect(!disk.isFile(folder + "/missing") && !disk.isDirectory(folder + "/missing"))
    }
}
