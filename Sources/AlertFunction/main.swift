import Adapters
import RuntimeShim
import Tracker

/// Finds rising genres and artists and alerts subscribers (issue #7).
struct AlertHandler: LambdaHandler {
    let settings: Settings
    let mailer: any Mailer
    let notifier: any Notifier

    func handle(_ event: EventBridgeEvent<ScheduledEventDetail>, context: LambdaContext) async throws -> StepResult {
        context.logger.info("\(event.detailType) event \(event.id) at \(event.time)")
        throw NotImplementedYet(step: "AlertFunction", issue: 7)
    }
}

await Lambda.main { setup in
    let settings = try Settings.load(
        environment: setup.environment.variables, needs: [.database, .mail, .notifications],
        workingDirectory: setup.environment.workingDirectory)
    let adapters = AdapterFactory(environment: setup.environment.variables)
    let handler = AlertHandler(
        settings: settings, mailer: try adapters.mailer(settings.mailer),
        notifier: try adapters.notifier(settings.notifier))
    setup.logger.info(
        "ready", metadata: ["mailer": "\(handler.mailer.location)", "notifier": "\(handler.notifier.location)"])
    return handler
}
