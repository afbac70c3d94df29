import Testing
import Tracker

@Suite("Names from outside, cleaned")
struct TextCleaningTests {
    @Test("bidirectional overrides and controls go; joiners (emoji) and every other character stay")
    func controls() {
        #expect("gnp.exe\u{202E}fdp".withoutFormatCharacters() == "gnp.exefdp")
        #expect("a\u{2066}b\u{2069}\u{200F}c\u{0007}".withoutFormatCharacters() == "abc")
        let family = "👨\u{200D}👩\u{200D}👧 Sigur Rós 日本"
        #expect(family.withoutFormatCharacters() == family)
    }
}
