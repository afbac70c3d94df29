import CCurl
import CLibPQ
import CLibXML2
import Testing

@Suite("The system C libraries link and work")
struct SystemLibraryTests {
    @Test("libcurl is 7.68 or newer, with HTTP and TLS")
    func curl() throws {
        let info = try #require(bt_curl_version_info())
        #expect(info.pointee.version_num >= 0x074400)
        let protocols = sequence(first: info.pointee.protocols!) { $0.successor() }
            .prefix { $0.pointee != nil }.map { String(cString: $0.pointee!) }
        #expect(protocols.contains("http") && protocols.contains("https"))
    }

    @Test("libxml2 parses broken real-world HTML into a tree")
    func libxml2() throws {
        #expect(bt_libxml_version() >= 20900)
        let html = #"<html><body><a class="tag" href="/t/ambient">ambient<p>unclosed</body>"#
        let options = Int32(HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue)
        let document = try #require(
            html.withCString { htmlReadMemory($0, Int32(html.utf8.count), "test.html", "UTF-8", options) })
        defer { xmlFreeDoc(document) }
        let context = try #require(xmlXPathNewContext(document))
        defer { xmlXPathFreeContext(context) }
        let expression = Array("//a[@class='tag']".utf8) + [0]
        let result = try #require(xmlXPathEvalExpression(expression, context))
        defer { xmlXPathFreeObject(result) }
        #expect(result.pointee.nodesetval.pointee.nodeNr == 1)
        let node = result.pointee.nodesetval.pointee.nodeTab[0]
        let text = try #require(xmlNodeGetContent(node))
        defer { bt_xml_free(text) }
        #expect(String(cString: text).hasPrefix("ambient"))
    }

    @Test("libpq is from PostgreSQL 15 or newer")
    func libpq() {
        #expect(PQlibVersion() >= 150000)
        #expect(PQisthreadsafe() == 1)
    }
}
