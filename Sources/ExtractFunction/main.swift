import Extract
import RuntimeShim

await Lambda.main { try ExtractHandler.start($0) }
