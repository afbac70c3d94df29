import Postgres
import Trends

// The trend engine's enums as they are stored (`alert.entity_type`, `alert.kind`, `alert_subscription.kinds`).
// Trends is pure and imports no database module, so the conformances live here.
extension EntityKind: PostgresDecodable {}
extension SignalKind: PostgresDecodable {}
