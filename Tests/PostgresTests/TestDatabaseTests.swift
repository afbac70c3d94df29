import Testing

@testable import TestSupport

@Suite("Test databases: those of earlier runs are found by name, whatever the purpose")
struct TestDatabaseTests {
    let now = 1_796_610_000

    @Test("made over an hour ago, or in the older form: stale, underscores in the purpose or not")
    func stale() {
        for name in [
            "t_migrate_1796600000_1845131741", "t_summary_build_1796600333_3823711642",
            "t_summary_upgrade_1796598731_673734735", "t_bfbad_3473863358", "t_summary_tags_696803362",
        ] {
            #expect(TestDatabase.isStale(name, now: now), "\(name)")
        }
    }

    @Test("made within the hour (a test process running now), or not a test database's name: kept")
    func kept() {
        for name in [
            "t_migrate_1796609546_1845131741", "t_summary_build_1796609000_3823711642", "bandcamp_tracker",
            "bench_year", "t_", "t_x", "t_summary_build", "t_summary_build_", "tt_x_1",
            "t_x_1796600000_12a",
        ] {
            #expect(!TestDatabase.isStale(name, now: now), "\(name)")
        }
    }
}
