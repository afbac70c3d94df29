import AWS
import Foundation
import HTTPClient
import TestSupport
import Testing

/// Keys that break signers that are almost right.
let awkwardKeys = [
    "plain.txt", "with space.json", "plus+equals=.gz", "ünïcødé/日本語 файл.txt", "deep/a/b/c.json.gz",
    "percent%20literal", "tilde~(parens)!*'", "semi;colon,comma&amp",
    "raw/salesfeed/2025/06/10/19/1749583860-1749584460.json.gz",
]

@Suite("The AWS clients against moto_server on 127.0.0.1")
struct MotoClientTests {
    @Test("S3: put, head, get, list and delete objects whose keys hold any character")
    func s3RoundTrip() async throws {
        let moto = try await MotoServer.shared()
        let client = moto.client()
        try await client.createBucket("roundtrip")
        let s3 = S3Client(client: client)
        for (index, key) in awkwardKeys.enumerated() {
            let body = Array("object \(index): \(key)".utf8)
            let etag = try await s3.putObject(
                bucket: "roundtrip", key: key, body: body, contentType: "application/json", contentEncoding: "gzip")
            let info = try #require(try await s3.headObject(bucket: "roundtrip", key: key))
            #expect(info.etag == etag)
            #expect(info.size == body.count)
            #expect(info.contentType == "application/json")
            #expect(info.contentEncoding == "gzip")
            let object = try await s3.getObject(bucket: "roundtrip", key: key)
            #expect(object.body == body)
        }
        let listed = try await s3.listObjectsV2(bucket: "roundtrip").objects.map(\.key)
        #expect(listed == awkwardKeys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        for key in awkwardKeys { try await s3.deleteObject(bucket: "roundtrip", key: key) }
        #expect(try await s3.listObjectsV2(bucket: "roundtrip").objects.isEmpty)
        #expect(try await s3.headObject(bucket: "roundtrip", key: awkwardKeys[0]) == nil)
    }

    @Test("S3: a listing pages with continuation tokens, by prefix and after a key")
    func s3Listing() async throws {
        let moto = try await MotoServer.shared()
        let client = moto.client()
        try await client.createBucket("listing")
        // Created again, as a retry after a late answer does: the fixture takes it as made.
        try await client.createBucket("listing")
        let s3 = S3Client(client: client)
        let keys = (0..<7).map { "raw/2025/06/\(10 + $0)/w.json.gz" } + ["reports/daily/2025-06-10.pdf"]
        for key in keys { try await s3.putObject(bucket: "listing", key: key, body: [1], contentType: "x/y") }
        var collected: [String] = []
        var token: String?
        var pages = 0
        repeat {
            let page = try await s3.listObjectsV2(
                bucket: "listing", prefix: "raw/", continuationToken: token, maxKeys: 3)
            collected += page.objects.map(\.key)
            token = page.nextContinuationToken
            pages += 1
        } while token != nil
        #expect(collected == Array(keys.prefix(7)))
        #expect(pages == 3)
        let after = try await s3.listObjectsV2(
            bucket: "listing", prefix: "raw/", startAfter: "raw/2025/06/14/w.json.gz")
        #expect(after.objects.map(\.key) == ["raw/2025/06/15/w.json.gz", "raw/2025/06/16/w.json.gz"])
    }

