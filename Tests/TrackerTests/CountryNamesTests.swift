import Testing
import Tracker

@Suite("Countries named by the standard, not by the feed's text")
struct CountryNamesTests {
    @Test("common names where the standard gives them; Kosovo's user-assigned code; nothing for an unassigned one")
    func names() {
        #expect(CountryNames.name("CN") == "China" && CountryNames.name("GB") == "United Kingdom")
        #expect(CountryNames.name("TW") == "Taiwan" && CountryNames.name("BO") == "Bolivia")
        #expect(CountryNames.name("XK") == "Kosovo")
        #expect(CountryNames.name("ZZ") == nil && CountryNames.name("C2") == nil && CountryNames.name("cn") == nil)
    }
}
