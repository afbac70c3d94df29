/// An entity's share of site-wide sales in a recent window against its share in a baseline window, as a rate
/// ratio θ = (x / N_recent) / (y / N_baseline). Conditional on the entity's total x + y, x is binomial with
/// p = θ N_recent / (θ N_recent + N_baseline) (the classic conditional test for two Poisson rates), so site-wide
/// surges such as Bandcamp Fridays scale both N and x and cancel out.
public struct RateRatio: Sendable, Equatable {
    /// The entity's sales in the recent window and in the baseline (possibly deflated for overdispersion).
    public var recent: Double
    public var baseline: Double
    /// Site-wide sales in the same windows (deflated alike).
    public var siteRecent: Double
    public var siteBaseline: Double

    public init(recent: Double, baseline: Double, siteRecent: Double, siteBaseline: Double) {
        self.recent = recent
        self.baseline = baseline
        self.siteRecent = siteRecent
        self.siteBaseline = siteBaseline
    }

    /// The observed ratio; nil when the baseline has no sale (or the recent window no site sales).
    public var observed: Double? {
        guard baseline > 0, siteRecent > 0 else { return nil }
        return (recent / siteRecent) / (baseline / siteBaseline)
    }

    /// The binomial probability that a ratio θ implies for the recent window's share of x + y.
    public func share(at ratio: Double) -> Double {
        ratio * siteRecent / (ratio * siteRecent + siteBaseline)
    }

    /// The ratio that a share p of x + y implies.
    public func ratio(atShare share: Double) -> Double {
        guard share < 1 else { return .infinity }
        return share / (1 - share) * siteBaseline / siteRecent
    }

    /// The exact one-sided p-value of H0: θ ≤ `minimumRatio` against θ > `minimumRatio`: P(X ≥ x) for
    /// X ~ Binomial(x + y, p(θ0)).
    public func pValue(minimumRatio: Double) -> Double {
        guard siteRecent > 0, siteBaseline > 0 else { return 1 }
        return Distributions.binomialUpperTail(
            atLeast: recent, trials: recent + baseline, probability: share(at: minimumRatio))
    }

    /// The ratio's posterior under a beta prior on the share (empirical Bayes): its median and its lower bound
    /// at `confidence`. Tiny baselines are pulled toward what the population of entities does.
    public func shrunk(by prior: BetaPrior, confidence: Double) -> (estimate: Double, lowerBound: Double) {
        let a = prior.alpha + recent
        let b = prior.beta + baseline
        return (
            ratio(atShare: Distributions.betaQuantile(0.5, a, b)),
            ratio(atShare: Distributions.betaQuantile(1 - confidence, a, b))
        )
    }
}

/// A Beta(α, β) prior on the recent window's share of an entity's sales, fitted to all entities of a rule by the
/// method of moments of the beta-binomial distribution (the binomial noise of each entity taken out).
public struct BetaPrior: Sendable, Equatable, Codable {
    public var alpha: Double
    public var beta: Double

    public init(alpha: Double, beta: Double) {
        self.alpha = alpha
        self.beta = beta
    }

    /// The prior's mean share.
    public var mean: Double { alpha / (alpha + beta) }

    /// The weight of the prior, in sales: how many of an entity's own sales it takes to move the estimate
    /// halfway from the population toward the entity's own share.
    public var weight: Double { alpha + beta }

    /// Fits the prior to (recent, total) counts. With Var(p̂_i) = p(1-p)/n_i · (1 + (n_i - 1)ρ), the weighted sum
    /// of squares S = Σ n_i (p̂_i - p̄)² has expectation p̄(1-p̄)[(k - 1) + ρ(N - k + 1 - Σn_i²/N)], which gives
    /// the intra-class correlation ρ = 1 / (α + β + 1). ρ is kept within [1/201, 1/2]: the prior weighs at least
    /// one sale and at most 200, so that a population that hardly moves cannot shrink an overwhelming rise away.
    /// - Returns: nil for fewer than 3 entities, or when no sale is recent or all are.
    public static func fit(_ counts: [(recent: Double, total: Double)]) -> BetaPrior? {
        let used = counts.filter { $0.total > 0 }
        let k = Double(used.count)
        guard k >= 3 else { return nil }
        let n = used.reduce(0) { $0 + $1.total }
        let mean = used.reduce(0) { $0 + $1.recent } / n
        guard mean > 0, mean < 1 else { return nil }
        var squares = 0.0
        var sizes = 0.0
        for entity in used {
            let share = entity.recent / entity.total
            squares += entity.total * (share - mean) * (share - mean)
            sizes += entity.total * entity.total
        }
        let denominator = n - k + 1 - sizes / n
        var rho = denominator > 0 ? (squares / (mean * (1 - mean)) - (k - 1)) / denominator : 0.5
        rho = min(0.5, max(1.0 / 201, rho))
        let weight = 1 / rho - 1
        return BetaPrior(alpha: mean * weight, beta: (1 - mean) * weight)
    }
}

/// Benjamini-Hochberg: the adjusted p-values (q-values) of a family of tests, in the family's order. Rejecting
/// every test with q ≤ α keeps the expected share of false discoveries among the rejections at most α (for
/// independent or positively dependent tests).
public enum FalseDiscovery {
    public static func adjusted(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        guard m > 0 else { return [] }
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var adjusted = [Double](repeating: 1, count: m)
        var running = 1.0
        for rank in stride(from: m, through: 1, by: -1) {
            let index = order[rank - 1]
            running = min(running, pValues[index] * Double(m) / Double(rank))
            adjusted[index] = min(1, running)
        }
        return adjusted
    }
}

/// Overdispersion of a dense series (a genre's daily sales against the site's): the quasi-Poisson dispersion
/// φ = Pearson χ² / (days - 1), the χ² of the entity's daily counts against its constant share of each day's site
/// sales. Counts divided by φ behave like Poisson counts in the tests.
public enum Dispersion {
    /// φ of one series, or nil when it has too little to tell (fewer than 7 days with sales or 20 sales).
    public static func quasiPoisson(_ entity: [Double], site: [Double]) -> Double? {
        precondition(entity.count == site.count, "the entity's and the site's series differ in length")
        var total = 0.0
        var siteTotal = 0.0
        var days = 0
        for (count, all) in zip(entity, site) where all > 0 {
            total += count
            siteTotal += all
            days += 1
        }
        guard days >= 7, total >= 20 else { return nil }
        let share = total / siteTotal
        var chiSquare = 0.0
        for (count, all) in zip(entity, site) where all > 0 {
            let expected = share * all
            chiSquare += (count - expected) * (count - expected) / expected
        }
        return max(1, chiSquare / Double(days - 1))
    }
}