    @Test("S3: a missing key is a typed NoSuchKey error that names the operation and the object")
    func s3Missing() async throws {
        let moto = try await MotoServer.shared()
        let client = moto.client()
        try await client.createBucket("missing")
        let error = await #expect(throws: AWSError.self) {
            try await S3Client(client: client).getObject(bucket: "missing", key: "no/such key.json")
        }
        #expect(error?.code == .noSuchKey)
        #expect(error?.status == 404)
        #expect(error?.description.contains("S3 GetObject s3://missing/no/such key.json failed: NoSuchKey") == true)
        let noBucket = await #expect(throws: AWSError.self) {
            try await S3Client(client: client).getObject(bucket: "no-such-bucket", key: "x")
        }
        #expect(noBucket?.code == .noSuchBucket)
    }

    @Test("S3: a presigned GET URL fetches the object with no other credentials")
    func s3Presigned() async throws {
        let moto = try await MotoServer.shared()
        let client = moto.client()
        try await client.createBucket("presigned")
        let s3 = S3Client(client: client)
        let key = "reports/daily/2025-06-10 Björk+Sigur Rós.pdf"
        try await s3.putObject(
            bucket: "presigned", key: key, body: Array("%PDF-1.7".utf8), contentType: "application/pdf")
        let url = s3.presignedGetURL(bucket: "presigned", key: key, expires: 3600)
        #expect(url.contains("X-Amz-Signature=") && url.contains("X-Amz-Expires=3600"))
        let response = try await HTTPClient().execute(HTTPRequest(url: url, timeout: .seconds(120)))
        #expect(response.status == 200)
        #expect(response.body == Array("%PDF-1.7".utf8))
    }

    @Test("SES v2: a simple email and a raw MIME email are sent as given")
    func ses() async throws {
        let moto = try await MotoServer.shared()
        let client = moto.client()
        try await client.verifyEmailIdentity("reports@example.com")
        let ses = SESClient(client: client)
        let simpleID = try await ses.sendEmail(
            from: "reports@example.com", to: ["label@example.org"], subject: "Daily report: Björk leads",
            text: "Top artist: Björk", html: "<p>Top artist: <b>Björk</b></p>")
        let raw =
            "From: reports@example.com\r\nTo: label@example.org\r\nSubject: raw\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n\r\nraw body\r\n"
        let rawID = try await ses.sendRawEmail(
            from: "reports@example.com", to: ["label@example.org"], message: Array(raw.utf8))
        #expect(!simpleID.isEmpty && !rawID.isEmpty)
        let sent = (try await moto.data()["ses"] as? [String: Any]) ?? [:]
        let messages = sent["Message"] as? [[String: Any]] ?? []
        #expect(
            messages.contains {
                $0["id"] as? String == simpleID && $0["subject"] as? String == "Daily report: Björk leads"
            })
        let raws = sent["RawMessage"] as? [[String: Any]] ?? []
        #expect(
            raws.contains { $0["id"] as? String == rawID && ($0["raw_data"] as? String)?.contains("raw body") == true })
    }

    @Test("SES v2: an unverified sender is rejected with a typed error")
    func sesRejected() async throws {
        let moto = try await MotoServer.shared()
        let error = await #expect(throws: AWSError.self) {
            try await SESClient(client: moto.client()).sendEmail(
                from: "nobody@unverified.example", to: ["x@example.org"], subject: "s", text: "t")
        }
        #expect(error?.code == .messageRejected)
    }

    @Test("SNS: a message is published with attributes subscribers can filter on")
    func sns() async throws {
        let moto = try await MotoServer.shared()
        let client = moto.client()
        let topic = try await client.createTopic("bandcamp-tracker-alerts")
        let id = try await SNSClient(client: client).publish(
            topicARN: topic, message: "Ambient is rising: 3.1× its baseline (95% lower bound 2.2×)",
            subject: "Rising: ambient",
            attributes: ["kind": .string("genre"), "genre": .string("ambient"), "ratio": .number("3.1")])
        let topics = ((try await moto.data()["sns"] as? [String: Any])?["Topic"] as? [[String: Any]]) ?? []
        let sent = topics.first { $0["arn"] as? String == topic }?["sent_notifications"] as? [[Any]] ?? []
        let message = try #require(sent.first { $0.first as? String == id })
        #expect(message[1] as? String == "Ambient is rising: 3.1× its baseline (95% lower bound 2.2×)")
        #expect(message[2] as? String == "Rising: ambient")
        let attributes = message[3] as? [String: [String: String]] ?? [:]
        #expect(attributes["genre"] == ["Type": "String", "Value": "ambient"])
        #expect(attributes["ratio"] == ["Type": "Number", "Value": "3.1"])
    }

    @Test("Secrets Manager: a secret's string, and a missing secret as a typed error without any value")
    func secrets() async throws {
        let moto = try await MotoServer.shared()
        let client = moto.client()
        let value = #"{"username":"tracker","password":"p@ss+word/with=odd chars"}"#
        try await client.createSecret(name: "rds!cluster-tracker", value: value)
        let manager = SecretsManagerClient(client: client)
        #expect(try await manager.getSecretString("rds!cluster-tracker") == value)
        let error = await #expect(throws: AWSError.self) { try await manager.getSecretString("no-such-secret") }
        #expect(error?.code == .notFound)
        #expect(error?.description.contains("no-such-secret") == true)
    }
}

