// libFuzzer driving every parser of values from outside: built by scripts/fuzz with `-sanitize=fuzzer -D FUZZING`
// (this program's main hands its arguments to libFuzzer's driver). FUZZ_TARGET picks the parser: feed, page,
// csv, chart or http. Each must answer any bytes with a value or an error, never a crash; libFuzzer reports one
// as a failure, with the input that caused it.
import Extract
import RuntimeShim
import Tracker

#if canImport(Glibc)
    import Glibc
#endif

/// The parser this process fuzzes.
enum FuzzTarget: String {
    case feed, page, csv, chart, http

    static let chosen: FuzzTarget = {
        guard let name = getenv("FUZZ_TARGET").map({ String(cString: $0) }), let target = FuzzTarget(rawValue: name)
        else {
            let message = Array("FUZZ_TARGET must be one of feed, page, csv, chart, http\n".utf8)
            _ = message.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            exit(2)
        }
        return target
    }()

    func run(_ bytes: [UInt8]) {
        switch self {
        case .feed:
            // Whole, and in two pieces, as windows arrive.
            _ = try? SalesfeedWindow.parse(bytes)
            var reader = SalesfeedReader()
            let half = bytes.count / 2
            if let events = try? reader.read(bytes[..<half]) {
                _ = SaleRow.rows(
                    from: SalesfeedWindow(startDate: 0, endDate: 0, dataDelaySeconds: 0, serverTime: 0, events: events),
                    domain: SaleDomain(now: 2_000_000_000))
            }
            _ = try? reader.read(bytes[half...])
            _ = try? reader.finish()
        case .page:
            _ = try? ReleasePageParser.parse(bytes, url: "https://artist.bandcamp.com/album/a")
        case .csv:
            var reader = CSVReader()
            guard let records = try? reader.read(bytes), let header = records.first,
                var rows = try? ComponentsRows(header: header.fields, domain: SaleDomain(now: 2_000_000_000))
            else { return }
            for record in records.dropFirst() { _ = rows.row(record.fields) }
        case .chart:
            _ = try? ChartFile.parse(bytes, name: "regional-global-weekly-2024-12-19.csv")
            _ = try? ChartFile.parse(bytes, name: "charts.csv")
        case .http:
            guard let head = try? HTTPRequestReader.parseHead(bytes, sourceIP: "127.0.0.1", serverHost: "127.0.0.1:1")
            else { return }
            _ = try? FunctionURLEvent.encode(head, requestID: "fuzz")
        }
    }
}

#if FUZZING
    /// libFuzzer's driver: runs the fuzzer with these arguments and this function called on each input.
    @_silgen_name("LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32

    let oneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32 = { data, size in
        FuzzTarget.chosen.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(runFuzzerDriver(&argc, &argv, oneInput))
#else
    let message = Array("FuzzParsers runs under libFuzzer: build and run it with scripts/fuzz\n".utf8)
    _ = message.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(64)
#endif
