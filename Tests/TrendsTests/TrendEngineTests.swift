import Testing

@testable import Trends

/// The engine on simulated markets with planted trends of known size and on pure noise, over many fixed seeds:
/// the rates asserted here are measured, and the README's "Alerts" section quotes them.
@Suite("Trend engine")
struct TrendEngineTests {
    static let day = TrendRule.standard.first { $0.id == "artist.24h" }!
    static let week = TrendRule.standard.first { $0.id == "artist.7d" }!
    static let genreDay = TrendRule.standard.first { $0.id == "genre.24h" }!
    let engine = TrendEngine()

    /// Planted entities: those selling at least `least` a day, `count` of them, picked by the seed.
    static func planted(_ market: Market, count: Int, least: Double, _ random: inout SeededRandom) -> [Int] {
        var candidates = market.rates.indices.filter { market.rates[$0] >= least }
        candidates.shuffle(using: &random)
        return Array(candidates.prefix(count))
    }

    @Test("pure noise: no false alarm in 40 markets of 3,000 artists, on the day's and the week's rules")
    func noise() async {
        let (alarms, tested) = await offPool { [engine] in
            var alarms = 0
            var tested = 0
            for seed in 1...40 {
                var random = SeededRandom(seed: UInt64(seed))
                let market = Market.artists(3000, &random)
                for rule in [Self.day, Self.week] {
                    let (counts, site) = market.counts(rule, &random)
                    let evaluation = engine.evaluate(rule, counts: counts, site: site)
                    alarms += evaluation.signals.count
                    tested += evaluation.tested
                }
            }
            return (alarms, tested)
        }
        #expect(tested > 40 * 1000)
        #expect(alarms == 0, "false alarms: \(alarms) among \(tested) artists tested")
    }

    /// Detection in markets of 3,000 artists with 20 of them, all selling between `rate` and twice that a day,
    /// multiplied by `multiplier` in both windows: the share found over 10 markets, and the false signals.
    func detection(_ rule: TrendRule, rate: Double, multiplier: Double) -> (found: Double, falseSignals: Int) {
        var found = 0
        var falseSignals = 0
        for seed in 1...10 {
            var random = SeededRandom(seed: UInt64(1000 + seed))
            let market = Market.artists(3000, &random)
            var candidates = market.rates.indices.filter { market.rates[$0] >= rate && market.rates[$0] < 2 * rate }
            candidates.shuffle(using: &random)
            let planted = Array(candidates.prefix(20))
            let (counts, site) = market.counts(
                rule, &random, trend: Dictionary(uniqueKeysWithValues: planted.map { ($0, multiplier) }))
            let plantedIDs = Set(planted.map { Int64($0 + 1) })
            let signals = engine.evaluate(rule, counts: counts, site: site).signals
            found += signals.filter { plantedIDs.contains($0.entity) }.count
            falseSignals += signals.filter { !plantedIDs.contains($0.entity) }.count
        }
        return (Double(found) / 200, falseSignals)
    }

