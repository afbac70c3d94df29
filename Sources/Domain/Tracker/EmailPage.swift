/// The frame the project's HTML emails share (the daily report's and the alerts'): a title band with a small
/// label and a heading, and a footer saying who sent it with the unsubscribe link.
public enum EmailPage {
    /// The page up to the end of its title band.
    public static func open(title: String, label: String, heading: String) -> HTML {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(title)</title></head>
        <body style="margin:0;padding:0;background:#f3f5f7;font-family:Helvetica,Arial,sans-serif;color:#1f2933">
        <div style="max-width:620px;margin:0 auto;background:#ffffff">
        <div style="background:#0e3a4a;color:#ffffff;padding:22px 26px;border-bottom:3px solid #1da0c3">
        <div style="font-size:11px;letter-spacing:1px;color:#a9c7d1">BANDCAMP SALES · \(label)</div>
        <div style="font-size:24px;font-weight:bold;margin-top:6px">\(heading)</div>
        </div>

        """
    }

    /// The footer (`note`, then the unsubscribe link when there is one) and the page's end.
    public static func close(note: String, unsubscribe: String?) -> HTML {
        var out: HTML = """
            <div style="padding:14px 26px;font-size:11px;color:#5f6b7a;border-top:1px solid #e8ebef">
            \(note)
            """
        if let unsubscribe {
            out += " <a href=\"\(unsubscribe)\" style=\"color:#5f6b7a\">Unsubscribe</a>."
        }
        return out + "\n</div>\n</div>\n</body></html>\n"
    }
}
