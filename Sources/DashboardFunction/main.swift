import Dashboard
import RuntimeShim

await Lambda.main { try await DashboardHandler.start($0) }
