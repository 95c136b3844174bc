import Testing
import ModelintAnalysis
import ModelintSyntax
@testable import ModelintRules

@Suite struct WordPrefilterTests {
    private func applicable(_ filter: WordPrefilter, _ text: String) -> [Int] {
        let lexed = Parser.parse(SourceBuffer(path: "t.py", text: text), watching: filter.watch)
        return filter.applicableRules(hasNonASCIINames: lexed.hasNonASCIINames, lexedWith: lexed.watch,
                                      watchedNames: lexed.watchedNames)
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
    /// A file lexed without the checker's watch (or with another one) runs every rule.
    @Test func filesLexedWithoutTheWatchRunEveryRule() {
        let filter = WordPrefilter([ML304FunctionalDropoutIgnoresMode(), ML203GradContextNotEntered()])
        let source = SourceBuffer(path: "t.py", text: "x = 1\n")
        let unwatched = Parser.parse(source)
        #expect(filter.applicableRules(hasNonASCIINames: false, lexedWith: unwatched.watch,
                                       watchedNames: unwatched.watchedNames) == [0, 1])
        let other = WordPrefilter([ML301ModeMethodNotCalled()]).watch
        let otherwise = Parser.parse(source, watching: other)
        #expect(filter.applicableRules(hasNonASCIINames: false, lexedWith: otherwise.watch,
                                       watchedNames: otherwise.watchedNames) == [0, 1])
        #expect(applicable(filter, "x = 1\n") == [])
    }
}
