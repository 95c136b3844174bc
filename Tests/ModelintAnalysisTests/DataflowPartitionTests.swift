import Testing
import ModelintSyntax
@testable import ModelintAnalysis

/// The analysis split over groups of files (one per core) must find exactly what one analyzer finds,
/// including calls that cross group boundaries in both directions.
@Suite struct DataflowPartitionTests {
    /// Files `m0`...`m{n-1}`: each defines a helper that switches to eval and evaluates, and a training loop
    /// that calls the helper of the *next* file (the last one calls the first), so every group boundary is
    /// crossed; every third file also has a module-level script using its own helpers.
    private func program(files n: Int) -> Program {
        var given: [String: String] = [:]
        for i in 0..<n {
            let next = (i + 1) % n
            var code = """
                import torch
                import torch.nn.functional as F
                from m\(next) import evaluate_\(next)


                def evaluate_\(i)(model, loader):
                    model.eval()
                    with torch.no_grad():
                        return [model(x) for x in loader]


                def predict_\(i)(model, batch):
                    return model(batch).argmax(1)


                def train_\(i)(model, optimizer, loader, val_loader):
                    model.train()
                    for epoch in range(3):
                        for x, y in loader:
                            optimizer.zero_grad()
                            F.cross_entropy(model(x), y).backward()
                            optimizer.step()
                        evaluate_\(next)(model, val_loader)
                        print(predict_\(i)(model, x))

                """
            if i % 3 == 0 {
                code += """

                    net = torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.Dropout(0.5))
                    net.load_state_dict(torch.load("w.pt"))
                    with torch.no_grad():
                        print(predict_\(i)(net, torch.randn(2, 4)))
                    opt = torch.optim.SGD(net.parameters(), lr=0.1)
                    train_\(i)(net, opt, [], [])

                    """
            }
            given["m\(i).py"] = code
        }
        return Program.inMemory(given: given, others: [:]).0
    }

    /// Everything a rule can read, in a canonical order.
    private func summary(_ facts: ProgramFacts, files: Int) -> [String] {
        var lines: [String] = []
        for i in 0..<files {
            let f = facts.facts(for: "m\(i).py")
            for forward in f.forwards {
                lines.append("F \(forward.site.file):\(forward.site.line):\(forward.site.range.start) \(forward.role) "
                    + "\(forward.mode.values.sorted()) \(forward.grad.values.sorted()) "
                    + "\(forward.mode.sites(of: .train).map(\.line)) \(forward.mode.sites(of: .eval).map(\.line))")
            }
            for step in f.trainingSteps {
                lines.append("S \(step.site.file):\(step.site.line) \(step.evalSites.map(\.line)) \(step.loop?.loopHeader.line ?? -1)")
            }
            for trace in f.traces { lines.append("T \(trace.site.file):\(trace.site.line)") }
            for fact in f.evalInsideStep { lines.append("E \(fact.evalSite.file):\(fact.evalSite.line)") }
            for fact in f.backwardsUnderNoGrad { lines.append("B \(fact.site.file):\(fact.site.line)") }
        }
        return lines.sorted()
    }

    @Test(arguments: [2, 3, 7])
    func groupsFindWhatOneAnalyzerFinds(groups: Int) {
        let files = 21
        let single = summary(ModeAnalyzer(program: program(files: files)).run(), files: files)
        let split = summary(ModeAnalyzer(program: program(files: files)).runPartitioned(groups: groups), files: files)
        #expect(!single.isEmpty)
        // The cross-file loop bug is found in every file (ML101's fact), so the comparison is not vacuous.
        #expect(single.filter { $0.hasPrefix("S ") }.count >= files)
        #expect(split == single)
    }
}
