import RuntimeShim
import Tracker

/// Builds and mails the daily PDF report (issue #6).
struct ReportHandler: LambdaHandler {
    let settings: Settings

    func handle(_ event: EventBridgeEvent<ScheduledEventDetail>, context: LambdaContext) async throws -> StepResult {
        context.logger.info("\(event.detailType) event \(event.id) at \(event.time)")
        throw NotImplementedYet(step: "ReportFunction", issue: 6)
    }
}

await Lambda.main { setup in
    let settings = try Settings.load(
        environment: setup.environment.variables, needs: [.objectStore, .database, .mail],
        workingDirectory: setup.environment.workingDirectory)
    return ReportHandler(settings: settings)
}
