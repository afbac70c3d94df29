import LambdaEvents
import Tracker

/// Forms that change something (sign-in, sign-out, sign-up) are accepted only from this site's own pages: the
/// browser's `Origin` (or, lacking it, its `Referer`) must be this site, and the form must carry the token that
/// the page's cookie holds (a double-submit token: a page elsewhere can make a browser post, but cannot read
/// the cookie to copy it). SameSite alone is not enough: another function URL may count as the same site.
struct FormGuard {
    static let cookieName = "bt_form"
    static let fieldName = "form_token"

    /// The token of this browser's forms.
    let token: String
    /// The cookie that gives it to the browser, when it had none.
    let setCookie: String?

    /// The browser's token, or a new one.
    init(_ request: FunctionURLRequest) {
        if let token = request.cookie(Self.cookieName), Self.isToken(token) {
            self.token = token
            setCookie = nil
        } else {
            token = Hex.random(bytes: 32)
            setCookie =
                "\(Self.cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict"
                + (request.isPlainHTTP ? "" : "; Secure")
        }
    }

    /// The hidden field a form sends its token in.
    var field: HTML { "<input type=\"hidden\" name=\"\(Self.fieldName)\" value=\"\(token)\">" }

    /// Why a posted form is refused, or `nil` when it came from this site's page.
    static func refusal(_ request: FunctionURLRequest) -> String? {
        let origin = request.origin
        if let sent = request.header("origin") {
            guard sent == origin else { return "it came from another site (\(sent.prefix(80)))" }
        } else if let referer = request.header("referer") {
            guard referer == origin || referer.hasPrefix(origin + "/") else { return "it came from another site" }
        } else {
            return "the browser did not say where it came from"
        }
        guard let cookie = request.cookie(cookieName), isToken(cookie),
            let sent = request.form.last(where: { $0.name == fieldName })?.value,
            constantTimeEqual(Array(sent.utf8), Array(cookie.utf8))
        else { return "its page has expired" }
        return nil
    }

    private static func isToken(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
