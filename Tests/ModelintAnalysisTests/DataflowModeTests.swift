import Testing
import ModelintSyntax
@testable import ModelintAnalysis

/// The mode and grad analysis on small programs: lattice joins, loops, calls, context managers.
@Suite struct DataflowModeTests {
    private func facts(_ code: String, others: [String: String] = [:]) -> FileFacts {
        let (program, errors) = Program.inMemory(given: ["main.py": code], others: others)
        #expect(errors.isEmpty)
        return ModeAnalyzer.analyze(program).facts(for: "main.py")
    }

    private func forward(_ facts: FileFacts, line: Int) -> ForwardFact? {
        facts.forwards.first { $0.site.line == line }
    }

    @Test func loopFixpointCarriesTheEvalIntoTheNextIteration() throws {
        let f = facts("""
            import torch
            model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Dropout(0.5))
            opt = torch.optim.SGD(model.parameters(), lr=0.1)
            model.train()
            for epoch in range(3):
                loss = model(x).sum()
                loss.backward()
                opt.step()
                model.eval()
            """)
        let step = try #require(f.trainingSteps.first)
        let loop = try #require(step.loop)
        #expect(loop.trainBeforeLoop.map(\.line) == [4])
        #expect(loop.evalSites.map(\.line) == [9])
        #expect(loop.loopHeader.line == 5)
        // The forward sees both iterations: train from before the loop, eval from the previous one.
        #expect(forward(f, line: 6)?.mode.values == [.train, .eval])
        #expect(forward(f, line: 6)?.role == .training)
    }

    @Test func evalBeforeTheStepInTheSameIterationIsNotLoopCarried() throws {
        let f = facts("""
            import torch
            model = torch.nn.Linear(2, 2)
            for epoch in range(3):
                model.eval()
                model(x).sum().backward()
                optimizer.step()
            """)
        let step = try #require(f.trainingSteps.first)
        #expect(step.loop == nil)
        #expect(step.evalSites.map(\.line) == [4])
        #expect(step.site.line == 5)
    }

    @Test func gradModeComesFromEachCaller() {
        let code = """
            import torch
            model = torch.nn.Linear(4, 2)
            model.eval()

            def evaluate(m, batch):
                return m(batch).argmax(1)

            with torch.no_grad():
                quiet = evaluate(model, a)
            """
        #expect(forward(facts(code), line: 6)?.grad.values == [.disabled])
        // One fact per calling context.
        let both = facts(code + "\nloud = evaluate(model, b)\n").forwards.filter { $0.site.line == 6 }
        #expect(both.map(\.grad.values).sorted { $0.count < $1.count } == [[.disabled], [.enabled]])
        #expect(both.allSatisfy { $0.mode.values == [.eval] })
        #expect(Set(both.map { $0.callChain.first?.line }) == [9, 10])
    }

    @Test func uncalledFunctionsStartFromUnknown() {
        let f = facts("""
            import torch

            def evaluate(model, loader):
                model.eval()
                return [model(x) for x in loader]
            """)
        let fact = forward(f, line: 5)
        #expect(fact?.mode.values == [.eval])
        #expect(fact?.grad.values == [.unknown])
    }

    @Test func submoduleSwitchLeavesTheParentMixed() {
        let f = facts("""
            import torch
            import torchvision
            model = torchvision.models.resnet18()
            model.train()
            model.layer1.eval()
            loss = model(x).sum()
            loss.backward()
            """)
        #expect(forward(f, line: 6)?.mode.values == [.mixed])
        #expect(f.trainingSteps.isEmpty)
    }

    @Test func correlatedBranchesStayApart() {
        let f = facts("""
            import torch
            model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2))
            for phase in ["train", "val"]:
                if phase == "train":
                    model.train()
                else:
                    model.eval()
                with torch.set_grad_enabled(phase == "train"):
                    loss = model(x).sum()
                    if phase == "train":
                        loss.backward()
            """)
        // Joined over both phases the forward sees both modes; the backward only the training phase.
        #expect(forward(f, line: 9)?.mode.values == [.train, .eval])
        #expect(forward(f, line: 9)?.grad.values == [.enabled, .disabled])
        #expect(f.trainingSteps.isEmpty)
        #expect(f.backwardsUnderNoGrad.isEmpty)
    }

