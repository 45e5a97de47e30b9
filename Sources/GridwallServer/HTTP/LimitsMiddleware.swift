// The outermost middleware: whatever happens below it, the client gets the JSON error shape.
// Unknown paths are 404s and known paths with another method 405s (with Allow); bodies over
// the limit are refused with a 413 before they are read when their length is declared, and
// while reading otherwise; an error that is not a Gridwall error is logged with the request id
// and answered as a 500 without details.
import Foundation
import GridwallCore
import Hummingbird
import HTTPTypes
import Logging

struct LimitsMiddleware: RouterMiddleware {
    typealias Context = GridwallContext
    let routes: APIRoutes
    let bodyLimit: Int

    func handle(_ request: Request, context: GridwallContext, next: (Request, GridwallContext) async throws -> Response) async throws -> Response {
        var context = context
        context.bodyLimit = bodyLimit
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > bodyLimit {
            return errorResponse(GridwallError(.tooLarge, "the body is \(declared) bytes; this server takes at most \(bodyLimit)", at: "body"))
        }
        do {
            return try await next(request, context)
        } catch let e as GridwallError {
            return errorResponse(e)
        } catch let e as HTTPError {
            switch e.status {
            case .notFound:
                let path = request.uri.path
                let allowed = routes.methods(for: path)
                guard allowed.isEmpty || allowed.contains(request.method) else {
                    var r = errorResponse(GridwallError(.methodNotAllowed, "\(path) takes \(allowed.map(\.rawValue).joined(separator: ", ")), not \(request.method.rawValue)", at: "method"))
                    r.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
                    return r
                }
                return errorResponse(GridwallError(.notFound, "no route \(request.method.rawValue) \(path); GET /openapi.json lists them", at: "path"))
            case .contentTooLarge:
                return errorResponse(GridwallError(.tooLarge, "the body is larger than \(bodyLimit) bytes", at: "body"))
            default:
                var r = errorResponse(GridwallError(.invalidInput, e.body ?? e.status.reasonPhrase, at: "request"))
                r.status = e.status
                return r
            }
        } catch {
            context.logger.error("unexpected error: \(error)")
            var r = errorResponse(GridwallError(.io, "the server failed to answer; the log has request id \(context.id)", at: "server"))
            r.status = .internalServerError
            return r
        }
    }
}
