import CLibXML2

/// What both readers take from libxml2's nodes.
enum LibXML {
    /// An element's attributes by name, values with entities decoded (none for other kinds of node).
    static func attributes(of node: xmlNodePtr) -> [String: String] {
        var attributes: [String: String] = [:]
        var attribute = node.pointee.type == XML_ELEMENT_NODE ? node.pointee.properties : nil
        while let current = attribute {
            let name = String(cString: current.pointee.name)
            attributes[name] = content(of: UnsafeMutableRawPointer(current).assumingMemoryBound(to: xmlNode.self))
            attribute = current.pointee.next
        }
        return attributes
    }

    /// A node's text, and its descendants', as libxml2 gives it (`xmlNodeGetContent`).
    static func content(of node: xmlNodePtr) -> String? {
        guard let value = xmlNodeGetContent(node) else { return nil }
        defer { bt_xml_free(value) }
        return String(cString: value)
    }
}