    @Test func unknownCalleeReceivingTheModuleMakesItUnknown() {
        let f = facts("""
            import torch
            import some_library
            model = torch.nn.Linear(2, 2)
            model.eval()
            print(model)
            a = model(x)
            some_library.prepare_for_export(model)
            b = model(x)
            """)
        #expect(forward(f, line: 6)?.mode.values == [.eval])
        #expect(forward(f, line: 8)?.mode.values == [.unknown])
    }

    @Test func trainWithUnknownFlagIsUnknown() {
        let f = facts("""
            import torch
            model = torch.nn.Linear(2, 2)
            model.train(mode=args.training)
            out = model(x)
            model.train(False)
            out2 = model(x)
            model = model.train()
            out3 = model(x)
            """)
        #expect(forward(f, line: 4)?.mode.values == [.unknown])
        #expect(forward(f, line: 6)?.mode.values == [.eval])
        #expect(forward(f, line: 8)?.mode.values == [.train])
    }

    @Test func recursionFallsBackToUnknown() {
        let f = facts("""
            import torch
            model = torch.nn.Linear(2, 2)

            def settle(m, depth):
                if depth:
                    settle(m, depth - 1)
                m.eval()

            def prepare(m):
                m.train()
                settle(m, 3)
                return m(x)

            model.train()
            y = prepare(model)
            """)
        // Inside the recursive call the module's mode is lost; after the outer call it is eval again.
        #expect(f.forwards.contains { $0.site.line == 12 && $0.mode.values == [.eval] })
    }

    @Test func pretrainedModelsStartInEvalMode() {
        let f = facts("""
            import torch
            from transformers import AutoModel
            model = AutoModel.from_pretrained("bert-base-uncased")
            out = model(**batch)
            out.last_hidden_state.sum().backward()
            optimizer.step()
            """)
        #expect(forward(f, line: 4)?.mode.values == [.eval])
        #expect(f.trainingSteps.map(\.site.line) == [5])
    }

    @Test func aModuleNamedTorchStillImportsTheLibrary() {
        // d2l ships d2l/torch.py: its own `import torch` is PyTorch, so `torch.no_grad()` keeps its meaning.
        let code = """
            import torch
            from torch import nn

            def evaluate(net, batches):
                if isinstance(net, nn.Module):
                    net.eval()
                with torch.no_grad():
                    return [net(x) for x in batches]

            model = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5))
            model.load_state_dict(torch.load("m.pt"))
            evaluate(model, [])
            """
        let (program, errors) = Program.inMemory(given: ["d2l/torch.py": code], others: ["d2l/__init__.py": ""])
        #expect(errors.isEmpty)
        let f = ModeAnalyzer.analyze(program).facts(for: "d2l/torch.py")
        let forward = f.forwards.first { $0.site.line == 8 }
        #expect(forward?.mode.values == [.eval])
        #expect(forward?.grad.values == [.disabled])
    }

    @Test func randomWeightsAndDeliberateTrainAreNoEvidence() {
        let f = facts("""
            import torch
            model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Dropout(0.5))
            model(x)
            model.train()
            model(x)
            model.load_state_dict(torch.load("m.pt"))
            model(x)
            optimizer.zero_grad()
            model(x).sum().backward()
            optimizer.step()
            model(x)
            """)
        // Random weights: no origin; explicit train() with no step since: no origin; after the step: evidence.
        #expect(forward(f, line: 3)?.mode.sites(of: .train).isEmpty == true)
        #expect(forward(f, line: 5)?.mode.sites(of: .train).isEmpty == true)
        #expect(forward(f, line: 7)?.mode.sites(of: .train).isEmpty == true)
        #expect(forward(f, line: 11)?.mode.sites(of: .train).map(\.line) == [4])
    }

    @Test func backwardWithoutAnOptimizerStepIsNoTrainingStep() {
        // Fisher information (EWC), saliency maps, adversarial inputs: gradients in eval mode on purpose.
        let f = facts("""
            import torch
            model = torch.nn.Linear(2, 2)
            model.eval()
            for x, y in loader:
                model.zero_grad()
                torch.nn.functional.cross_entropy(model(x), y).backward()
                fisher += [p.grad ** 2 for p in model.parameters()]
            """)
        #expect(forward(f, line: 6)?.role == .training)
        #expect(f.trainingSteps.isEmpty)
    }

    @Test func aStepInTheCallerCompletesABackwardInAHelper() {
        let f = facts("""
            import torch
            model = torch.nn.Linear(2, 2)

            def compute_loss(model, x, y):
                loss = torch.nn.functional.cross_entropy(model(x), y)
                loss.backward()

            model.eval()
            for x, y in loader:
                compute_loss(model, x, y)
                optimizer.step()
            """)
        #expect(f.trainingSteps.map(\.evalSites.first?.line) == [8])
    }

