/// One entity's sales in a rule's windows (all from the warehouse, counted by SQL).
public struct TrendCounts: Sendable, Equatable {
    /// The genre's tag id or the artist's id.
    public var entity: Int64
    public var current: Int
    public var previous: Int
    public var baseline: Int
    /// Distinct releases, buyer countries and artists behind the current window's sales.
    public var releases: Int
    public var countries: Int
    public var artists: Int
    /// The baseline's sales day by day (oldest first), for overdispersed rules; empty otherwise.
    public var baselineDaily: [Int]

    public init(
        entity: Int64, current: Int, previous: Int, baseline: Int, releases: Int = 1, countries: Int = 1,
        artists: Int = 1, baselineDaily: [Int] = []
    ) {
        self.entity = entity
        self.current = current
        self.previous = previous
        self.baseline = baseline
        self.releases = releases
        self.countries = countries
        self.artists = artists
        self.baselineDaily = baselineDaily
    }
}

/// Site-wide sales in a rule's windows.
public struct SiteCounts: Sendable, Equatable {
    public var current: Int
    public var previous: Int
    public var baseline: Int
    /// The baseline day by day, as `TrendCounts.baselineDaily`.
    public var baselineDaily: [Int]

    public init(current: Int, previous: Int, baseline: Int, baselineDaily: [Int] = []) {
        self.current = current
        self.previous = previous
        self.baseline = baseline
        self.baselineDaily = baselineDaily
    }
}

/// A trending or emerging entity.
public enum SignalKind: String, Sendable, Codable, Equatable {
    case trending, emerging
}

/// A rise that passed every test of its rule, with the statistics that say how large and how sure it is.
public struct TrendSignal: Sendable, Codable, Equatable {
    public var rule: String
    public var entity: Int64
    public var kind: SignalKind
    public var current: Int
    public var previous: Int
    public var baseline: Int
    public var siteCurrent: Int
    public var siteBaseline: Int
    /// The observed ratio of shares; nil when the baseline had no sale.
    public var ratio: Double?
    /// The ratio after empirical-Bayes shrinkage (posterior median) and its lower bound at the rule's
    /// confidence: the ranking key.
    public var estimate: Double
    public var lowerBound: Double
    /// The exact test's p-value against the rule's minimum ratio, and the Benjamini-Hochberg q-values of the
    /// current and the previous window.
    public var pValue: Double
    public var qValue: Double
    public var previousQValue: Double
    /// The quasi-Poisson dispersion the counts were deflated by (1 for Poisson rules).
    public var dispersion: Double
    /// Descriptions, not triggers: sales per day now and in the baseline, and the change of the daily rate from
    /// the previous window to the current one, per day.
    public var perDayNow: Double
    public var perDayBefore: Double
    public var acceleration: Double
    public var releases: Int
    public var countries: Int
    public var artists: Int

    public init(
        rule: String, entity: Int64, kind: SignalKind, current: Int, previous: Int, baseline: Int, siteCurrent: Int,
        siteBaseline: Int, ratio: Double?, estimate: Double, lowerBound: Double, pValue: Double, qValue: Double,
        previousQValue: Double, dispersion: Double, perDayNow: Double, perDayBefore: Double, acceleration: Double,
        releases: Int, countries: Int, artists: Int
    ) {
        self.rule = rule
        self.entity = entity
        self.kind = kind
        self.current = current
        self.previous = previous
        self.baseline = baseline
        self.siteCurrent = siteCurrent
        self.siteBaseline = siteBaseline
        self.ratio = ratio
        self.estimate = estimate
        self.lowerBound = lowerBound
        self.pValue = pValue
        self.qValue = qValue
        self.previousQValue = previousQValue
        self.dispersion = dispersion
        self.perDayNow = perDayNow
        self.perDayBefore = perDayBefore
        self.acceleration = acceleration
        self.releases = releases
        self.countries = countries
        self.artists = artists
    }
}

/// What one rule's evaluation found, and how.
public struct TrendEvaluation: Sendable, Equatable {
    public var rule: TrendRule
    /// The strongest signals first, at most the rule's maximum.
    public var signals: [TrendSignal]
    /// Entities tested (with enough sales across the windows to be testable at all).
    public var tested: Int
    /// Significant in both windows, before the minimum counts and the shrinkage; cut by the maximum.
    public var discoveries: Int
    public var cut: Int
    public var prior: BetaPrior
}

/// The trend tests of the README's "Alerts" section: pure, no I/O.
public struct TrendEngine: Sendable {
    public init() {}

    /// The entities significant in both windows with the minimum sales: those whose distinct releases and
    /// countries (artists) or artists (genres) decide whether they signal, so the only ones that need them.
    public func discovered(_ rule: TrendRule, counts: [TrendCounts], site: SiteCounts) -> [Int64] {
        let tests = RuleTests(rule, counts: counts, site: site, engine: self)
        return tests.now.tested.filter { tests.significant($0, rule) && rule.hasMinimumSales(counts[$0]) }
            .map { counts[$0].entity }
    }

