/// A day of the calendar in UTC, as reports and alerts count them: from 00:00:00 UTC to the next day's.
public struct CalendarDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let daysSinceEpoch: Int64

    /// The day with this many days since 1970-01-01.
    public init(daysSinceEpoch: Int64) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// The day that holds a time, in seconds since 1970.
    public init(containing seconds: Int64) {
        daysSinceEpoch = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    }

    /// A day from `YYYY-MM-DD`, or from the start of an ISO 8601 time (`2026-11-21T06:00:00Z`, UTC).
    /// Returns nil for anything else, or for a date that does not exist (`2026-02-30`).
    public init?(iso text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10 || (bytes.count > 10 && bytes[10] == UInt8(ascii: "T")) else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), let year = number(0..<4),
            let month = number(5..<7), let day = number(8..<10), (1...12).contains(month), day >= 1,
            day <= Self.length(ofMonth: month, year: year)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Seconds since 1970 of a UTC time in ISO 8601 as EventBridge writes it: `2026-11-22T06:00:00Z` (seconds and
    /// a fraction optional, `Z` or `+00:00`), or of a day's start (`2026-11-22`). Nil for anything else.
    public static func seconds(iso text: String) -> Int64? {
        guard let day = CalendarDay(iso: text) else { return nil }
        let bytes = Array(text.utf8)
        if bytes.count == 10 { return day.start }
        var rest = bytes[11...]
        if rest.last == UInt8(ascii: "Z") {
            rest = rest.dropLast()
        } else if rest.count >= 6, String(decoding: rest.suffix(6), as: UTF8.self) == "+00:00" {
            rest = rest.dropLast(6)
        } else {
            return nil
        }
        if let dot = rest.firstIndex(of: UInt8(ascii: ".")) {
            guard rest[(dot + 1)...].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
                return nil
            }
            rest = rest[..<dot]
        }
        let parts = rest.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3,
            parts.allSatisfy({ $0.count == 2 && $0.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }
            )
        else { return nil }
        let values = parts.map { Int64($0.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }) }
        guard values[0] < 24, values[1] < 60, values.count == 2 || values[2] < 60 else { return nil }
        return day.start + values[0] * 3600 + values[1] * 60 + (values.count == 3 ? values[2] : 0)
    }

    /// A day from its year, month (1–12) and day of the month (valid ones only).
    public init(year: Int64, month: Int64, day: Int64) {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        daysSinceEpoch = era * 146_097 + dayOfEra - 719_468
    }

    /// Year, month (1–12), day of the month.
    public var parts: (year: Int64, month: Int64, day: Int64) {
        // Howard Hinnant's civil_from_days.
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// 00:00:00 UTC of the day, in seconds since 1970.
    public var start: Int64 { daysSinceEpoch * 86_400 }
    /// 00:00:00 UTC of the next day.
    public var end: Int64 { start + 86_400 }

    /// The day `count` days later (earlier when negative).
    public func adding(days count: Int64) -> CalendarDay { CalendarDay(daysSinceEpoch: daysSinceEpoch + count) }

    /// 0 for Sunday … 6 for Saturday.
    public var weekday: Int { Int(((daysSinceEpoch % 7) + 11) % 7) }

    /// `2026-11-21` (years 1 to 9999 in four digits).
    public var iso: String {
        let (year, month, day) = parts
        let digits = String(year)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + "\(digits)-\(Self.two(month))-\(Self.two(day))"
    }

    public var description: String { iso }

    /// `Saturday 21 November 2026`.
    public var long: String {
        let (year, month, day) = parts
        return "\(Self.weekdays[weekday]) \(day) \(Self.months[Int(month) - 1]) \(year)"
    }

    /// `Sat 21 Nov`.
    public var short: String {
        let (_, month, day) = parts
        return "\(Self.weekdays[weekday].prefix(3)) \(day) \(Self.months[Int(month) - 1].prefix(3))"
    }

    /// `Saturday`.
    public var weekdayName: String { Self.weekdays[weekday] }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    /// The weekdays' names, Sunday first.
    public static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    static func length(ofMonth month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
