import RuntimeShim
import Warehouse

await Lambda.main { try ChartsHandler.start($0) }
