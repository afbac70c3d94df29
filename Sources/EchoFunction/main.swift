import RuntimeShim

/// Answers every event with its own bytes: the trivial handler that the runtime benchmark measures.
struct EchoHandler: LambdaRawHandler {
    func handle(_ event: [UInt8], context: LambdaContext) async throws -> [UInt8] {
        event
    }
}

await Lambda.mainRaw { _ in EchoHandler() }
