import Testing
import Tracker

@Suite("Calendar days in UTC")
struct CalendarDayTests {
    @Test("parsed from a date or the start of a time; impossible dates refused")
    func parsing() {
        #expect(CalendarDay(iso: "2026-11-21")?.start == 1_795_219_200)
        #expect(CalendarDay(iso: "2025-06-11T06:00:00Z") == CalendarDay(iso: "2025-06-11"))
        #expect(CalendarDay(iso: "2024-02-29") != nil)
        for bad in ["2025-02-29", "2026-13-01", "2026-04-31", "2026-11-1", "21/11/2026", "2026-11-21 06:00", ""] {
            #expect(CalendarDay(iso: bad) == nil, "\(bad)")
        }
    }

    @Test("round trip from year 1 to 9999, weekdays, arithmetic across months, years and 1970")
    func arithmetic() {
        for days in stride(from: Int64(-719_162), through: 2_932_896, by: 997) {
            let day = CalendarDay(daysSinceEpoch: days)
            #expect(CalendarDay(iso: day.iso) == day)
        }
        let day = CalendarDay(iso: "2026-11-21")!
        #expect(day.long == "Saturday 21 November 2026" && day.short == "Sat 21 Nov")
        #expect(day.adding(days: -7).long == "Saturday 14 November 2026")
        #expect(CalendarDay(iso: "2024-03-01")!.adding(days: -1).iso == "2024-02-29")
        #expect(CalendarDay(iso: "1970-01-01")!.weekdayName == "Thursday")
        #expect(CalendarDay(iso: "1969-12-31")!.weekdayName == "Wednesday")
        #expect(CalendarDay(containing: -1).iso == "1969-12-31")
        #expect(CalendarDay(containing: day.end - 1) == day && CalendarDay(containing: day.end) == day.adding(days: 1))
    }

    @Test("ISO 8601 UTC times as EventBridge writes them, to the second")
    func isoSeconds() {
        #expect(CalendarDay.seconds(iso: "2026-11-22T06:00:00Z") == 1_795_327_200)
        #expect(CalendarDay.seconds(iso: "2026-11-22T06:30Z") == 1_795_329_000)
        #expect(CalendarDay.seconds(iso: "2026-11-22T06:00:07.250Z") == 1_795_327_207)
        #expect(CalendarDay.seconds(iso: "2026-11-22T06:00:00+00:00") == 1_795_327_200)
        #expect(CalendarDay.seconds(iso: "2026-11-22") == 1_795_305_600)
        for bad in [
            "2026-11-22T06:00:00", "2026-11-22T24:00:00Z", "2026-11-22T06:60Z", "2026-11-22T6:00Z",
            "2026-11-22T06:00:00+01:00", "2026-11-22T06:00:00.x1Z", "yesterday",
        ] {
            #expect(CalendarDay.seconds(iso: bad) == nil, "\(bad)")
        }
    }
}
