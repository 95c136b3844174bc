import Testing
import ModelintAnalysis
@testable import ModelintRules

@Suite struct WordPrefilterTests {
    private func contains(_ haystack: String, _ needle: String) -> Bool {
        let bytes = Array(needle.utf8)
        let word = WordPrefilter.Word(bytes: bytes, anchor: bytes.isEmpty ? 0 : WordPrefilter.anchorIndex(bytes))
        return Array(haystack.utf8).withUnsafeBufferPointer { WordPrefilter.contains($0, word) }
    }

    @Test func substringSearch() {
        #expect(contains("model.eval()", "eval"))
        #expect(contains("eval", "eval"))
        #expect(contains("xx evaeval", "eval"))
        #expect(contains("F.dropout", "dropout"))
        #expect(!contains("model.evaL()", "eval"))
        #expect(!contains("eva", "eval"))
        #expect(!contains("", "eval"))
        #expect(!contains("dropou", "dropout"))
        #expect(contains("anything", ""))
    }

    @Test func nonASCIIDetection() {
        for text in ["", "abc", "12345678", "123456789abcdefgh"] {
            #expect(!Array(text.utf8).withUnsafeBufferPointer(WordPrefilter.hasNonASCII), "\(text)")
        }
        for text in ["é", "1234567é", "12345678é", "ｅval", "abcdefghijklmnopq✓"] {
            #expect(Array(text.utf8).withUnsafeBufferPointer(WordPrefilter.hasNonASCII), "\(text)")
        }
    }

    @Test func selectsRulesByTheirWords() {
        let rules: [any NodeRule] = [ML304FunctionalDropoutIgnoresMode(), ML303NonBoolTrainMode(),
                                     ML203GradContextNotEntered()]
        let filter = WordPrefilter(rules)
        #expect(filter.applicableRules(in: Array("x = 1\n".utf8)) == [])
        #expect(filter.applicableRules(in: Array("F.dropout(x)\nm.train(0)\n".utf8)) == [0, 1])
        #expect(filter.applicableRules(in: Array("with torch.no_grad(): pass\n".utf8)) == [2])
        // Rules sharing a word.
        let shared = WordPrefilter([ML301ModeMethodNotCalled(), ML302TrainingFlagAssigned(), ML303NonBoolTrainMode()])
        #expect(shared.applicableRules(in: Array("m.train(1)\n".utf8)) == [0, 1, 2])
        #expect(shared.applicableRules(in: Array("m.eval\n".utf8)) == [0, 1])
        #expect(shared.applicableRules(in: Array("m.fit()\n".utf8)) == [])
        // Non-ASCII text: identifiers may be NFKC spellings of the words, so every rule runs.
        #expect(filter.applicableRules(in: Array("# café\nx = 1\n".utf8)) == [0, 1, 2])
    }
}

extension WordPrefilterTests {
    @Test func anchorsOnTheRarestByte() {
        #expect(WordPrefilter.anchorIndex(Array("eval".utf8)) == 1)
        #expect(WordPrefilter.anchorIndex(Array("no_grad".utf8)) == 3)
        #expect(WordPrefilter.anchorIndex(Array("batch_norm".utf8)) == 0)
    }

    /// Against a naive search, on every position of short strings: words at the start, the end, overlapping.
    @Test func searchAgreesWithNaiveSearch() {
        let haystacks = ["", "e", "ev", "eval", "xeval", "evalx", "evaeval", "vvvv", "evevalv", "train", "trai",
                         "rtrain", "no_gradno_gra", "dropou dropout", "batch_nor batch_norm"]
        let needles = ["eval", "train", "no_grad", "dropout", "batch_norm", "v", "ev"]
        for haystack in haystacks {
            for needle in needles {
                let naive = haystack.contains(needle)
                #expect(contains(haystack, needle) == naive, "\(needle) in \(haystack)")
            }
        }
    }
}
