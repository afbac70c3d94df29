import Postgres
import ReadModel

// A subscription's channel and frequency as `alert_subscription` and `alert_delivery` store them.
extension AlertSubscription.Channel: PostgresDecodable {}
extension AlertSubscription.Frequency: PostgresDecodable {}
