import Tracker

/// The sale domain of the tests of rows: any time from 1970 on (their windows are small numbers), and the
/// limits on amounts and lengths as they are. The era's bounds have their own tests.
enum TestDomain {
    static let now: SaleDomain = {
        var domain = SaleDomain(now: 1_800_000_000)
        domain.earliest = 1
        return domain
    }()
}