@Suite("The AWS clients against moto_server with signature checking on")
struct MotoAuthenticationTests {
    @Test("right keys are accepted by every service; a wrong secret gets SignatureDoesNotMatch")
    func signatures() async throws {
        let moto = try await MotoServer.launch()
        let setup = moto.client()
        try await setup.createBucket("signed")
        try await setup.verifyEmailIdentity("reports@example.com")
        let topic = try await setup.createTopic("signed-alerts")
        try await setup.createSecret(name: "db", value: "s3cret")
        let (key, secret) = try await setup.createAdministrator("tracker")
        #expect(key.count >= 16 && secret.count >= 20)
        try await moto.enableAuthentication()

        let good = moto.client(accessKeyID: key, secretAccessKey: secret)
        let s3 = S3Client(client: good)
        // moto checks S3 signatures by signing the path as it decoded it, so keys with characters that the
        // path must encode (+ = ; , ( ) ! * ' % and non-ASCII) fail there for boto3 just as for us (measured
        // with boto3 1.43 and moto 5.2); so does a "/" in a query value (a listing's prefix "deep/"). Our
        // encoding of them is checked against AWS's own vectors and in
        // SignerDetailTests; here, the keys moto can verify.
        for awkward in ["plain.txt", "with space.json", "deep/a/b/c.json.gz", "raw/salesfeed/2025/06/10/19/w.json.gz"] {
            try await s3.putObject(bucket: "signed", key: awkward, body: Array(awkward.utf8), contentType: "text/plain")
            #expect(try await s3.getObject(bucket: "signed", key: awkward).body == Array(awkward.utf8))
        }
        #expect(try await s3.listObjectsV2(bucket: "signed", prefix: "deep").objects.count == 1)
        _ = try await SESClient(client: good).sendEmail(
            from: "reports@example.com", to: ["a@example.org"], subject: "s", text: "t")
        _ = try await SNSClient(client: good).publish(topicARN: topic, message: "m", attributes: ["k": .string("v")])
        #expect(try await SecretsManagerClient(client: good).getSecretString("db") == "s3cret")
        // Presigned URLs are not checked here: with auth on, moto 5.2 answers 500 to any presigned URL
        // (boto3's too). They are checked by the S3 presign example, the 38 query-signing vectors, and a fetch
        // from moto with auth off.

        let wrongSecret = "wrong" + String(secret.dropFirst(5))
        let bad = moto.client(accessKeyID: key, secretAccessKey: wrongSecret)
        let error = await #expect(throws: AWSError.self) {
            try await S3Client(client: bad).getObject(bucket: "signed", key: "plain.txt")
        }
        #expect(error?.code == .signatureDoesNotMatch)
        #expect(error?.description.contains(wrongSecret) == false)
        #expect(error?.description.contains(secret) == false)
        let snsError = await #expect(throws: AWSError.self) {
            try await SNSClient(client: bad).publish(topicARN: topic, message: "m")
        }
        #expect(snsError?.code == .signatureDoesNotMatch)
        let unknownKey = moto.client(accessKeyID: "AKIAUNKNOWNUNKNOWN00", secretAccessKey: secret)
        let keyError = await #expect(throws: AWSError.self) {
            try await S3Client(client: unknownKey).getObject(bucket: "signed", key: "plain.txt")
        }
        #expect(keyError?.code == .invalidAccessKeyID)
    }
}
