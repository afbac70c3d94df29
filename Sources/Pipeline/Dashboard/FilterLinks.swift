import LambdaEvents
import ReadModel

extension DashboardFilter {
    /// A link to a page with this filter, changed by `change`, plus extra query pairs.
    public func link(
        _ path: String, extra: [(String, String)] = [], _ change: (inout DashboardFilter) -> Void = { _ in }
    )
        -> String
    {
        var changed = self
        change(&changed)
        let query = Form.encode(changed.queryItems + extra)
        return query.isEmpty ? path : "\(path)?\(query)"
    }
}
