import Markup
import Testing

@Suite("XML read into plain values on libxml2")
struct XMLElementTests {
    @Test("an S3 listing: namespaces dropped from names, children and text in order")
    func listing() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Name>bucket</Name><IsTruncated>true</IsTruncated>
              <Contents><Key>raw/a%20b.json</Key><Size>12</Size><ETag>&quot;abc&quot;</ETag></Contents>
              <Contents><Key>raw/ü.json</Key><Size>7</Size></Contents>
              <NextContinuationToken>t0k&amp;en</NextContinuationToken>
            </ListBucketResult>
            """
        let root = try XMLElement.parse(Array(xml.utf8))
        #expect(root.name == "ListBucketResult")
        #expect(root["IsTruncated"] == "true")
        #expect(root.children("Contents").map { $0["Key"] } == ["raw/a%20b.json", "raw/ü.json"])
        #expect(root.children("Contents").first?["ETag"] == "\"abc\"")
        #expect(root["NextContinuationToken"] == "t0k&en")
        #expect(root.first("Size")?.text == "12")
    }

    @Test("an error document with attributes and CDATA")
    func errorDocument() throws {
        let xml =
            #"<ErrorResponse><Error kind="sender"><Code>NotFound</Code><Message><![CDATA[no <such> topic]]></Message></Error></ErrorResponse>"#
        let error = try #require(try XMLElement.parse(Array(xml.utf8)).first("Error"))
        #expect(error.attributes["kind"] == "sender")
        #expect(error["Code"] == "NotFound")
        #expect(error["Message"] == "no <such> topic")
    }

    @Test("what is not well-formed XML is an error, not an empty tree", arguments: ["", "<a><b></a>", "{\"json\":1}"])
    func malformed(text: String) {
        #expect(throws: MarkupError.self) { try XMLElement.parse(Array(text.utf8)) }
    }
}
