import Foundation
import Testing
import Tracker

@Suite("CSV read piece by piece, with the offsets that resuming needs")
struct CSVReaderTests {
    /// All records of a text fed in pieces of `size` bytes.
    func records(_ text: String, pieces size: Int = 1 << 20, from offset: Int = 0) throws -> [CSVReader.Record] {
        let bytes = Array(text.utf8)
        var reader = CSVReader(startingAt: offset)
        var result: [CSVReader.Record] = []
        var start = offset
        while start < bytes.count {
            let end = min(bytes.count, start + size)
            result += try reader.read(bytes[start..<end])
            start = end
        }
        if let last = try reader.finish() { result.append(last) }
        return result
    }

    @Test("quoted commas, doubled quotes, line breaks inside quotes, empty fields, CRLF and no final line end")
    func rfc4180() throws {
        let text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n,,\r\nlast,\"\",end"
        let fields = try records(text).map(\.fields)
        #expect(
            fields == [
                ["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["", "", ""], ["last", "", "end"],
            ])
    }

    @Test("the same records whatever the pieces are cut at, down to one byte")
    func anyPieces() throws {
        let text = "\u{FEFF}h1,h2\n\"q,\"\"\",é\r\nplain,\"a\r\nb\"\rlone,cr\n\nafter,blank\n"
        let whole = try records(text)
        #expect(
            whole.map(\.fields) == [
                ["h1", "h2"], ["q,\"", "é"], ["plain", "a\r\nb"], ["lone", "cr"], ["after", "blank"],
            ])
        for size in 1...9 {
            #expect(try records(text, pieces: size) == whole, "pieces of \(size) bytes")
        }
    }

    @Test("each record's end is where the next starts: reading again from there gives the rest, numbered from 1")
    func offsets() throws {
        let text = "\u{FEFF}id,name\n1,\"a\nb\"\r\n2,c\n\n3,d"
        let bytes = Array(text.utf8)
        let all = try records(text)
        #expect(all.first?.start == 3)  // after the byte order mark
        for (index, record) in all.enumerated().dropLast() {
            var reader = CSVReader(startingAt: record.end)
            var resumed = try reader.read(bytes[record.end...])
            if let last = try reader.finish() { resumed.append(last) }
            #expect(resumed.map(\.fields) == all[(index + 1)...].map(\.fields))
            #expect(resumed.first?.number == 1)
        }
        #expect(all.last?.end == bytes.count)
    }

    @Test("a quote left open, or text after a closing quote, is an error naming the byte")
    func malformed() throws {
        let open = #expect(throws: CSVError.self) { try records("a,b\n1,\"never closed\n2,3\n") }
        #expect(open?.offset == 4 && open?.description.contains("never closed") == true)
        let after = #expect(throws: CSVError.self) { try records("a,b\n\"x\"y,2\n") }
        #expect(after?.offset == 7)
        // A quote inside an unquoted field is kept, as pandas and Python read it.
        #expect(try records("12\" vinyl,LP\n").map(\.fields) == [["12\" vinyl", "LP"]])
    }
}

