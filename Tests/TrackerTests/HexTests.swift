import Testing
import Tracker

@Suite("Hex: bytes as lower-case hexadecimal")
struct HexTests {
    @Test("two lower-case digits a byte, leading zeros kept")
    func encode() {
        #expect(Hex.encode([UInt8]()) == "")
        #expect(Hex.encode([0x00, 0x0f, 0x10, 0xab, 0xff]) == "000f10abff")
        #expect(Hex.encode((0...255).map(UInt8.init)).count == 512)
    }

    @Test("random tokens: the asked number of bytes, hex digits only, different each time")
    func random() {
        let tokens = (0..<50).map { _ in Hex.random(bytes: 32) }
        #expect(tokens.allSatisfy { $0.count == 64 && $0.allSatisfy { "0123456789abcdef".contains($0) } })
        #expect(Set(tokens).count == 50)
    }
}