    @Test func generatorContextManagerSetsModeInsideAndRestoresAfter() {
        let f = facts("""
            import torch
            from contextlib import contextmanager

            @contextmanager
            def evaluating(m):
                was = m.training
                m.eval()
                try:
                    yield m
                finally:
                    m.train(was)

            model = torch.nn.Linear(2, 2)
            model.train()
            with evaluating(model):
                inside = model(x)
            after = model(x)
            """)
        #expect(forward(f, line: 16)?.mode.values == [.eval])
        #expect(forward(f, line: 17)?.mode.values == [.train])
    }

    @Test func gradDisabledThroughAHelperReachesTheBackward() throws {
        let f = facts("""
            import torch

            def loss_of(model, batch):
                return model(batch).pow(2).mean()

            model = torch.nn.Linear(2, 2)
            with torch.no_grad():
                loss = loss_of(model, data)
            loss.backward()
            """)
        let fact = try #require(f.backwardsUnderNoGrad.first)
        #expect(fact.site.line == 9)
        #expect(fact.disabledBy.map(\.line) == [7])
    }

    @Test func teacherUnderNoGradIsNotPartOfTheTrainingStep() {
        let f = facts("""
            import torch
            teacher = torch.nn.Linear(2, 2)
            student = torch.nn.Linear(2, 2)
            teacher.eval()
            student.train()
            with torch.no_grad():
                t = teacher(x)
            loss = (student(x) - t).pow(2).mean()
            loss.backward()
            """)
        #expect(forward(f, line: 7)?.role == .evaluation)
        #expect(forward(f, line: 8)?.role == .training)
        #expect(f.trainingSteps.isEmpty)
        #expect(f.backwardsUnderNoGrad.isEmpty)
    }

    @Test func unknownContextManagersMakeTheGradModeUnknown() {
        let f = facts("""
            import contextlib
            import threading
            import torch
            from tqdm import tqdm
            model = torch.nn.Linear(2, 2)
            lock = threading.Lock()

            def pick(flag):
                return torch.no_grad() if flag else contextlib.nullcontext()

            def run(ctx, holder):
                with ctx:
                    model(a)
                with holder.context():
                    model(a)
                with pick(True):
                    model(a)
                with open("log.txt") as out, tqdm(total=1) as bar, lock:
                    model(a)
                with contextlib.nullcontext(), torch.autocast("cpu"):
                    model(a)
                with torch.no_grad():
                    with ctx:
                        model(a)
                    model(a)
                model(a)

            run(torch.inference_mode(), helper)
            """)
        // Unresolved contexts (a parameter, a method of an unknown object, a function returning one of two).
        #expect(forward(f, line: 13)?.grad.values == [.unknown])
        #expect(forward(f, line: 15)?.grad.values == [.unknown])
        #expect(forward(f, line: 17)?.grad.values == [.unknown])
        // Known not to be grad contexts: the grad mode stays.
        #expect(forward(f, line: 19)?.grad.values == [.enabled])
        #expect(forward(f, line: 21)?.grad.values == [.enabled])
        // Leaving an unknown context restores what was there before.
        #expect(forward(f, line: 24)?.grad.values == [.unknown])
        #expect(forward(f, line: 25)?.grad.values == [.disabled])
        #expect(forward(f, line: 26)?.grad.values == [.enabled])
    }

