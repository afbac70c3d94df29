import Alerts
import RuntimeShim

await Lambda.main { try AlertHandler.start($0) }