    @Test(
        "planted rises are found by their size and the artist's volume; a rise at the bar is not",
        arguments: [
            // (rule, sales a day, multiplier, least and most share found), as measured with these seeds.
            ("artist.24h", 1.0, 16.0, 0.95, 1.0), ("artist.24h", 2.0, 8.0, 0.8, 0.9),
            ("artist.24h", 5.0, 4.0, 0.15, 0.3), ("artist.24h", 5.0, 2.0, 0.0, 0.02),
            ("artist.7d", 2.0, 4.0, 0.93, 1.0), ("artist.7d", 5.0, 3.0, 0.85, 0.95),
            ("artist.7d", 1.0, 8.0, 0.97, 1.0), ("artist.7d", 5.0, 1.5, 0.0, 0.02),
        ])
    func planted(rule: String, rate: Double, multiplier: Double, least: Double, most: Double) async {
        let rule = TrendRule.standard.first { $0.id == rule }!
        let measured = await offPool { [self] in detection(rule, rate: rate, multiplier: multiplier) }
        #expect(
            measured.found >= least && measured.found <= most,
            "\(rule.id), \(rate) a day ×\(multiplier): found \(measured.found)")
        #expect(measured.falseSignals == 0)
    }

    @Test("a Bandcamp Friday (15× sales, unevenly spread) raises no alert on the day or in the week after")
    func bandcampFriday() async {
        let alarms = await offPool { [engine] in
            var alarms = 0
            for seed in 1...20 {
                var random = SeededRandom(seed: UInt64(2000 + seed))
                let market = Market.artists(3000, &random)
                // The Friday is the current day of the day's rule...
                let (dayCounts, daySite) = market.counts(Self.day, &random, site: [0: 15], siteSpread: 0.25)
                alarms += engine.evaluate(Self.day, counts: dayCounts, site: daySite).signals.count
                // ...and two days back for the week's rule, in both of its windows.
                let (weekCounts, weekSite) = market.counts(Self.week, &random, site: [2: 15], siteSpread: 0.25)
                alarms += engine.evaluate(Self.week, counts: weekCounts, site: weekSite).signals.count
                // A Friday in the baseline does not make the weeks after it look like a fall, or anything else rise.
                let (laterCounts, laterSite) = market.counts(Self.day, &random, site: [10: 15], siteSpread: 0.25)
                alarms += engine.evaluate(Self.day, counts: laterCounts, site: laterSite).signals.count
            }
            return alarms
        }
        #expect(alarms == 0)
    }

    /// A market of 2,000 quiet artists and one more with the given counts.
    func withOne(_ one: TrendCounts, rule: TrendRule) -> TrendEvaluation {
        var random = SeededRandom(seed: 7)
        let market = Market.artists(2000, &random)
        var (counts, site) = market.counts(rule, &random)
        counts.append(one)
        site.current += one.current
        site.previous += one.previous
        site.baseline += one.baseline
        return engine.evaluate(rule, counts: counts, site: site)
    }

    @Test("0 -> 2 sales raises nothing, even with the minimum count lowered to 1")
    func zeroToTwo() {
        let one = TrendCounts(entity: 99_999, current: 2, previous: 2, baseline: 0, releases: 2, countries: 2)
        #expect(withOne(one, rule: Self.day).signals.isEmpty)
        var lenient = Self.day
        lenient.minimumSales = 1
        lenient.minimumReleasesOrCountries = 1
        #expect(!withOne(one, rule: lenient).signals.contains { $0.entity == 99_999 })
    }

    @Test("a real breakout is found: emerging from nothing, trending from an established baseline")
    func breakout() throws {
        let emerging = TrendCounts(entity: 99_998, current: 25, previous: 18, baseline: 1, releases: 3, countries: 6)
        let signal = try #require(withOne(emerging, rule: Self.day).signals.first { $0.entity == 99_998 })
        #expect(signal.kind == .emerging)
        #expect(signal.lowerBound > 2 && signal.estimate > signal.lowerBound)
        #expect(signal.qValue < 0.05 && signal.previousQValue < 0.05)
        #expect(signal.perDayNow == 25 && abs(signal.acceleration - 7) < 1e-9)

        let established = TrendCounts(
            entity: 99_997, current: 40, previous: 35, baseline: 84, releases: 5, countries: 9)
        let trending = try #require(withOne(established, rule: Self.day).signals.first { $0.entity == 99_997 })
        #expect(trending.kind == .trending)
        // 40 a day against 3 a day: the shares rose about 13-fold; shrinkage keeps the estimate below that.
        let ratio = try #require(trending.ratio)
        #expect(ratio > 10 && trending.estimate <= ratio && trending.lowerBound > 2)
    }

    @Test("the distinct counts are needed only by the discovered: given to them alone, the same signals")
    func discoveredAlone() {
        var random = SeededRandom(seed: 11)
        let market = Market.artists(2000, &random)
        var (counts, site) = market.counts(Self.day, &random)
        // Three breakouts: two spread over releases and countries, one fan buying one release.
        for (entity, releases) in [(99_990, 3), (99_991, 4), (99_992, 1)] {
            counts.append(
                TrendCounts(
                    entity: Int64(entity), current: 30, previous: 25, baseline: 10, releases: releases,
                    countries: releases))
            site.current += 30
            site.previous += 25
            site.baseline += 10
        }
        let full = engine.evaluate(Self.day, counts: counts, site: site)
        let discovered = engine.discovered(Self.day, counts: counts, site: site)
        #expect(Set(full.signals.map(\.entity)).isSubset(of: discovered))
        #expect(Set([99_990, 99_991, 99_992]).isSubset(of: discovered))
        #expect(discovered.count < counts.count / 10)
        // The others' distinct counts unknown (0): the same signals, in the same order.
        let known = Set(discovered)
        let partial = counts.map { entity in
            var entity = entity
            if !known.contains(entity.entity) { (entity.releases, entity.countries) = (0, 0) }
            return entity
        }
        #expect(engine.evaluate(Self.day, counts: partial, site: site).signals == full.signals)
        #expect(!full.signals.contains { $0.entity == 99_992 })
    }

    @Test("one day's spike is not a trend: both windows must hold")
    func oneDaySpike() {
        let spike = TrendCounts(entity: 99_996, current: 60, previous: 3, baseline: 84, releases: 5, countries: 9)
        #expect(!withOne(spike, rule: Self.day).signals.contains { $0.entity == 99_996 })
    }

    @Test("one fan buying one release many times is not a trend")
    func oneRelease() {
        let fan = TrendCounts(entity: 99_995, current: 30, previous: 30, baseline: 5, releases: 1, countries: 1)
        #expect(!withOne(fan, rule: Self.day).signals.contains { $0.entity == 99_995 })
        var spread = fan
        spread.countries = 3
        #expect(withOne(spread, rule: Self.day).signals.contains { $0.entity == 99_995 })
    }

    @Test("dense genres that swing from day to day: no false alarm with the dispersion, some without it")
    func overdispersion() async {
        var poisson = Self.genreDay
        poisson.overdispersed = false
        let (withDispersion, withoutDispersion) = await offPool { [engine, poisson] in
            var withDispersion = 0
            var withoutDispersion = 0
            for seed in 1...10 {
                var random = SeededRandom(seed: UInt64(3000 + seed))
                // Each genre's daily sales swing by ±50% (one standard deviation) around its usual share.
                let (counts, site) = Market.genres(300, &random).counts(Self.genreDay, &random, dayNoise: 0.5)
                let deflated = engine.evaluate(Self.genreDay, counts: counts, site: site)
                withDispersion += deflated.signals.count
                withoutDispersion += engine.evaluate(poisson, counts: counts, site: site).signals.count
            }
            return (withDispersion, withoutDispersion)
        }
        #expect(withDispersion == 0)
        #expect(withoutDispersion > 0, "the swings alone would have raised alarms")
    }

    @Test("a genre whose share rose 5-fold for two days is found despite ±30% daily swings")
    func overdispersedTrend() async {
        let (found, others, deflated) = await offPool { [engine] in
            var found = 0
            var others = 0
            var deflated = true
            for seed in 1...10 {
                var random = SeededRandom(seed: UInt64(3000 + seed))
                let (counts, site) = Market.genres(300, &random).counts(
                    Self.genreDay, &random, trend: [0: 5], dayNoise: 0.3)
                let evaluation = engine.evaluate(Self.genreDay, counts: counts, site: site)
                found += evaluation.signals.filter { $0.entity == 1 }.count
                others += evaluation.signals.filter { $0.entity != 1 }.count
                deflated = deflated && evaluation.signals.allSatisfy { $0.dispersion > 1 }
            }
            return (found, others, deflated)
        }
        #expect(deflated)
        // Measured: 7 of 10 (the misses are days when the swings pulled one window down).
        #expect(found >= 6, "found \(found) of 10")
        #expect(others == 0)
    }

    @Test("signals are ranked by the lower bound and cut at the rule's maximum")
    func ranking() {
        var random = SeededRandom(seed: 11)
        let market = Market.artists(3000, &random)
        let planted = Self.planted(market, count: 30, least: 1, &random)
        var rule = Self.day
        rule.maximumSignals = 5
        let (counts, site) = market.counts(
            rule, &random, trend: Dictionary(uniqueKeysWithValues: planted.map { ($0, 10.0) }))
        let evaluation = engine.evaluate(rule, counts: counts, site: site)
        #expect(evaluation.signals.count == 5 && evaluation.cut > 0)
        #expect(zip(evaluation.signals, evaluation.signals.dropFirst()).allSatisfy { $0.lowerBound >= $1.lowerBound })
    }

    @Test("the empirical-Bayes prior recovers a known beta-binomial population")
    func priorFit() async throws {
        // Shares drawn from Beta(6, 24) (mean 0.2, weight 30), then binomial counts of 5 to 200 trials.
        let counts = await offPool {
            var random = SeededRandom(seed: 5)
            var counts: [(recent: Double, total: Double)] = []
            for _ in 0..<20_000 {
                let x = random.gamma(cv: 1 / 6.0.squareRoot()) * 6
                let y = random.gamma(cv: 1 / 24.0.squareRoot()) * 24
                let share = x / (x + y)
                let trials = 5 + Int(random.next() % 196)
                let recent = (0..<trials).reduce(0) { sum, _ in sum + (random.unit() < share ? 1 : 0) }
                counts.append((Double(recent), Double(trials)))
            }
            return counts
        }
        let prior = try #require(BetaPrior.fit(counts))
        #expect(abs(prior.mean - 0.2) < 0.005)
        #expect(prior.weight > 25 && prior.weight < 36, "weight \(prior.weight)")
    }

    @Test("a population that hardly moves gives the prior at most 200 sales' weight, and too few entities none")
    func priorBounds() throws {
        // Every entity exactly at the mean share: no spread beyond chance at all.
        let even = (0..<1000).map { _ in (recent: 3.0, total: 30.0) }
        let prior = try #require(BetaPrior.fit(even))
        #expect(abs(prior.weight - 200) < 1e-9 && abs(prior.mean - 0.1) < 1e-12)
        #expect(BetaPrior.fit([(1, 2), (1, 2)]) == nil)
        #expect(BetaPrior.fit([(0, 2), (0, 3), (0, 4)]) == nil)
    }

    @Test("shrinkage pulls a tiny baseline's ratio toward the population, a large one hardly at all")
    func shrinkage() {
        let prior = BetaPrior(alpha: 2, beta: 58)  // the population: shares near 1/30 (no change over 1 + 29 days)
        let tiny = RateRatio(recent: 3, baseline: 1, siteRecent: 1000, siteBaseline: 29_000)
        let large = RateRatio(recent: 3000, baseline: 2900, siteRecent: 1000, siteBaseline: 29_000)
        let tinyShrunk = tiny.shrunk(by: prior, confidence: 0.95)
        let largeShrunk = large.shrunk(by: prior, confidence: 0.95)
        #expect(tinyShrunk.estimate < 0.5 * tiny.observed!)
        #expect(abs(largeShrunk.estimate - large.observed!) / large.observed! < 0.1)
        #expect(tinyShrunk.lowerBound < tinyShrunk.estimate)
    }
}
