import CLibXML2

/// An HTML page parsed by libxml2's forgiving HTML parser, queried with XPath.
///
/// Real pages are broken in every way a browser forgives; so is this parser. Network access is off.
public final class HTMLDocument {
    /// An element found by a query: its attributes and its text (entities decoded, white space as in the page).
    public struct Element: Sendable, Equatable {
        public var name: String
        public var attributes: [String: String]
        public var text: String
    }

    private let document: htmlDocPtr

    /// Parses a page.
    /// - Throws: `MarkupError` when there is nothing to parse.
    public init(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { throw MarkupError("the page is empty") }
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue)
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                htmlReadMemory($0, Int32(buffer.count), "page.html", "UTF-8", options)
            }
        }
        guard let parsed else { throw MarkupError("the page could not be parsed as HTML (\(bytes.count) bytes)") }
        document = parsed
    }

    deinit {
        xmlFreeDoc(document)
    }

    /// The elements an XPath expression selects (attribute nodes give their element's name and their value
    /// as text).
    public func select(_ xpath: String) -> [Element] {
        guard let context = xmlXPathNewContext(document) else { return [] }
        defer { xmlXPathFreeContext(context) }
        let expression = Array(xpath.utf8) + [0]
        guard let result = xmlXPathEvalExpression(expression, context) else { return [] }
        defer { xmlXPathFreeObject(result) }
        guard let nodes = result.pointee.nodesetval, nodes.pointee.nodeNr > 0 else { return [] }
        return (0..<Int(nodes.pointee.nodeNr)).compactMap { index in
            guard let node = nodes.pointee.nodeTab[index] else { return nil }
            return element(node)
        }
    }

    /// The text of the first match, if any.
    public func firstText(_ xpath: String) -> String? {
        select(xpath).first?.text
    }

    private func element(_ node: xmlNodePtr) -> Element {
        Element(
            name: String(cString: node.pointee.name), attributes: LibXML.attributes(of: node),
            text: LibXML.content(of: node) ?? "")
    }
}

/// An XPath test for one class among an element's classes.
public func hasClass(_ name: String) -> String {
    "contains(concat(' ', normalize-space(@class), ' '), ' \(name) ')"
}
