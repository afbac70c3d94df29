import Testing

@testable import Trends

/// The distribution functions against values computed with SciPy 1.17 (`scipy.special.betainc`,
/// `scipy.stats.binom.sf`, `scipy.stats.beta.ppf`), written down here so the tests need no Python.
@Suite("Distributions")
struct DistributionTests {
    @Test(
        "the regularised incomplete beta function",
        arguments: [
            (0.3, 2.5, 7.5, 0.6789434858661821), (0.26, 500, 1500, 0.8490456364450458),
            (0.01, 0.5, 0.5, 0.06376856085851985), (0.2515, 30_000, 90_000, 0.8848362290744849),
        ])
    func incompleteBeta(x: Double, a: Double, b: Double, expected: Double) {
        #expect(abs(Distributions.incompleteBeta(x, a, b) - expected) < 1e-10)
    }

    @Test(
        "binomial upper tails",
        arguments: [(14.0, 40.0, 0.2, 0.019407368928648555), (6, 20, 1.0 / 15, 0.0015039715655781895)])
    func binomialTail(k: Double, n: Double, p: Double, expected: Double) {
        #expect(abs(Distributions.binomialUpperTail(atLeast: k, trials: n, probability: p) - expected) < 1e-12)
    }

    @Test("a binomial tail equals the sum of its terms")
    func binomialSum() {
        // P(X ≥ 3) for Binomial(10, 0.25), summed term by term.
        var sum = 0.0
        var choose = 1.0
        for k in 0...10 {
            if k > 0 { choose = choose * Double(10 - k + 1) / Double(k) }
            if k >= 3 { sum += choose * pow(0.25, Double(k)) * pow(0.75, Double(10 - k)) }
        }
        #expect(abs(Distributions.binomialUpperTail(atLeast: 3, trials: 10, probability: 0.25) - sum) < 1e-13)
        #expect(Distributions.binomialUpperTail(atLeast: 0, trials: 10, probability: 0.25) == 1)
        #expect(Distributions.binomialUpperTail(atLeast: 11, trials: 10, probability: 0.25) == 0)
    }

    @Test(
        "beta quantiles",
        arguments: [
            (0.05, 14.0, 1.0, 0.8073638243498646), (0.05, 7, 29, 0.09782836842691164),
            (0.5, 123.4, 456.7, 0.21239163618856874),
        ])
    func quantile(probability: Double, a: Double, b: Double, expected: Double) {
        #expect(abs(Distributions.betaQuantile(probability, a, b) - expected) < 1e-9)
    }

    @Test("Benjamini-Hochberg adjusted p-values keep the family's order")
    func benjaminiHochberg() {
        let adjusted = FalseDiscovery.adjusted([0.01, 0.04, 0.03, 0.005])
        for (value, expected) in zip(adjusted, [0.02, 0.04, 0.04, 0.02]) {
            #expect(abs(value - expected) < 1e-15)
        }
        #expect(FalseDiscovery.adjusted([]).isEmpty)
        #expect(FalseDiscovery.adjusted([0.9, 0.8]) == [0.9, 0.9])
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
