#if canImport(Glibc)
    import Glibc
    import Testing

    /// Sources/System/GlibcCompat defines hypotf in every bootstrap (so that none needs glibc 2.35); it must be the
    /// function C describes.
    @Suite("hypotf as the bootstraps define it")
    struct GlibcCompatTests {
        @Test("Exact on Pythagorean triples, symmetric, and unaffected by signs")
        func triples() {
            #expect(hypotf(3, 4) == 5)
            #expect(hypotf(4, 3) == 5)
            #expect(hypotf(-5, 12) == 13)
            #expect(hypotf(0, -7) == 7)
            #expect(hypotf(0, 0) == 0)
        }

        @Test("Within half an ulp of the double-precision result, without overflow or underflow on the way")
        func precision() {
            let pairs: [(Float, Float)] = [
                (1e-30, 1e-30), (3e38, 1), (.leastNonzeroMagnitude, .leastNonzeroMagnitude), (1, 1e-8),
                (123.456, 789.012), (2e19, 2e19),
            ]
            for (x, y) in pairs {
                let exact = Double(x).magnitude * (1 + (Double(y) / Double(x)) * (Double(y) / Double(x))).squareRoot()
                let got = hypotf(x, y)
                #expect(got.isFinite)
                #expect(abs(Double(got) - exact) <= Double(got.ulp) / 2, "hypotf(\(x), \(y)) = \(got), exact \(exact)")
            }
        }

        @Test("Infinity wins over NaN, as C requires; NaN otherwise; overflow to infinity")
        func specials() {
            #expect(hypotf(.infinity, .nan) == .infinity)
            #expect(hypotf(.nan, -.infinity) == .infinity)
            #expect(hypotf(.nan, 1).isNaN)
            #expect(hypotf(3e38, 3e38) == .infinity)
        }
    }
#endif
