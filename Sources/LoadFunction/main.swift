import Adapters
import RuntimeShim
import Tracker

/// Loads raw objects into the PostgreSQL warehouse (issue #5).
struct LoadHandler: LambdaHandler {
    let settings: Settings
    let objectStore: any ObjectStore

    func handle(_ event: EventBridgeEvent<S3ObjectCreatedDetail>, context: LambdaContext) async throws -> StepResult {
        context.logger.info("\(event.detailType) event \(event.id) at \(event.time)")
        throw NotImplementedYet(step: "LoadFunction", issue: 5)
    }
}

await Lambda.main { setup in
    let settings = try Settings.load(
        environment: setup.environment.variables, needs: [.objectStore, .database],
        workingDirectory: setup.environment.workingDirectory)
    let adapters = AdapterFactory(environment: setup.environment.variables)
    let handler = LoadHandler(
        settings: settings, objectStore: try adapters.objectStore(settings.objectStore))
    setup.logger.info("ready", metadata: ["objectStore": "\(handler.objectStore.location)"])
    return handler
}
