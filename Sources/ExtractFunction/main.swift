import RuntimeShim
import Tracker

/// Follows Bandcamp's sales feed into raw objects (issue #4).
struct ExtractHandler: LambdaHandler {
    let settings: Settings

    func handle(_ event: EventBridgeEvent<ScheduledEventDetail>, context: LambdaContext) async throws -> StepResult {
        context.logger.info("\(event.detailType) event \(event.id) at \(event.time)")
        throw NotImplementedYet(step: "ExtractFunction", issue: 4)
    }
}

await Lambda.main { setup in
    let settings = try Settings.load(
        environment: setup.environment.variables, needs: [.objectStore, .bandcamp],
        workingDirectory: setup.environment.workingDirectory)
    return ExtractHandler(settings: settings)
}
