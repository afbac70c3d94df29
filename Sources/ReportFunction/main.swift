import Adapters
import RuntimeShim
import Tracker

/// Builds and mails the daily PDF report (issue #6).
struct ReportHandler: LambdaHandler {
    let settings: Settings
    let objectStore: any ObjectStore
    let mailer: any Mailer

    func handle(_ event: EventBridgeEvent<ScheduledEventDetail>, context: LambdaContext) async throws -> StepResult {
        context.logger.info("\(event.detailType) event \(event.id) at \(event.time)")
        throw NotImplementedYet(step: "ReportFunction", issue: 6)
    }
}

await Lambda.main { setup in
    let settings = try Settings.load(
        environment: setup.environment.variables, needs: [.objectStore, .database, .mail],
        workingDirectory: setup.environment.workingDirectory)
    let adapters = AdapterFactory(environment: setup.environment.variables)
    let handler = ReportHandler(
        settings: settings, objectStore: try adapters.objectStore(settings.objectStore),
        mailer: try adapters.mailer(settings.mailer))
    setup.logger.info(
        "ready", metadata: ["objectStore": "\(handler.objectStore.location)", "mailer": "\(handler.mailer.location)"])
    return handler
}
