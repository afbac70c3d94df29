#if canImport(Glibc)
    import Glibc
#endif

/// How figures are written in the report and its email: `12,345`, `$1,234.50`, `+12.3%`, `3 h 05 min`.
public enum Format {
    /// A count with thousands separators.
    public static func count(_ value: Int) -> String {
        grouped(String(value.magnitude), negative: value < 0)
    }

    /// A count and its noun, singular for one: `1 country`, `12,345 countries`.
    public static func count(_ value: Int, _ one: String, _ many: String) -> String {
        "\(count(value)) \(value == 1 ? one : many)"
    }

    /// Dollars and cents from exact decimal text, with thousands separators: `$1,234.50`.
    public static func usd(_ money: Money) -> String {
        var text = money.text
        let negative = text.hasPrefix("-")
        if negative { text.removeFirst() }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts.first.map(String.init).flatMap { $0.isEmpty ? nil : $0 } ?? "0"
        var cents = parts.count > 1 ? String(parts[1].prefix(2)) : ""
        while cents.count < 2 { cents += "0" }
        return (negative ? "−" : "") + "$" + grouped(whole, negative: false) + "." + cents
    }

    /// A share as a percentage with one decimal: `12.3%`.
    public static func percent(_ share: Double) -> String {
        decimal(share * 100, places: 1) + "%"
    }

    /// A change as the report prints it: `+12.3%`, `−4.0%`, `+2.1 pts`, `new`, `—`,
    /// `not comparable: 5 of 30 days loaded`.
    public static func change(_ change: Change) -> String {
        switch change {
        case .relative(let value): return signed(value * 100, places: 1) + "%"
        case .points(let value): return signed(value, places: 1) + " pts"
        case .new: return "new"
        case .none: return "—"
        case .notComparable(let loaded, let days):
            return days == 1 ? "no data then" : "not comparable: \(loaded) of \(days) days loaded"
        }
    }

    /// A duration: `45 s`, `12 min`, `3 h 05 min`.
    public static func duration(_ seconds: Int) -> String {
        if seconds < 60 { return "\(seconds) s" }
        let minutes = seconds / 60
        if minutes < 60 { return "\(minutes) min" }
        let rest = minutes % 60
        return "\(minutes / 60) h \(rest < 10 ? "0" : "")\(rest) min"
    }

    /// `HH:MM` (UTC) of a time in seconds since 1970; `24:00` for the end of a day.
    public static func clock(_ seconds: Int64, day: Int64) -> String {
        let offset = seconds - day
        if offset >= 86_400 { return "24:00" }
        let minutes = max(0, offset) / 60
        return two(minutes / 60) + ":" + two(minutes % 60)
    }

    /// `2026-11-22 06:00 UTC`.
    public static func timestamp(_ seconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return "\(parts.tm_year + 1900)-\(two(Int64(parts.tm_mon) + 1))-\(two(Int64(parts.tm_mday))) "
            + "\(two(Int64(parts.tm_hour))):\(two(Int64(parts.tm_min))) UTC"
    }

    /// A number with a fixed count of decimals, rounded half away from zero.
    public static func decimal(_ value: Double, places: Int) -> String {
        // Any double at all: not a number is a dash, and beyond what whole numbers hold the figure is written
        // in powers of ten; nothing here can trap.
        guard value.isFinite else { return value.isNaN ? "—" : (value < 0 ? "−∞" : "∞") }
        let places = min(max(places, 0), 6)
        let scale = (0..<places).reduce(1.0) { acc, _ in acc * 10 }
        let scaledValue = (value.magnitude * scale).rounded()
        guard scaledValue < 1e15 else { return (value < 0 ? "−" : "") + scientific(value.magnitude) }
        let scaled = Int(scaledValue)
        let whole = scaled / Int(scale)
        let fraction = scaled % Int(scale)
        var text = count(whole)
        if places > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: places - digits.count) + digits
        }
        return (value < 0 && scaled != 0 ? "−" : "") + text
    }

    /// `1.2 × 10^17` for a magnitude too large to write out.
    private static func scientific(_ magnitude: Double) -> String {
        let exponent = Int(log10(magnitude).rounded(.down))
        let mantissa = magnitude / pow(10, Double(exponent))
        return decimal(mantissa, places: 1) + " × 10^\(exponent)"
    }

    private static func signed(_ value: Double, places: Int) -> String {
        let text = decimal(value, places: places)
        if text.hasPrefix("−") { return text }
        return (text.allSatisfy { $0 == "0" || $0 == "." || $0 == "," } ? "±" : "+") + text
    }

    private static func grouped(_ digits: String, negative: Bool) -> String {
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return (negative ? "−" : "") + result
    }

    private static func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
