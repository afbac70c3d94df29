import Adapters
import RuntimeShim
import Tracker

/// Follows Bandcamp's sales feed into raw objects (issue #4).
struct ExtractHandler: LambdaHandler {
    let settings: Settings
    let objectStore: any ObjectStore

    func handle(_ event: EventBridgeEvent<ScheduledEventDetail>, context: LambdaContext) async throws -> StepResult {
        context.logger.info("\(event.detailType) event \(event.id) at \(event.time)")
        throw NotImplementedYet(step: "ExtractFunction", issue: 4)
    }
}

await Lambda.main { setup in
    let settings = try Settings.load(
        environment: setup.environment.variables, needs: [.objectStore, .bandcamp],
        workingDirectory: setup.environment.workingDirectory)
    let adapters = AdapterFactory(environment: setup.environment.variables)
    let handler = ExtractHandler(
        settings: settings, objectStore: try adapters.objectStore(settings.objectStore))
    setup.logger.info("ready", metadata: ["objectStore": "\(handler.objectStore.location)"])
    return handler
}
