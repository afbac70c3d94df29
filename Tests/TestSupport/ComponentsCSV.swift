import Foundation

/// Rows of the shape of Components' "1,000,000 Bandcamp sales" CSV, made for tests: its 23 columns, quoting
/// where the real file quotes (a description holding a comma and a quote).
public enum ComponentsCSV {
    public static let header =
        "_id,art_url,item_type,utc_date,country_code,track_album_slug_text,country,slug_type,amount_paid_fmt,item_price,item_description,art_id,url,amount_paid,releases,artist_name,currency,album_title,amount_paid_usd,package_image_id,amount_over_fmt,item_slug,addl_count"

    /// A row: `n` picks the release, the type and the amounts (paid `n % 20 + 1` EUR, that plus 0.5 in USD);
    /// `time` the `utc_date` (distinct for each n unless given).
    public static func row(_ n: Int, time: String? = nil, description: String? = nil) -> String {
        let date = time ?? "1600000000.\(100_000 + n)"
        let type = ["a", "t", "p", "b"][n % 4]
        let path = type == "t" ? "track/t\(n % 301)" : "album/a\(n % 301)"
        let url = "//artist\(n % 97).bandcamp.com/\(path)"
        let paid = n % 20 + 1
        let text = description ?? (type == "p" ? "\"12\"\" Vinyl, black\"" : "Release \(n % 301)")
        return
            "\(date)&\(url),https://f4.bcbits.com/img/a\(n)_7.jpg,\(type),\(date),\(["us", "gb", "de", "jp"][n % 4]),,Country,a,€\(paid),\(paid).0,\(text),\(n).0,\(url),\(paid).0,,Artist \(n % 97),EUR,,\(paid).5,,,,"
    }

    /// A whole file of `count` rows.
    public static func file(rows count: Int, first: Int = 0, lineEnd: String = "\n") -> String {
        ([header] + (first..<(first + count)).map { row($0) }).joined(separator: lineEnd) + lineEnd
    }

    /// The USD total of `row(n)` for these n.
    public static func usd(_ range: Range<Int>) -> Decimal {
        range.reduce(Decimal(0)) { $0 + Decimal($1 % 20 + 1) + Decimal(string: "0.5")! }
    }
}
