/// The empty detail (`{}`) of a scheduled event; any fields are ignored.
public struct ScheduledEventDetail: Decodable, Sendable, Equatable {
    public init() {}
    public init(from decoder: any Decoder) throws {}
}
