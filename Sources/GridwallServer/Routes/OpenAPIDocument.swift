// GET /openapi.json: the OpenAPI 3.1 document, written from the route table itself (every
// route is added through APIRoutes with its parameters, role and answers), so a route cannot
// be served without being described.
import GridwallCore
import Hummingbird

enum OpenAPIDocument {
    static func add(to routes: APIRoutes) {
        routes.get("/openapi.json", tag: "operations", "This document (OpenAPI 3.1)") { _, _ in
            json(document(routes.docs))
        }
    }

    /// The statuses every route may answer besides its own.
    static func commonStatuses(_ doc: RouteDoc) -> [Int] {
        var statuses = [400, 404, 405, 500]
        if doc.role != nil { statuses += [401, 403] }
        if !doc.body.isEmpty { statuses += [413] }
        return statuses
    }

    static let reasons = [200: "OK", 201: "Created", 204: "No Content", 304: "Not Modified", 400: "The request is wrong; the error names what and where",
                          401: "No valid bearer token", 403: "The token's role is too low", 404: "Not found", 405: "Method not allowed",
                          409: "Conflict", 413: "Body too large", 415: "Unsupported media type", 500: "The server failed"]

    static func document(_ docs: [RouteDoc]) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for doc in docs {
            var operation: [String: JSONValue] = [
                "summary": .string(doc.summary), "tags": .array([.string(doc.tag)]),
                "operationId": .string(operationID(doc)),
                "x-gridwall-role": doc.role.map { .string($0.name) } ?? .null,
            ]
            operation["security"] = doc.role == nil ? .array([]) : .array([.object(["bearer": .array([])])])
            if !doc.parameters.isEmpty {
                operation["parameters"] = .array(doc.parameters.map { p in
                    .object(["name": .string(p.name), "in": .string(p.place.rawValue), "required": .bool(p.required),
                             "description": .string(p.description), "schema": .object(["type": .string(p.type)])])
                })
            }
            if !doc.body.isEmpty {
                operation["requestBody"] = .object(["required": .bool(true), "content": .object(Dictionary(uniqueKeysWithValues: doc.body.map {
                    // NDJSON is lines of JSON, not one JSON value: no schema describes it.
                    ($0, JSONValue.object(["schema": $0.contains("ndjson") ? .object([:]) : doc.bodySchema ?? .object([:])]))
                }))])
            }
            var responses: [String: JSONValue] = [:]
            let success = doc.statuses.contains(201) ? 201 : 200
            responses[String(success)] = .object(["description": .string(reasons[success]!),
                                                  "content": .object([doc.answers: .object(["schema": .object([:])])])])
            for status in Set(doc.statuses + commonStatuses(doc)) where status != success {
                var r: [String: JSONValue] = ["description": .string(reasons[status] ?? "See the summary")]
                if status >= 400 { r["content"] = .object(["application/json": .object(["schema": .object(["$ref": .string("#/components/schemas/Error")])])]) }
                responses[String(status)] = .object(r)
            }
            operation["responses"] = .object(responses)
            var item = paths[doc.path]?.objectValue ?? [:]
            item[doc.method.rawValue.lowercased()] = .object(operation)
            paths[doc.path] = .object(item)
        }
        return .object([
            "openapi": .string("3.1.0"),
            "info": .object(["title": .string("Gridwall"), "version": .string("1.0.0"),
                             "description": .string("Grids, heatmaps, responders, tiles and live events for grid-governance command centres. Errors are {\"error\": {\"code\", \"message\", \"where\"}}.")]),
            "paths": .object(paths),
            "components": .object([
                "securitySchemes": .object(["bearer": .object(["type": .string("http"), "scheme": .string("bearer")])]),
                "schemas": .object(["Error": .object([
                    "type": .string("object"), "required": .array([.string("error")]),
                    "properties": .object(["error": .object([
                        "type": .string("object"), "required": .array([.string("code"), .string("message")]),
                        "properties": .object(["code": .object(["type": .string("string")]), "message": .object(["type": .string("string")]),
                                               "where": .object(["type": .string("string")])]),
                    ])]),
                ])]),
            ]),
        ])
    }

    /// getEventsId-style ids, unique per method and path.
    static func operationID(_ doc: RouteDoc) -> String {
        doc.method.rawValue.lowercased() + doc.path.split(separator: "/").map { part in
            let word = part.filter { $0.isLetter || $0.isNumber }
            return word.prefix(1).uppercased() + word.dropFirst()
        }.joined()
    }
}