@Suite("Components' dataset rows as sale rows: the live feed's model and identity")
struct ComponentsRowsTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../WarehouseTests/Fixtures/components-sample.csv").standardized

    func csv() throws -> [CSVReader.Record] {
        var reader = CSVReader()
        var records = try reader.read(try Data(contentsOf: Self.fixture))
        if let last = try reader.finish() { records.append(last) }
        return records
    }

    @Test("every real row becomes a row, with the same key as the feed's item with the same fields")
    func realRows() throws {
        let records = try csv()
        var rows = try ComponentsRows(header: records[0].fields, domain: TestDomain.now)
        var keys: Set<String> = []
        for record in records.dropFirst() {
            let row = try rows.row(record.fields).get()
            keys.insert(row.saleKey)
            // The same item as the feed sends it: JSON of the same fields.
            var object: [String: Any] = [:]
            for (name, value) in zip(records[0].fields, record.fields) where !value.isEmpty && name != "_id" {
                object[name] =
                    ["utc_date", "amount_paid", "item_price", "amount_paid_usd"].contains(name)
                    ? (Decimal(string: value)! as NSDecimalNumber) : value
            }
            let item = try JSONDecoder().decode(
                SaleItem.self, from: try JSONSerialization.data(withJSONObject: object))
            let window = SalesfeedWindow(
                startDate: 0, endDate: 1, dataDelaySeconds: 0, serverTime: 0,
                events: [SaleEvent(eventType: "sale", utcDate: nil, items: [item])])
            #expect(
                SaleRow.rows(from: window, domain: TestDomain.now).rows.first?.saleKey == row.saleKey,
                "row \(record.number)")
        }
        #expect(keys.count == records.count - 1)
        let first = try ComponentsRows(header: records[0].fields, domain: TestDomain.now)
        var reading = first
        let row = try reading.row(records[2].fields).get()
        #expect(row.releaseURL == "https://maharettarecords.bandcamp.com/album/neurogen")
        #expect(
            row.utcDate.description == "1599688805.2783802" && row.currency == "GBP" && row.buyerCountryCode == "FI")
        #expect(row.itemType == .album && row.amountPaidUSD?.description == "1.3")
    }

    @Test("prices written through single precision are taken back to the cent; exact ones are kept")
    func prices() throws {
        for (raw, cents) in [
            ("9.98999977111816", "9.99"), ("1.9800000190734897", "1.98"), ("2.4000000953674303", "2.4"),
            ("0.9999999", "1"), ("20.0", "20"), ("0.125", "0.125"), ("1500", "1500"),
            // Too large for cents in 64 bits (found by the fuzzer): as it is, for the domain to refuse.
            ("92233720368547758.12345", "92233720368547758.12345"),
            ("-92233720368547758.999999", "-92233720368547758.999999"),
            ("92233720368547757.99999", "92233720368547758"),
        ] {
            #expect(FeedNumber(raw)?.roundedToCents().text == cents, "\(raw)")
        }
        let records = try csv()
        var rows = try ComponentsRows(header: records[0].fields, domain: TestDomain.now)
        #expect(try rows.row(records[1].fields).get().itemPrice?.text == "9.99")
    }

    @Test("identical items bought at once are told apart within their run of rows, and again in a new run")
    func identicalItems() throws {
        let records = try csv()
        var rows = try ComponentsRows(header: records[0].fields, domain: TestDomain.now)
        let line = records[1].fields
        let keys = try (0..<3).map { _ in try rows.row(line).get().saleKey }
        #expect(Set(keys).count == 3)
        rows.reset()
        #expect(try rows.row(line).get().saleKey == keys[0])
    }

    @Test("a header without utc_date, url or item_type, and rows that are not sales, are named")
    func refusals() throws {
        let missing = #expect(throws: ComponentsDatasetError.self) {
            try ComponentsRows(header: ["_id", "url", "amount_paid"], domain: TestDomain.now)
        }
        #expect(missing?.description.contains("utc_date, item_type") == true)
        var rows = try ComponentsRows(header: ["utc_date", "url", "item_type", "amount_paid"], domain: TestDomain.now)
        func reason(_ fields: [String]) -> String? {
            if case .failure(let error) = rows.row(fields) { return error.description }
            return nil
        }
        #expect(reason(["1599688803.5", "//a.bandcamp.com/album/x", "a"]) == "3 fields where the header has 4")
        #expect(reason(["", "//a.bandcamp.com/album/x", "a", "1"]) == "no utc_date")
        #expect(reason(["1599688803.5", "", "a", "1"])?.hasPrefix("no usable release URL") == true)
        #expect(reason(["1599688803.5", "//a.bandcamp.com/album/x", "z", "1"]) == "unknown item_type 'z'")
        #expect(reason(["1599688803.5", "//a.bandcamp.com/album/x", "a", "-1"]) == "amount_paid -1 is negative")
        #expect(reason(["1599688803.5", "//a.bandcamp.com/album/x", "p", "25"]) == nil)
    }
}
