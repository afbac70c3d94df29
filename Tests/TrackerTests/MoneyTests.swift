import Testing
import Tracker

@Suite("Money: exact decimal text and whole cents, both ways")
struct MoneyTests {
    @Test(
        "cents of the text PostgreSQL gives, and the text of cents",
        arguments: [
            ("1234.50", 123_450, "1234.50"), ("1234.5", 123_450, "1234.50"), ("7", 700, "7.00"),
            ("-0.07", -7, "-0.07"), ("0.00", 0, "0.00"), ("-12.3", -1_230, "-12.30"), ("0.999", 99, "0.99"),
        ])
    func cents(text: String, cents: Int, back: String) {
        #expect(Money(text).cents == cents)
        #expect(Money(cents: cents) == Money(back))
    }
}
