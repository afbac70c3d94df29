import RuntimeShim
import Warehouse

await Lambda.main { try LoadHandler.start($0) }
