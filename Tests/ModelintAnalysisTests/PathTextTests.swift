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
    /// The name under which a file would import itself: the stem of a `.py` file, when it has no dot.
    @Test func importSiteKnowsTheFilesOwnName() {
        let locator = ModuleLocator(fileSystem: InMemoryFileSystem(files: [:]), projectRoot: "/p")
        #expect(locator.importSite(ofFile: "/p/torch.py").ownName == "torch")
        #expect(locator.importSite(ofFile: "/p/é.py").ownName == "é")
        #expect(locator.importSite(ofFile: "/p/torch/__init__.py").ownName == "__init__")
        #expect(locator.importSite(ofFile: "/p/torch.pyi").ownName == nil)
        #expect(locator.importSite(ofFile: "/p/a.b.py").ownName == nil)
        #expect(locator.importSite(ofFile: "/p/.py").ownName == nil)
        #expect(locator.importSite(ofFile: "/p/script").ownName == nil)
    }

    /// `import torch` inside torch.py is the library; from a sibling file it is torch.py.
    @Test func aFileDoesNotImportItselfByAbsoluteName() {
        let files = InMemoryFileSystem(files: ["/p/torch.py": "", "/p/train.py": ""])
        let locator = ModuleLocator(fileSystem: files, projectRoot: "/p")
        #expect(locator.locateAbsolute("torch", from: locator.importSite(ofFile: "/p/torch.py")) == nil)
        #expect(locator.locateAbsolute("torch", from: locator.importSite(ofFile: "/p/train.py"))?.module == .file("/p/torch.py"))
        // The answers are cached per folder and must not leak into each other.
        #expect(locator.locateAbsolute("torch", from: locator.importSite(ofFile: "/p/torch.py")) == nil)
    }
}

@Suite struct ModuleLocatorDottedNameTests {
    /// Package chains are followed up to the first folder without `__init__.py`; folders are cached, so the
    /// same folder asked through different files must give the same chain.
    @Test func dottedNamesFollowThePackageChain() {
        let files = InMemoryFileSystem(files: [
            "/r/pkg/__init__.py": "", "/r/pkg/sub/__init__.py": "", "/r/pkg/sub/m.py": "", "/r/pkg/sub/n.py": "",
            "/r/pkg/a.py": "", "/r/plain/b.py": "", "/r/plain/inner/__init__.py": "", "/r/top.py": "",
        ])
        let locator = ModuleLocator(fileSystem: files, projectRoot: "/r")
        #expect(locator.dottedName(ofFile: "/r/pkg/sub/m.py") == "pkg.sub.m")
        #expect(locator.dottedName(ofFile: "/r/pkg/sub/n.py") == "pkg.sub.n")
        #expect(locator.dottedName(ofFile: "/r/pkg/sub/__init__.py") == "pkg.sub")
        #expect(locator.dottedName(ofFile: "/r/pkg/__init__.py") == "pkg")
        #expect(locator.dottedName(ofFile: "/r/pkg/a.py") == "pkg.a")
        #expect(locator.dottedName(ofFile: "/r/plain/b.py") == "b")
        #expect(locator.dottedName(ofFile: "/r/plain/inner/__init__.py") == "inner")
        #expect(locator.dottedName(ofFile: "/r/top.py") == "top")
        #expect(locator.dottedName(ofFile: "/r/pkg/sub/m.py") == "pkg.sub.m")
    }
}
