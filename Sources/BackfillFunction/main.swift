import RuntimeShim
import Warehouse

await Lambda.main { try BackfillHandler.start($0) }
