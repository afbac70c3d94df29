import LambdaEvents
import Tracker

extension FunctionURLResponse {
    /// A page of the dashboard: HTML made safe by construction, with the headers of every page.
    static func page(_ status: Int, _ page: HTML, cookies: [String] = []) -> FunctionURLResponse {
        .html(status, markup: page.markup, cookies: cookies)
    }
}
