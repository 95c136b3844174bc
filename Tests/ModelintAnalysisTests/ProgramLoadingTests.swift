import Foundation
import Testing
@testable import ModelintAnalysis
import ModelintSyntax

@Suite struct ProgramLoadingTests {
    /// fixtures/projects/<name> of this repository.
    static func fixture(_ name: String) -> String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("fixtures/projects/\(name)").path
    }

    @Test func discoversImportedLocalModulesTransitively() {
        let (program, errors) = Program.inMemory(given: [
            "train.py": """
            import torch
            from engine import evaluate
            import data.loaders
            def main():
                from reporting import report
                report()
            """,
        ], others: [
            "engine.py": "from utils import metrics\n",
            "utils/__init__.py": "",
            "utils/metrics.py": "def accuracy(a, b):\n    return a\n",
            "data/__init__.py": "",
            "data/loaders.py": "",
            "reporting.py": "",
            "unused.py": "import engine\n",
        ])
        #expect(errors.isEmpty)
        #expect(program.files.map(\.path) == [
            "train.py", "engine.py", "data/__init__.py", "data/loaders.py", "reporting.py",
            "utils/__init__.py", "utils/metrics.py",
        ])
        #expect(program.files.map(\.isGiven) == [true, false, false, false, false, false, false])
        #expect(program.file(forModule: "utils.metrics")?.path == "utils/metrics.py")
        #expect(program.file(forModule: "data")?.path == "data/__init__.py")
        #expect(program.file(forModule: "unused") == nil)
        #expect(program.file(forModule: "torch") == nil)
        #expect(program.projectRoot == "/project")
    }

    @Test func importGraphListsLocalImportsOnce() {
        let (program, _) = Program.inMemory(given: [
            "train.py": "import engine\nfrom engine import evaluate\nimport torch\nfrom models import net\n",
        ], others: [
            "engine.py": "", "models/__init__.py": "", "models/net.py": "",
        ])
        let train = program.file(atPath: "train.py")!
        #expect(program.imports(of: train).map(\.path) == ["engine.py", "models/__init__.py", "models/net.py"])
        #expect(program.imports(of: program.file(atPath: "engine.py")!).isEmpty)
    }

    @Test func relativeImportsInsidePackages() {
        let (program, errors) = Program.inMemory(given: [
            "pkg/train.py": "from .engine import run\nfrom . import config\nfrom ..shared import tools\n",
        ], others: [
            "pkg/__init__.py": "",
            "pkg/engine.py": "from .helpers.io import save\n",
            "pkg/helpers/__init__.py": "",
            "pkg/helpers/io.py": "def save():\n    pass\n",
            "pkg/config.py": "",
            "shared/tools.py": "",
        ])
        #expect(errors.isEmpty)
        #expect(Set(program.files.map(\.path)) == [
            "pkg/train.py", "pkg/engine.py", "pkg/config.py", "pkg/__init__.py", "shared/tools.py",
            "pkg/helpers/__init__.py", "pkg/helpers/io.py",
        ])
        #expect(program.file(atPath: "pkg/train.py")?.moduleName == "pkg.train")
        #expect(program.file(atPath: "pkg/helpers/io.py")?.moduleName == "pkg.helpers.io")
    }

    @Test func givenFilesAreSortedAndDeduplicated() {
        let fileSystem = InMemoryFileSystem(files: ["b.py": "import a\n", "a.py": "", "pyproject.toml": ""],
                                            workingDirectory: "/project")
        let (program, errors) = Program.load(paths: ["b.py", "./a.py", "a.py"], fileSystem: fileSystem)
        #expect(errors.isEmpty)
        #expect(program.files.map(\.path) == ["./a.py", "b.py"])
        #expect(program.files.allSatisfy { $0.isGiven })
    }

    @Test func missingAndUndecodableGivenFilesAreErrorsAndOthersStillLoad() {
        let fileSystem = InMemoryFileSystem(files: [
            "good.py": "import broken\nx = 1\n",
            "latin.py": "# -*- coding: klingon -*-\nx = 1\n",
            "broken.py": "def f(:\n",
            "syntax.py": "def f(:\n",
        ], workingDirectory: "/project")
        let (program, errors) = Program.load(paths: ["good.py", "missing.py", "latin.py", "syntax.py"],
                                             projectRoot: "/project", fileSystem: fileSystem)
        #expect(program.files.map(\.path) == ["good.py", "syntax.py", "broken.py"])
        #expect(errors.count == 2)
        let missing = errors.first { $0.path == "missing.py" }
        if case .io(let reason)? = missing?.kind { #expect(reason.contains("No such file")) } else {
            Issue.record("missing.py should be an I/O error")
        }
        let latin = errors.first { $0.path == "latin.py" }
        if case .decode(let diagnostic)? = latin?.kind { #expect(diagnostic.message.contains("klingon")) } else {
            Issue.record("latin.py should be a decoding error")
        }
        // A syntax error is a parsed file with diagnostics, not a load error.
        #expect(program.file(atPath: "syntax.py")?.diagnostics.isEmpty == false)
    }

    @Test func programsAndTheirTablesAreFreed() {
        weak var program: Program?
        weak var scope: Scope?
        do {
            let s = Snippet("import torch.nn as nn\ndef f(model):\n    model.eval()\n    return nn.Linear(2, 2)\n")
            #expect(s.isModule("model", after: "model.eval"))
            program = s.program
            scope = s.model.scope(of: .expr(s.expr("model", after: "model.eval")))
            #expect(scope?.name == "f")
        }
        #expect(program == nil)
        #expect(scope == nil)
    }

    @Test func importCyclesTerminate() {
        let (program, _) = Program.inMemory(given: ["a.py": "import b\n"], others: [
            "b.py": "import c\n", "c.py": "import a\nimport b\n",
        ])
        #expect(program.files.map(\.path) == ["a.py", "b.py", "c.py"])
    }

    /// `import torch` in `torch.py` is the library, in its neighbour `train.py` the local file — whichever of
    /// the two is resolved first (the import cache is shared by the loading threads).
    @Test func aModuleNeverImportsItselfWhateverTheOrder() {
        for _ in 0..<20 {
            let (program, _) = Program.inMemory(given: ["torch.py": "import torch\n", "train.py": "import torch\n",
                                                        "zeta.py": "import torch\n"])
            let torch = program.file(atPath: "torch.py")!
            #expect(program.imports(of: torch).isEmpty)
            #expect(program.imports(of: program.file(atPath: "train.py")!).map(\.path) == ["torch.py"])
            #expect(program.imports(of: program.file(atPath: "zeta.py")!).map(\.path) == ["torch.py"])
        }
    }

    @Test func clashingModuleNamesGetDistinctNames() {
        let (program, _) = Program.inMemory(given: ["tools/engine.py": "", "engine.py": ""])
        #expect(program.files.map(\.moduleName) == ["engine", "tools.engine"])
        #expect(program.file(forModule: "tools.engine")?.path == "tools/engine.py")
    }

    @Test func crossFileFixtureLoadedFromDisk() throws {
        let root = Self.fixture("sem_crossfile")
        let (program, errors) = Program.load(paths: [root + "/scripts/train.py"])
        #expect(errors.isEmpty)
        #expect(program.projectRoot == root)
        let names = program.files.map(\.moduleName)
        // Breadth-first, each file's imports in source order.
        #expect(names == ["train", "engine", "models", "utils.metrics", "models.net", "models.factory",
                          "models.backbone"])
        #expect(program.files.filter(\.isGiven).map(\.moduleName) == ["train"])

        let train = try #require(program.file(atPath: root + "/scripts/train.py"))
        let model = program.semantics(of: train)
        let modelVar = try #require(Snippet.find("model", after: "trainer = ", in: train))
        #expect(model.isModule(modelVar))
        let netClass = try #require(model.moduleClass(of: modelVar))
        #expect(netClass.name.description == "models.net.Net")
        #expect(netClass.isModuleSubclass)
        #expect(netClass.layers == LayerInventory(dropout: 1, batchNorm: 1))

        let trainer = try #require(Snippet.find("trainer", after: "trainer.train", in: train))
        #expect(!model.isModule(trainer))
        #expect(model.classOfInstance(trainer)?.definesOwnTrainMethod == true)
        let trainCall = try #require(Snippet.find("trainer.train", after: nil, in: train))
        #expect(model.resolveFunction(trainCall)?.qualifiedName.description == "engine.Trainer.train")
        let evaluate = try #require(Snippet.find("engine.evaluate", after: nil, in: train))
        let ref = try #require(model.resolveFunction(evaluate))
        #expect(ref.qualifiedName.description == "engine.evaluate")
        #expect(ref.file.isGiven == false)

        // Inside the Trainer (another file), `self.model` is a module: it is switched with .train().
        let engine = try #require(program.file(forModule: "engine"))
        let selfModel = try #require(Snippet.find("self.model", after: "self.model.train", in: engine))
        #expect(program.semantics(of: engine).modulePath(selfModel) == "self.model")
    }

    @Test func srcLayoutFixtureWithRelativeImports() throws {
        let root = Self.fixture("sem_srclayout")
        let (program, errors) = Program.load(paths: [root + "/scripts/predict.py"])
        #expect(errors.isEmpty)
        #expect(program.projectRoot == root)
        #expect(program.files.map(\.moduleName) == [
            "predict", "mlproj", "mlproj.engine", "mlproj.models", "mlproj.utils", "mlproj.models.classifier",
            "mlproj.models.lit",
        ])
        let predict = try #require(program.file(atPath: root + "/scripts/predict.py"))
        let model = program.semantics(of: predict)
        let classifier = try #require(Snippet.find("Classifier", after: "model = ", in: predict))
        #expect(model.qualifiedName(of: classifier)?.description == "mlproj.models.classifier.Classifier")
        let modelVar = try #require(Snippet.find("model", after: "predict(", in: predict))
        let info = try #require(model.moduleClass(of: modelVar))
        #expect(info.layers == LayerInventory(rnnDropout: 1))
        let callee = try #require(Snippet.find("predict", after: "print(", in: predict))
        #expect(model.resolveFunction(callee)?.qualifiedName.description == "mlproj.engine.predict")

        let lit = try #require(program.file(forModule: "mlproj.models.lit"))
        let litClass = try #require(Snippet.definition("LitClassifier", in: lit))
        let litInfo = try #require(program.semantics(of: lit).classInfo(litClass))
        #expect(litInfo.isLightningModule)
        #expect(litInfo.layers == LayerInventory(rnnDropout: 1))
        // The engine's `model` parameter is switched with .eval(): a module, keyed by its own name.
        let engine = try #require(program.file(forModule: "mlproj.engine"))
        let param = try #require(Snippet.find("model", after: "model.eval", in: engine))
        #expect(program.semantics(of: engine).modulePath(param) == "model")
    }
}
