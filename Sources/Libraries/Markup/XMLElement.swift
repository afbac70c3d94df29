import CLibXML2

/// An XML element read into plain values: its local name, attributes, text and child elements.
///
/// Small documents only (AWS responses, a page of a listing): the whole tree is copied out of libxml2 and the
/// document freed at once.
public struct XMLElement: Sendable, Equatable {
    /// The local name, without any namespace prefix.
    public var name: String
    /// Attributes by local name.
    public var attributes: [String: String]
    /// The element's own text and that of its descendants, in document order.
    public var text: String
    /// Child elements, in order.
    public var children: [XMLElement]

    /// The first child with this local name.
    public func child(_ name: String) -> XMLElement? {
        children.first { $0.name == name }
    }

    /// Every child with this local name.
    public func children(_ name: String) -> [XMLElement] {
        children.filter { $0.name == name }
    }

    /// The text of the first child with this local name.
    public subscript(_ name: String) -> String? {
        child(name)?.text
    }

    /// The first element with this local name here or below, depth first.
    public func first(_ name: String) -> XMLElement? {
        if self.name == name { return self }
        for child in children {
            if let found = child.first(name) { return found }
        }
        return nil
    }

    /// Parses an XML document.
    /// - Throws: `MarkupError` when the bytes are not well-formed XML.
    public static func parse(_ bytes: [UInt8]) throws -> XMLElement {
        guard !bytes.isEmpty else { throw MarkupError("the document is empty") }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                xmlReadMemory($0, Int32(buffer.count), "response.xml", "UTF-8", options)
            }
        }
        guard let document else {
            throw MarkupError("the document is not well-formed XML (\(bytes.count) bytes)")
        }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else {
            throw MarkupError("the XML document has no root element")
        }
        return element(root)
    }

    private static func element(_ node: xmlNodePtr) -> XMLElement {
        let attributes = LibXML.attributes(of: node)
        var children: [XMLElement] = []
        var text = ""
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                let element = element(current)
                text += element.text
                children.append(element)
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content { text += String(cString: content) }
            default:
                break
            }
            child = current.pointee.next
        }
        return XMLElement(
            name: String(cString: node.pointee.name), attributes: attributes, text: text, children: children)
    }
}

/// A document that could not be read.
public struct MarkupError: Error, Sendable, CustomStringConvertible {
    /// What was wrong.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
