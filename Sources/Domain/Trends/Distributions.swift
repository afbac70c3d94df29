#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few distribution functions the trend tests need, all through the regularised incomplete beta function
/// (binomial and negative-binomial tails are values of it), computed by its continued fraction (modified Lentz).
public enum Distributions {
    /// The regularised incomplete beta function I_x(a, b), for a, b > 0 (real, not only whole numbers).
    public static func incompleteBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        precondition(a > 0 && b > 0, "incompleteBeta needs a, b > 0 (got \(a), \(b))")
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        // The continued fraction converges fast below the mean; above it, use I_x(a, b) = 1 - I_{1-x}(b, a).
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(x, a, b) / a
        }
        return 1 - exp(logFront) * continuedFraction(1 - x, b, a) / b
    }

    private static func continuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        func guarded(_ value: Double) -> Double { abs(value) < tiny ? tiny : value }
        var c = 1.0
        var d = 1 / guarded(1 - (a + b) * x / (a + 1))
        var h = d
        // Needs about sqrt(max(a, b)) steps; the bound only stops a runaway.
        for m in 1...100_000 {
            let m = Double(m)
            let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 / guarded(1 + even * d)
            c = guarded(1 + even / c)
            h *= d * c
            let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 / guarded(1 + odd * d)
            c = guarded(1 + odd / c)
            let step = d * c
            h *= step
            if abs(step - 1) < 1e-15 { break }
        }
        return h
    }

    /// The x at which I_x(a, b) = probability (a quantile of the Beta(a, b) distribution), by bisection.
    public static func betaQuantile(_ probability: Double, _ a: Double, _ b: Double) -> Double {
        if probability <= 0 { return 0 }
        if probability >= 1 { return 1 }
        var low = 0.0
        var high = 1.0
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if incompleteBeta(middle, a, b) < probability { low = middle } else { high = middle }
            if high - low < 1e-14 * max(1e-300, middle) { break }
        }
        return (low + high) / 2
    }

    /// P(X ≥ k) for X ~ Binomial(n, p); k and n may be real (counts deflated for overdispersion), k ≤ n.
    public static func binomialUpperTail(atLeast k: Double, trials n: Double, probability p: Double) -> Double {
        if k <= 0 { return 1 }
        if k > n { return 0 }
        return incompleteBeta(p, k, n - k + 1)
    }
}
