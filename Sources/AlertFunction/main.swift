import RuntimeShim
import Tracker

/// Finds rising genres and artists and alerts subscribers (issue #7).
struct AlertHandler: LambdaHandler {
    let settings: Settings

    func handle(_ event: EventBridgeEvent<ScheduledEventDetail>, context: LambdaContext) async throws -> StepResult {
        context.logger.info("\(event.detailType) event \(event.id) at \(event.time)")
        throw NotImplementedYet(step: "AlertFunction", issue: 7)
    }
}

await Lambda.main { setup in
    let settings = try Settings.load(
        environment: setup.environment.variables, needs: [.database, .mail, .notifications],
        workingDirectory: setup.environment.workingDirectory)
    return AlertHandler(settings: settings)
}
