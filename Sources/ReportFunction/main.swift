import Report
import RuntimeShim

await Lambda.main { try ReportHandler.start($0) }
