import Testing
import ModelintAnalysis
import ModelintSyntax
@testable import ModelintRules

@Suite struct WordPrefilterTests {
    /// The rules the filter lets through, by the lexer's watch and by the byte search; both are asked, and
    /// the lexer's answer (exact) must never name a rule the byte search (conservative) leaves out.
    private func applicable(_ filter: WordPrefilter, _ text: String,
                            sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [Int] {
        let source = SourceBuffer(path: "t.py", text: text)
        let lexed = Parser.parse(source, watching: filter.watch)
        let byLexer = filter.applicableRules(in: lexed.source.bytes, hasNonASCIINames: lexed.hasNonASCIINames,
                                             lexedWith: lexed.watch, watchedNames: lexed.watchedNames)
        let byBytes = filter.applicableRules(in: lexed.source.bytes, hasNonASCIINames: lexed.hasNonASCIINames,
                                             lexedWith: nil, watchedNames: 0)
        #expect(Set(byLexer).isSubset(of: Set(byBytes)), "\(text)", sourceLocation: sourceLocation)
        return byLexer
    }

    @Test func selectsRulesByTheirWords() {
        let rules: [any NodeRule] = [ML304FunctionalDropoutIgnoresMode(), ML303NonBoolTrainMode(),
                                     ML203GradContextNotEntered()]
        let filter = WordPrefilter(rules)
        #expect(applicable(filter, "x = 1\n") == [])
        #expect(applicable(filter, "F.dropout(x)\nm.train(0)\n") == [0, 1])
        #expect(applicable(filter, "with torch.no_grad(): pass\n") == [2])
        // Rules sharing a word.
        let shared = WordPrefilter([ML301ModeMethodNotCalled(), ML302TrainingFlagAssigned(), ML303NonBoolTrainMode()])
        #expect(applicable(shared, "m.train(1)\n") == [0, 1, 2])
        #expect(applicable(shared, "m.eval\n") == [0, 1])
        #expect(applicable(shared, "m.training = False\n") == [1])
        #expect(applicable(shared, "m.fit()\n") == [])
        // Non-ASCII names may be NFKC spellings of the words, so every rule runs; non-ASCII text elsewhere
        // (comments, strings) does not matter.
        #expect(applicable(filter, "café = 1\n") == [0, 1, 2])
        #expect(applicable(filter, "ｅval = 1\n") == [0, 1, 2])
        #expect(applicable(filter, "# café\nx = 'é'\n") == [])
    }

    /// `.name` words need whole names, `.attribute` words a `.` before them (blanks, backslash continuations,
    /// and inside brackets line breaks and comments in between); strings and comments do not count.
    @Test func wordPositions() {
        let attribute = WordPrefilter([ML301ModeMethodNotCalled()])
        for text in ["m.eval\n", "m . eval\n", "m.\\\n    eval\n", "(m.  # comment\n eval)\n", "m.train()\n",
                     "self.net.eval()\n", "x = [m.eval]\n"] {
            #expect(applicable(attribute, text) == [0], "\(text)")
        }
        for text in ["eval('1')\n", "evaluate(m)\n", "m.evaluate()\n", "m.retrain()\n", "constraint = 1\n",
                     "x = train_loader\n", "m.train_step()\n", "m.eval_mode\n", "def train(): pass\n",
                     "x = 'm.eval'\n", "# call m.train() first\nx = 1\n"] {
            #expect(applicable(attribute, text) == [], "\(text)")
        }
        let name = WordPrefilter([ML203GradContextNotEntered()])
        for text in ["no_grad()\n", "from torch import no_grad as ng\n", "torch.inference_mode()\n", "(enable_grad)\n"] {
            #expect(applicable(name, text) == [0], "\(text)")
        }
        for text in ["no_gradient = 1\n", "my_no_grad()\n", "inference_modes = 2\n"] {
            #expect(applicable(name, text) == [], "\(text)")
        }
        let dropout = WordPrefilter([ML304FunctionalDropoutIgnoresMode()])
        for text in ["F.dropout(x)\n", "F.alpha_dropout(x)\n", "F.dropout2d(x)\n",
                     "from torch.nn.functional import feature_alpha_dropout\n"] {
            #expect(applicable(dropout, text) == [0], "\(text)")
        }
        #expect(applicable(dropout, "self.dropout_rate = 0.1\n") == [])
    }
}

extension WordPrefilterTests {
    /// The byte search's spec, written plainly: every occurrence of the word's bytes, then the position test.
    private func naivelyPresent(_ word: String, _ position: RequiredWord.Position, in text: String) -> Bool {
        let bytes = Array(text.utf8), needle = Array(word.utf8)
        func isName(_ b: UInt8) -> Bool {
            b >= 0x80 || b == 0x5F || (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
        }
        guard bytes.count >= needle.count else { return false }
        for start in 0...(bytes.count - needle.count) where Array(bytes[start..<start + needle.count]) == needle {
            let end = start + needle.count
            if start > 0 && isName(bytes[start - 1]) { continue }
            if end < bytes.count && isName(bytes[end]) { continue }
            if position == .name { return true }
            var before = start - 1
            while before >= 0 && [0x20, 0x09, 0x0C, 0x5C].contains(bytes[before]) { before -= 1 }
            if before >= 0 && [0x2E, 0x0A, 0x0D].contains(bytes[before]) { return true }
        }
        return false
    }

    private struct Probe: NodeRule {
        static let description = ML301ModeMethodNotCalled.description
        let words: [RequiredWord]
        init() { words = [] }
        init(_ words: [RequiredWord]) { self.words = words }
        var nodeKinds: Set<NodeKindTag> { [] }
        var requiredWords: [RequiredWord] { words }
        func check(_ node: AnyNode, _ context: RuleContext, _ sink: inout [Finding]) {}
    }

    /// The byte search against its spec, on every combination of short pieces: words at the start, the end, inside longer
    /// names, after dots, blanks, continuations and line breaks.
    @Test func searchAgreesWithTheSpec() {
        let pieces = ["", "x", ".", " ", "\\\n", "\n", "eval", "train", "training", "no_grad", "dropout", "_", "1", "é",
                      "batch_norm", "(", "evaL", "ev"]
        let words: [RequiredWord] = [.attribute("eval"), .attribute("train"), .attribute("training"), .name("no_grad"),
                                     .name("dropout"), .name("batch_norm"), .name("ev")]
        let filter = WordPrefilter([Probe(words)])
        var checked = 0
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = a + b + c
                    let found = filter.presentWords(in: Array(text.utf8))
                    for (index, word) in words.enumerated() {
                        #expect((found & (1 << UInt64(index)) != 0) == naivelyPresent(word.text, word.position, in: text),
                                "\(word.text) in \(text.debugDescription)")
                    }
                    checked += 1
                }
            }
        }
        #expect(checked == pieces.count * pieces.count * pieces.count)
    }
}