    @Test func aFrozenModuleInEvalIsNoTrainingStepOfItsOwn() {
        func steps(_ freezing: String) -> [String] {
            facts("""
                import torch

                def freeze(module):
                    for p in module.parameters():
                        p.requires_grad = False

                def unfreeze(module):
                    module.requires_grad_(True)

                backbone = torch.hub.load("pytorch/vision", "resnet50", weights="DEFAULT")
                backbone.eval()
                \(freezing)
                head = torch.nn.Linear(1000, 10)
                for x, y in loader:
                    loss = torch.nn.functional.cross_entropy(head(backbone(x)), y)
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
                """).trainingSteps.map(\.modulePath)
        }
        #expect(steps("pass") == ["backbone"])
        #expect(steps("backbone.requires_grad_(False)").isEmpty)
        #expect(steps("backbone.eval().requires_grad_(False)").isEmpty)
        #expect(steps("for p in backbone.parameters(): p.requires_grad = False").isEmpty)
        #expect(steps("for p in backbone.parameters(): p.requires_grad_(False)").isEmpty)
        #expect(steps("for name, p in backbone.named_parameters(): p.requires_grad = False").isEmpty)
        #expect(steps("freeze(backbone)").isEmpty)
        // Only a part frozen, or unfrozen again somewhere (all of it, a part, with a flag): it may train.
        #expect(steps("backbone.layer1.requires_grad_(False)") == ["backbone"])
        #expect(steps("freeze(backbone.layer1)") == ["backbone"])
        #expect(steps("backbone.requires_grad_(False); backbone.requires_grad_(epoch > 3)") == ["backbone"])
        #expect(steps("backbone.requires_grad_(False); backbone.fc.requires_grad_()") == ["backbone"])
        #expect(steps("freeze(backbone); unfreeze(backbone)") == ["backbone"])
        #expect(steps("""
            backbone.requires_grad_(False)
            for name, p in backbone.named_parameters():
                if "layer4" in name:
                    p.requires_grad = True
            """) == ["backbone"])
    }

    @Test func evalBetweenBackwardAndStep() throws {
        let f = facts("""
            import torch
            model = torch.nn.Linear(2, 2)
            optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
            model(x).sum().backward()
            model.eval()
            optimizer.step()
            model.eval()
            """)
        let fact = try #require(f.evalInsideStep.first)
        #expect(f.evalInsideStep.count == 1)
        #expect(fact.evalSite.line == 5)
        #expect(fact.backward.line == 4)
        #expect(fact.optimizerStep.line == 6)
    }

    @Test func factsInAFileThatWasNotGivenAreReportedAtTheCall() throws {
        let f = facts("""
            import torch
            from engine import predict
            model = torch.nn.Linear(2, 2)
            print(predict(model, x))
            """, others: ["engine.py": """
                import torch

                @torch.no_grad()
                def predict(model, batch):
                    return model(batch).argmax(1)
                """])
        let fact = try #require(f.forwards.first)
        #expect(fact.site.file == "main.py" && fact.site.line == 4)
        #expect(fact.origin.file == "engine.py" && fact.origin.line == 5)
        #expect(fact.mode.values == [.train])
        #expect(fact.role == .evaluation)
    }

    @Test func traceSeesTheModeOfItsModule() {
        let f = facts("""
            import torch
            model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Dropout())
            a = torch.jit.trace(model, x)
            model.eval()
            b = torch.export.export(model, (x,))
            """)
        #expect(f.traces.map { $0.mode.values } == [[.train], [.eval]])
        #expect(f.traces.map(\.kind) == [.jitTrace, .export])
    }

    @Test func frameworkMarkerPrecheck() {
        #expect(FrameworkMarkers.mentionsFramework(Array("import torch\n".utf8)))
        #expect(FrameworkMarkers.mentionsFramework(Array("m = AutoModel.from_pretrained('x')".utf8)))
        #expect(!FrameworkMarkers.mentionsFramework(Array("import os\nprint(os.getcwd())\n".utf8)))
        // Markers at the very start and end, cut short, or next to their anchors' other occurrences.
        let markers = ["torch", "timm", "lightning", "from_pretrained"]
        for text in ["torch", "xtorch", "torc", "orch", "hhtorchh", "timm", "tim", "imm", "mmtimmm", "lightning",
                     "lightnin", "ightning", "from_pretrained", "rom_pretrained", "from_pretraine", "pytorch_lightning",
                     "mhmhmh", "", "h", "m"] {
            #expect(FrameworkMarkers.mentionsFramework(Array(text.utf8)) == markers.contains { text.contains($0) },
                    "\(text)")
        }
        // No framework in the program: no dataflow, no facts.
        #expect(facts("def f(model):\n    model.eval()\n    return model(x)\n").forwards.isEmpty)
    }
}

extension DataflowModeTests {
    @Test func lossesCollectedInContainersStillReachTheBackward() {
        let (program, _) = Program.inMemory(given: ["main.py": """
            import torch
            model = torch.nn.Linear(2, 2)
            losses = []
            parts = {}
            losses.append(model(a).sum())
            parts["aux"] = model(b).mean()
            total = torch.stack(losses).sum() + sum(parts.values())
            total.backward()
            """])
        let facts = ModeAnalyzer.analyze(program).facts(for: "main.py")
        #expect(facts.forwards.count == 2)
        #expect(facts.forwards.allSatisfy { $0.role == .training && $0.backwards.map(\.line) == [8] })
    }
}
