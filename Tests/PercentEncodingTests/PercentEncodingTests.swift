import PercentEncoding
import Testing

@Suite("Percent-encoding as RFC 3986 and SigV4 define it")
struct PercentEncodingTests {
    @Test("unreserved characters stay, every other byte is %XX in upper case")
    func encode() {
        #expect(PercentEncoding.encode("AZaz09-_.~") == "AZaz09-_.~")
        #expect(PercentEncoding.encode("a b+c=d/é") == "a%20b%2Bc%3Dd%2F%C3%A9")
        #expect(PercentEncoding.encode("raw/a b/ü.json", keepingSlash: true) == "raw/a%20b/%C3%BC.json")
    }

    @Test("decoding undoes encoding for any text", arguments: ["", "plain", "a b+c=d/é", "日本語 файл %41", "100%"])
    func roundTrip(text: String) {
        #expect(PercentEncoding.decode(PercentEncoding.encode(text)) == text)
    }

    @Test("+ is a space only in form queries; malformed escapes are kept")
    func decode() {
        #expect(PercentEncoding.decode("a+b%2Bc") == "a+b+c")
        #expect(PercentEncoding.decode("a+b%2Bc", plusIsSpace: true) == "a b+c")
        #expect(PercentEncoding.decode("%zz%4") == "%zz%4")
        #expect(PercentEncoding.decode("%e1%88%b4") == "ሴ")
    }
}

@Suite("Form pairs")
struct FormPairsTests {
    @Test("pairs decoded in order, repeated names kept, plus as space, a bare name empty")
    func pairs() {
        let pairs = PercentEncoding.formPairs("a=1&b=x+y&a=%C3%A9&flag&=v&c=1%3D2")
        #expect(pairs.map(\.name) == ["a", "b", "a", "flag", "", "c"])
        #expect(pairs.map(\.value) == ["1", "x y", "é", "", "v", "1=2"])
        #expect(PercentEncoding.formPairs("").isEmpty)
    }
}