    public func evaluate(_ rule: TrendRule, counts: [TrendCounts], site: SiteCounts) -> TrendEvaluation {
        let tests = RuleTests(rule, counts: counts, site: site, engine: self)
        let (dispersion, current, now, before, prior) = (
            tests.dispersion, tests.current, tests.now, tests.before, tests.prior
        )
        var discoveries = 0
        var signals: [TrendSignal] = []
        for index in now.tested {
            guard tests.significant(index, rule), let p = now.p[index], let q = now.q[index],
                let previousQ = before.q[index]
            else { continue }
            discoveries += 1
            let entity = counts[index]
            guard rule.hasMinimumSales(entity),
                rule.entity == .genre || max(entity.releases, entity.countries) >= rule.minimumReleasesOrCountries,
                rule.entity == .artist || entity.artists >= rule.minimumArtists
            else { continue }
            let shrunk = current[index].shrunk(by: prior, confidence: rule.confidence)
            guard shrunk.lowerBound > 1 else { continue }
            let days = Double(rule.windowHours) / 24
            let emerging = rule.emergingBaseline.map { entity.baseline <= $0 } ?? false
            signals.append(
                TrendSignal(
                    rule: rule.id, entity: entity.entity, kind: emerging ? .emerging : .trending,
                    current: entity.current, previous: entity.previous, baseline: entity.baseline,
                    siteCurrent: site.current, siteBaseline: site.baseline,
                    ratio: RateRatio(
                        recent: Double(entity.current), baseline: Double(entity.baseline),
                        siteRecent: Double(site.current), siteBaseline: Double(site.baseline)
                    ).observed,
                    estimate: shrunk.estimate, lowerBound: shrunk.lowerBound, pValue: p, qValue: q,
                    previousQValue: previousQ, dispersion: dispersion[index],
                    perDayNow: Double(entity.current) / days,
                    perDayBefore: Double(entity.baseline) / (Double(rule.baselineHours) / 24),
                    acceleration: Double(entity.current - entity.previous) / days / (Double(rule.stepHours) / 24),
                    releases: entity.releases, countries: entity.countries, artists: entity.artists))
        }
        signals.sort { ($0.lowerBound, $0.current, -$0.entity) > ($1.lowerBound, $1.current, -$1.entity) }
        let cut = max(0, signals.count - rule.maximumSignals)
        return TrendEvaluation(
            rule: rule, signals: Array(signals.prefix(rule.maximumSignals)), tested: now.tested.count,
            discoveries: discoveries, cut: cut, prior: prior)
    }

    /// Each entity's dispersion; entities whose own series is too thin take the median of those that have one.
    fileprivate func dispersions(_ counts: [TrendCounts], site: SiteCounts) -> [Double] {
        let siteDaily = site.baselineDaily.map(Double.init)
        let own = counts.map { entity -> Double? in
            guard entity.baselineDaily.count == siteDaily.count else { return nil }
            return Dispersion.quasiPoisson(entity.baselineDaily.map(Double.init), site: siteDaily)
        }
        let known = own.compactMap { $0 }.sorted()
        let pooled = known.isEmpty ? 1 : known[known.count / 2]
        return own.map { $0 ?? pooled }
    }
}

/// A rule's tests of every entity: the ratios in each window, deflated by the entities' dispersion, their
/// p-values and Benjamini-Hochberg q-values, and the prior the estimates shrink to.
private struct RuleTests {
    typealias Family = (tested: [Int], p: [Int: Double], q: [Int: Double])
    let dispersion: [Double]
    let current: [RateRatio]
    let now: Family
    let before: Family
    let prior: BetaPrior

    init(_ rule: TrendRule, counts: [TrendCounts], site: SiteCounts, engine: TrendEngine) {
        let dispersion = rule.overdispersed ? engine.dispersions(counts, site: site) : counts.map { _ in 1.0 }
        /// Each entity's ratio in one window, its counts deflated by its dispersion.
        func ratios(_ recent: KeyPath<TrendCounts, Int>, siteRecent: Int) -> [RateRatio] {
            counts.indices.map { index in
                RateRatio(
                    recent: Double(counts[index][keyPath: recent]) / dispersion[index],
                    baseline: Double(counts[index].baseline) / dispersion[index],
                    siteRecent: Double(siteRecent), siteBaseline: Double(site.baseline))
            }
        }
        let current = ratios(\.current, siteRecent: site.current)
        let previous = ratios(\.previous, siteRecent: site.previous)
        // A window's family: the entities whose total over the windows could reach the minimum (filtering on the
        // total, which the conditional test takes as given, leaves the tests' null distributions alone); their
        // p-values against the minimum ratio and Benjamini-Hochberg q-values, by entity index.
        func family(_ recent: KeyPath<TrendCounts, Int>, _ ratios: [RateRatio]) -> Family {
            let tested = counts.indices.filter {
                rule.tests(recent: counts[$0][keyPath: recent], baseline: counts[$0].baseline)
            }
            let p = tested.map { ratios[$0].pValue(minimumRatio: rule.minimumRatio) }
            return (
                tested, Dictionary(uniqueKeysWithValues: zip(tested, p)),
                Dictionary(uniqueKeysWithValues: zip(tested, FalseDiscovery.adjusted(p)))
            )
        }
        self.dispersion = dispersion
        self.current = current
        self.now = family(\.current, current)
        self.before = family(\.previous, previous)
        self.prior =
            BetaPrior.fit(now.tested.map { (current[$0].recent, current[$0].recent + current[$0].baseline) })
            ?? BetaPrior(alpha: 1, beta: 1)
    }

    /// Whether the entity at `index` is significant in both windows.
    func significant(_ index: Int, _ rule: TrendRule) -> Bool {
        guard let q = now.q[index], let previousQ = before.q[index] else { return false }
        return q <= rule.falseDiscoveryRate && previousQ <= rule.falseDiscoveryRate
    }
}
