import Dispatch
import Trends

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A seeded generator (SplitMix64), so that every simulated market is the same on every run.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    mutating func unit() -> Double { (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992 }

    mutating func normal() -> Double { sqrt(-2 * log(unit())) * cos(2 * Double.pi * unit()) }

    /// Poisson: by inversion below 30, by Hörmann's transformed rejection (PTRS) above.
    mutating func poisson(_ mean: Double) -> Int {
        if mean <= 0 { return 0 }
        if mean < 30 {
            let limit = exp(-mean)
            var product = unit()
            var count = 0
            while product > limit {
                product *= unit()
                count += 1
            }
            return count
        }
        let root = sqrt(mean)
        let logMean = log(mean)
        let b = 0.931 + 2.53 * root
        let a = -0.059 + 0.02483 * b
        let inverseAlpha = 1.1239 + 1.1328 / (b - 3.4)
        let vr = 0.9277 - 3.6224 / (b - 2)
        while true {
            let u = unit() - 0.5
            let v = unit()
            let us = 0.5 - abs(u)
            let k = floor((2 * a / us + b) * u + mean + 0.43)
            if us >= 0.07 && v <= vr { return Int(k) }
            if k < 0 || (us < 0.013 && v > us) { continue }
            if log(v) + log(inverseAlpha) - log(a / (us * us) + b) <= -mean + k * logMean - lgamma(k + 1) {
                return Int(k)
            }
        }
    }

    /// Gamma with mean 1 and the given coefficient of variation (Marsaglia and Tsang).
    mutating func gamma(cv: Double) -> Double {
        guard cv > 0 else { return 1 }
        let shape = 1 / (cv * cv)
        let boost = shape < 1 ? pow(unit(), 1 / shape) : 1
        let d = (shape < 1 ? shape + 1 : shape) - 1.0 / 3
        let c = 1 / sqrt(9 * d)
        while true {
            var x: Double
            var v: Double
            repeat {
                x = normal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = unit()
            if log(u) < 0.5 * x * x + d - d * v + d * log(v) {
                return boost * d * v / shape
            }
        }
    }
}

/// A simulated market: entities with daily rates, counted into a rule's windows exactly as the warehouse's SQL
/// counts them (`TrendRule.place`).
struct Market {
    /// Each entity's usual sales per day.
    var rates: [Double]

    /// Artists: rates log-normal around 0.3 a day (a few sell dozens a day, most one a week or less).
    static func artists(_ count: Int, _ random: inout SeededRandom) -> Market {
        Market(rates: (0..<count).map { _ in 0.3 * exp(1.3 * random.normal()) })
    }

    /// Genres: 30 to 600 sales a day.
    static func genres(_ count: Int, _ random: inout SeededRandom) -> Market {
        Market(rates: (0..<count).map { _ in 30 * exp(3 * random.unit()) })
    }

    /// The counts of one evaluation.
    /// - Parameters:
    ///   - trend: entity index → multiplier of its rate in the previous and current windows.
    ///   - site: day back → multiplier of everyone's rate that day (a Bandcamp Friday is 15).
    ///   - siteSpread: how unevenly a site multiplier lands (the coefficient of variation of each entity's).
    ///   - dayNoise: extra-Poisson day-to-day variation of each entity (coefficient of variation).
    func counts(
        _ rule: TrendRule, _ random: inout SeededRandom, trend: [Int: Double] = [:], site: [Int: Double] = [:],
        siteSpread: Double = 0, dayNoise: Double = 0
    ) -> (counts: [TrendCounts], site: SiteCounts) {
        let days = rule.spanHours / 24
        var total = SiteCounts(
            current: 0, previous: 0, baseline: 0, baselineDaily: Array(repeating: 0, count: rule.baselineHours / 24))
        var counts: [TrendCounts] = []
        for (index, rate) in rates.enumerated() {
            var entity = TrendCounts(
                entity: Int64(index + 1), current: 0, previous: 0, baseline: 0,
                baselineDaily: rule.overdispersed ? Array(repeating: 0, count: rule.baselineHours / 24) : [])
            for back in 0..<days {
                let place = rule.place(dayBack: back)
                var mean = rate * random.gamma(cv: dayNoise)
                if let multiplier = site[back] { mean *= multiplier * random.gamma(cv: siteSpread) }
                if let multiplier = trend[index], place.current || place.previous { mean *= multiplier }
                let sold = random.poisson(mean)
                if place.current { entity.current += sold }
                if place.previous { entity.previous += sold }
                if let day = place.baselineDay {
                    entity.baseline += sold
                    total.baselineDaily[day] += sold
                    if rule.overdispersed { entity.baselineDaily[day] += sold }
                }
            }
            total.current += entity.current
            total.previous += entity.previous
            total.baseline += entity.baseline
            // Sales spread over releases, countries and artists as real ones do: rarely all from one.
            entity.releases = min(entity.current, 3)
            entity.countries = min(entity.current, 4)
            entity.artists = min(entity.current, 5)
            if entity.current + entity.previous + entity.baseline > 0 { counts.append(entity) }
        }
        return (counts, total)
    }
}

/// Runs a simulation on a thread of its own, never on Swift's cooperative pool: other suites' servers and timers
/// run there, and simulations seconds long on both of a 2-core machine's pool threads would stall them.
func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        DispatchQueue(label: "simulation").async { continuation.resume(returning: work()) }
    }
}
