import Testing
@testable import ModelintAnalysis

@Suite struct PathTextTests {
    /// Every path of up to four components drawn from the awkward ones (empty, ".", "..", names that start
    /// or end with dots), with and without a leading and a trailing slash: the shortcut for paths that are
    /// already normal must give what rebuilding them gives.
    @Test func normalizeAgreesWithRebuildingOnEveryShortPath() {
        let components = ["", ".", "..", "a", "bc", "...", ".a", "a.", "é"]
        var paths: [String] = ["", "/", ".", ".."]
        var frontier: [[String]] = [[]]
        for _ in 0..<4 {
            frontier = frontier.flatMap { prefix in components.map { prefix + [$0] } }
            for parts in frontier {
                let body = parts.joined(separator: "/")
                paths += [body, "/" + body, body + "/", "/" + body + "/"]
            }
        }
        var shortcuts = 0
        for path in paths {
            #expect(PathText.normalize(path) == PathText.rebuilt(path), "\(path)")
            if PathText.isNormal(path) {
                shortcuts += 1
                #expect(PathText.rebuilt(path) == path, "\(path) is not normal")
            }
        }
        #expect(shortcuts > 1000)
    }

    @Test func directoryAndLastComponent() {
        #expect(PathText.directory(of: "/a/b/c.py") == "/a/b")
        #expect(PathText.directory(of: "c.py") == ".")
        #expect(PathText.directory(of: "/c.py") == "/")
        #expect(PathText.directory(of: "/é/ü.py") == "/é")
        #expect(PathText.lastComponent("/a/b/c.py") == "c.py")
        #expect(PathText.lastComponent("c.py") == "c.py")
        #expect(PathText.lastComponent("/é/ü.py") == "ü.py")
        #expect(PathText.lastComponent("/a/") == "")
    }
}

@Suite struct ModuleLocatorNameTests {
    @Test func fileIsNamedMatchesOnlyTheWholeStem() {
        #expect(ModuleLocator.fileIsNamed("/p/torch.py", "torch"))
        #expect(ModuleLocator.fileIsNamed("torch.py", "torch"))
        #expect(!ModuleLocator.fileIsNamed("/p/mytorch.py", "torch"))
        #expect(!ModuleLocator.fileIsNamed("/p/torch.pyi", "torch"))
        #expect(!ModuleLocator.fileIsNamed("/p/torch/__init__.py", "torch"))
        #expect(!ModuleLocator.fileIsNamed("/p/a.b.py", "a.b"))
        #expect(!ModuleLocator.fileIsNamed("/p/t.py", "torch"))
        #expect(ModuleLocator.fileIsNamed("/p/é.py", "é"))
    }
}
