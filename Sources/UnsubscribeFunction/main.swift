import Dashboard
import RuntimeShim

await Lambda.main { try UnsubscribeHandler.start($0) }
