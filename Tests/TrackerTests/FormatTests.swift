import Testing
import Tracker

@Suite("How figures are written")
struct FormatTests {
    @Test("counts, dollars from exact text, shares, changes, durations")
    func figures() {
        #expect(Format.count(0) == "0" && Format.count(999) == "999" && Format.count(1_234_567) == "1,234,567")
        #expect(Format.count(1, "country", "countries") == "1 country")
        #expect(Format.count(0, "country", "countries") == "0 countries")
        #expect(Format.count(12_345, "alert", "alerts") == "12,345 alerts")
        #expect(Format.usd(Money("1234567.5")) == "$1,234,567.50")
        #expect(Format.usd(Money("0.00")) == "$0.00" && Format.usd(Money("-12.345")) == "−$12.34")
        #expect(Format.percent(0.1234) == "12.3%" && Format.percent(1) == "100.0%")
        #expect(Format.change(.between(200, 240)) == "+20.0%")
        #expect(Format.change(.between(240, 200)) == "−16.7%")
        #expect(Format.change(.between(5, 5)) == "±0.0%" && Format.change(.between(0, 3)) == "new")
        // A period not wholly loaded is not compared: "no data" is never "new".
        #expect(Format.change(Change.between(0, 3).unless(loaded: 5, of: 30)) == "not comparable: 5 of 30 days loaded")
        #expect(Format.change(Change.between(0, 3).unless(loaded: 0, of: 1)) == "no data then")
        #expect(Change.between(200, 240).unless(loaded: 30, of: 30) == .relative(0.2))
        #expect(Format.change(.between(0, 0)) == "±0.0%")
        #expect(Format.change(.points(0.371, 0.3)) == "−7.1 pts" && Format.change(.points(nil, 0.3)) == "—")
        #expect(
            Format.duration(59) == "59 s" && Format.duration(600) == "10 min" && Format.duration(7200) == "2 h 00 min")
        #expect(
            Format.clock(1_000 + 7_260, day: 1_000) == "02:01" && Format.clock(1_000 + 86_400, day: 1_000) == "24:00")
        #expect(Format.timestamp(1_795_219_200 + 6 * 3600) == "2026-11-21 06:00 UTC")
    }

    @Test("any double at all is written, none traps: not a number, infinities, beyond whole numbers")
    func anyDouble() {
        #expect(Format.decimal(.nan, places: 2) == "—")
        #expect(Format.decimal(.infinity, places: 1) == "∞" && Format.decimal(-.infinity, places: 1) == "−∞")
        #expect(Format.decimal(1e17, places: 2) == "1.0 × 10^17")
        #expect(Format.decimal(-Double(Int.max), places: 3) == "−9.2 × 10^18")
        #expect(Format.decimal(.greatestFiniteMagnitude, places: 0).hasSuffix("× 10^308"))
        #expect(Format.percent(.nan) == "—%" || Format.percent(.nan) == "—")
        #expect(Format.decimal(1234.5, places: 9) == "1,234.500000")
    }
}
