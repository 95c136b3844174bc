import Testing
import ModelintSyntax
@testable import ModelintAnalysis

/// The may-sets of modes and the canonical predicates behind the path sensitivity.
@Suite struct DataflowLatticeTests {
    private func site(_ line: Int, _ text: String) -> SwitchSite {
        SwitchSite(origin: .switchCall, file: "f.py", range: TextRange(line * 10, line * 10 + 5), line: line,
                   description: text)
    }

    @Test func joiningKeepsEveryModeWithItsSites() {
        var a = ModeSet(.train, site: site(1, "`m.train()`"))
        let b = ModeSet(.eval, site: site(2, "`m.eval()`"))
        a.formUnion(b)
        #expect(a.concreteValues == [.train, .eval])
        #expect(a.sites(of: .eval).map(\.line) == [2])
        // Joining is idempotent and sites accumulate per mode.
        a.formUnion(ModeSet(.eval, site: site(7, "`test()`")))
        a.formUnion(a)
        #expect(a.sites(of: .eval).map(\.line).sorted() == [2, 7])
    }

    @Test func entryIsReplacedByTheCallerAndReportedAsUnknownWhenNobodyCalls() {
        let set = ModeSet(.entry)
        #expect(set.concreteValues == [.unknown])
        #expect(!set.contains(.unknown))
    }

    @Test func resitingAttributesInnerSwitchesToTheCall() {
        let inner = ModeSet(.eval, site: site(3, "`model.eval()`"))
        let call = SwitchSite(origin: .functionCall, file: "main.py", range: TextRange(100, 110), line: 12,
                              description: "`evaluate()`", viaFunction: "engine.evaluate")
        let outer = inner.resited(call)
        let wrapped = outer.sites(of: .eval)
        #expect(wrapped.count == 1)
        #expect(wrapped.first?.line == 12 && wrapped.first?.inner.map(\.line) == [3])
    }

    @Test func derivedValuesLoseGradientUnderNoGrad() {
        let forward = CodeSite(file: "f.py", range: TextRange(0, 5), line: 1)
        var taint = Taint()
        taint.forwards[forward] = Contribution(grad: GradSet(.enabled), modes: ModeSet(.train), path: "model")
        let disabled = taint.derived(under: GradSet(.disabled, site: site(4, "`torch.no_grad()`")))
        #expect(disabled.forwards[forward]?.grad.concreteValues == [.disabled])
        let enabled = taint.derived(under: GradSet(.enabled))
        #expect(enabled.forwards[forward]?.grad.concreteValues == [.enabled])
        // Under "may be disabled" both outcomes remain possible.
        let either = taint.derived(under: GradSet(.enabled).union(GradSet(.disabled)))
        #expect(either.forwards[forward]?.grad.concreteValues == [.enabled, .disabled])
    }

    private func key(_ code: String) -> (String, Bool)? {
        let source = SourceBuffer(text: code)
        guard case .expr(let value) = Parser.parse(source).module.body.first?.kind,
              let (key, polarity) = PredicateKey.normalize(value, in: source) else { return nil }
        return (key.text, polarity)
    }

    @Test func predicatesNormaliseSpellingAndNegation() {
        #expect(key("phase == 'train'")! == ("phase == 'train'", true))
        #expect(key("phase  ==  \"train\"")! == ("phase == 'train'", true))
        #expect(key("phase != 'train'")! == ("phase == 'train'", false))
        #expect(key("not args.eval_only")! == ("args.eval_only", false))
        #expect(key("not (mode is None)")! == ("mode is None", false))
        // Calls may have effects and differ between evaluations: never an assumption.
        #expect(key("is_training()") == nil)
        #expect(key("step % 10 == 0") == nil)
    }
}
