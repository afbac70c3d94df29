import Configuration
import RuntimeShim

/// What every function starts with, once per cold start: its settings, read and checked, and the factory of its
/// adapters.
public struct FunctionStart: Sendable {
    public let settings: Settings
    public let adapters: AdapterFactory

    /// Reads the settings the function needs.
    /// - Throws: `ConfigurationError` naming every missing or malformed setting.
    public init(_ setup: LambdaInitContext, needs: Set<Settings.Need>) throws {
        settings = try Settings.load(
            environment: setup.environment.variables, needs: needs, workingDirectory: setup.environment.workingDirectory
        )
        adapters = AdapterFactory(environment: setup.environment.variables)
    }
}
