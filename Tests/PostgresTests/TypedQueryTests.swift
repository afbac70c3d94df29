import Postgres
import TestSupport
import Testing

// The tests' own `query(_: String, _:)` (TestSupport) takes a plain literal first: statements here that bind
// values say `as SQLQuery`.

/// The statement and values an interpolation makes, with no server.
@Suite("SQLQuery binds every interpolated value")
struct SQLQueryTests {
    @Test("values become numbered parameters; SQL text stays text")
    func binds() {
        let name = "Robert'); DROP TABLE sale; --"
        let limit = 5
        let missing: String? = nil
        let query: SQLQuery =
            "SELECT * FROM artist WHERE name = \(name) AND note IS NOT DISTINCT FROM \(missing) LIMIT \(limit)"
        #expect(query.sql == "SELECT * FROM artist WHERE name = $1 AND note IS NOT DISTINCT FROM $2 LIMIT $3")
        #expect(query.bindings == [name, nil, "5"])
    }

    @Test("pieces keep their values, renumbered where they are put")
    func pieces() {
        let day: SQLQuery = "s.sold_at >= to_timestamp(\(Int64(100))) AND s.sold_at < to_timestamp(\(Int64(200)))"
        let genres = SQLQuery.joined(["t.key = \("rock")", "t.key = \("jazz")"], separator: " OR ")
        let query: SQLQuery = "SELECT \(true) WHERE \(day) AND (\(genres)) AND s.item_type = \(unescaped: "'album'")"
        #expect(
            query.sql == "SELECT $1 WHERE s.sold_at >= to_timestamp($2) AND s.sold_at < to_timestamp($3) AND "
                + "(t.key = $4 OR t.key = $5) AND s.item_type = 'album'")
        #expect(query.bindings == ["t", "100", "200", "rock", "jazz"])
    }

    @Test("arrays are one parameter, their elements quoted; missing elements are NULL")
    func arrays() {
        let query: SQLQuery = "SELECT \(["a\"b", "c,d"])::text[], \([Int64(1), nil])::bigint[]"
        #expect(query.bindings == [#"{"a\"b","c,d"}"#, #"{"1",NULL}"#])
    }

    @Test("non-finite doubles are spelled as PostgreSQL reads them, never a trap")
    func doubles() {
        let query: SQLQuery = "SELECT \(Double.nan), \(Double.infinity), \(-Double.infinity), \(0.25)"
        #expect(query.bindings == ["NaN", "Infinity", "-Infinity", "0.25"])
    }

    @Test(
        "array text is read back element by element",
        arguments: [
            ("{}", [] as [String?]), ("{a,b}", ["a", "b"]), (#"{"a \"b\"",NULL,"NULL"}"#, [#"a "b""#, nil, "NULL"]),
            (#"{"x,y","{}"}"#, ["x,y", "{}"]),
        ])
    func arrayText(text: String, elements: [String?]) {
        #expect(PostgresArray.elements(of: text) == elements)
    }

    @Test("text that is no one-dimensional array is refused", arguments: ["", "a,b", "{a", "{{1,2},{3,4}}", "{\"a}"])
    func notArrays(text: String) {
        #expect(PostgresArray.elements(of: text) == nil)
    }
}

@Suite("Rows read by column name against the project's cluster")
struct PostgresRowTests {
    @Test("values decode by name into their types; NULL into optionals")
    func decodes() async throws {
        let db = try await connect()
        let hostile = "Robert'); DROP TABLE sale; --"
        let row = try await db.query(
            """
            SELECT \(hostile)::text AS name, 42::bigint AS id, 2.5::float8 AS ratio, true AS active, NULL::text AS note,
                '{1,2,3}'::bigint[] AS ids, '{"a b",NULL}'::text[] AS tags, 'NaN'::float8 AS odd
            """ as SQLQuery
        ).single()
        #expect(try row.decode("name") == hostile)
        #expect(try row.decode("id", as: Int64.self) == 42)
        #expect(try row.decode("ratio", as: Double.self) == 2.5)
        #expect(try row.decode("active", as: Bool.self))
        #expect(try row.decode("note", as: String?.self) == nil)
        #expect(try row.decode("ids", as: [Int64].self) == [1, 2, 3])
        #expect(try row.decode("tags", as: [String?].self) == ["a b", nil])
        #expect(try row.decode("odd", as: Double.self).isNaN)
    }

    @Test("a missing column, a NULL where none is taken and a bad value are errors that name the column")
    func errors() async throws {
        let db = try await connect()
        let row = try await db.query("SELECT 1 AS sales, NULL::int AS revenue, 'x' AS kind").single()
        for (column, read, words) in [
            ("artists", { try row.decode("artists", as: Int.self) }, "no column 'artists'"),
            ("revenue", { try row.decode("revenue", as: Int.self) }, "column 'revenue' is NULL"),
            ("kind", { try row.decode("kind", as: Int.self) }, "column 'kind' holds 'x'"),
        ] as [(String, () throws -> Int, String)] {
            let error = #expect(throws: PostgresError.self, "\(column)") { try read() }
            #expect(error?.code == .decoding)
            #expect(error?.description.contains(words) == true, "\(error?.description ?? "")")
        }
        #expect(throws: PostgresError.self) { try row.decode("kind", as: Bool.self) }
    }

    @Test("scalar wants one row of one column; scalarIfPresent takes none")
    func scalars() async throws {
        let db = try await connect()
        #expect(try await db.query("SELECT count(*) FROM generate_series(1, 7)").scalar(Int.self) == 7)
        #expect(try await db.query("SELECT 1 AS x WHERE false").scalarIfPresent(Int.self) == nil)
        await #expect(throws: PostgresError.self) { try await db.query("SELECT 1 AS a, 2 AS b").scalar(Int.self) }
        await #expect(throws: PostgresError.self) {
            try await db.query("SELECT * FROM generate_series(1, 2) AS n").scalar(Int.self)
        }
    }

    @Test("an interpolated value is a value: injection finds nothing to run")
    func injection() async throws {
        let db = try await connect()
        let hostile = "x' OR '1'='1"
        let count: Int = try await db.query(
            "SELECT count(*) FROM (VALUES ('a'), ('b')) AS v(name) WHERE name = \(hostile)" as SQLQuery
        ).scalar()
        #expect(count == 0)
    }

    private struct Pair: PostgresRowDecodable, Equatable {
        var left: Int
        var right: String?

        init(left: Int, right: String?) {
            self.left = left
            self.right = right
        }

        init(row: PostgresRow) throws {
            left = try row.decode("left")
            right = try row.decode("right")
        }
    }

    @Test("rows decode into a type")
    func intoType() async throws {
        let db = try await connect()
        let pairs = try await db.query(
            "SELECT n AS left, CASE WHEN n > 1 THEN n::text END AS right FROM generate_series(1, 2) AS n"
        ).decode(Pair.self)
        #expect(pairs == [Pair(left: 1, right: nil), Pair(left: 2, right: "2")])
    }
}
