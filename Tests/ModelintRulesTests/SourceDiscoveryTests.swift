import Foundation
import Testing
@testable import ModelintRules

@Suite struct SourceDiscoveryTests {
    private func makeTree(_ files: [String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("modelint-discovery-\(UUID())").path
        for file in files {
            let path = root + "/" + file
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try Data("x = 1\n".utf8).write(to: URL(fileURLWithPath: path))
        }
        return root
    }

    @Test func walksDirectoriesSortedAndSkipsEnvironments() throws {
        let root = try makeTree([
            "train.py", "pkg/model.py", "pkg/__init__.py", "notes.txt", "a/b/c.py",
            ".git/hooks/x.py", ".venv/lib/y.py", "venv/z.py", "pkg/__pycache__/m.py", "build/b.py", "dist/d.py",
            "site-packages/s.py", "node_modules/n.py",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (files, failures) = SourceDiscovery.pythonFiles(in: [root])
        #expect(failures.isEmpty)
        #expect(files == ["a/b/c.py", "pkg/__init__.py", "pkg/model.py", "train.py"].map { root + "/" + $0 })
    }

    @Test func explicitFilesAndDirectoriesAreTakenAsGiven() throws {
        let root = try makeTree(["build/gen.py", "script", "x.py"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (files, failures) = SourceDiscovery.pythonFiles(in: [root + "/build/", root + "/script", root + "/x.py",
                                                                 root + "//x.py"])
        #expect(failures.isEmpty)
        #expect(files == [root + "/build/gen.py", root + "/script", root + "/x.py"])
    }

    @Test func missingPathIsAFailure() {
        let (files, failures) = SourceDiscovery.pythonFiles(in: ["/nonexistent/modelint/path.py"])
        #expect(files.isEmpty)
        #expect(failures == [.init(path: "/nonexistent/modelint/path.py", message: "No such file or directory")])
    }

    @Test func cleansPaths() {
        #expect(SourceDiscovery.clean("./a//b/") == "a/b")
        #expect(SourceDiscovery.clean(".") == ".")
        #expect(SourceDiscovery.clean("./") == ".")
        #expect(SourceDiscovery.clean("/tmp/./x") == "/tmp/x")
    }
}
