// The HTTP service: `buildApplication` wires the middleware (errors and limits, authentication)
// and every capability's routes; `gridwall serve` and the tests both use it.
import Foundation
import GridwallCore
import GridwallPROJ
import Hummingbird
import Logging

/// How the server runs: where it listens, what it takes, whom it sends.
public struct ServerOptions: Sendable {
    public var host = "127.0.0.1"
    /// 0 lets the system pick a free port (tests do); `onListening` learns which.
    public var port = 8080
    /// Called once the server listens, with the port it got.
    public var onListening: (@Sendable (Int) async -> Void)?
    /// The largest request body taken, in bytes.
    public var bodyLimit = ServerOptions.defaultBodyLimit
    public static let defaultBodyLimit = 16 << 20
    /// Travel speeds for arrival estimates.
    public var speeds = TravelSpeeds.urban
    /// Metres around the areas where responder positions are accepted.
    public var serviceMargin = ResponderService.defaultServiceMargin
    /// The event categories taken and the responder kinds each calls for.
    public var categories = CategoryKinds.sample
    /// Stream messages kept for Last-Event-ID, how far a client may fall behind, and how many
    /// clients the stream takes at once (each may hold a buffer of messages: with the cap, all
    /// of them together hold at most a few hundred MB however many connections are opened).
    public var streamReplay = 10_000, streamClientBuffer = 1_000, streamClients = 500

    /// 127.0.0.1:8080.
    public init() {}

    /// Whether `host` is a loopback address (where a server without tokens may run open).
    public var isLoopback: Bool { ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.") }
}

/// The HTTP service over `services`.
public func buildApplication(_ services: GridwallServices, logger: Logger) -> some ApplicationProtocol {
    let router = Router(context: GridwallContext.self)
    let routes = APIRoutes(router: router)
    router.add(middleware: MetricsMiddleware(metrics: services.metrics))
    router.add(middleware: LimitsMiddleware(routes: routes, bodyLimit: services.options.bodyLimit))
    router.add(middleware: AuthenticationMiddleware(authenticator: services.authenticator))
    AdminRoutes.add(to: routes, services)
    AssignmentRoutes.add(to: routes, services)
    ResponderRoutes.add(to: routes, services)
    EventRoutes.add(to: routes, services)
    StreamRoutes.add(to: routes, services)
    HeatmapRoutes.add(to: routes, services)
    TileRoutes.add(to: routes, services)
    FeatureRoutes.add(to: routes, services)
    SummaryRoutes.add(to: routes, services)
    WallRoutes.add(to: routes, services)
    PlanRoutes.add(to: routes, services)
    OpenAPIDocument.add(to: routes)
    let options = services.options
    return Application(router: router,
                       // A connection idle for 30 s, or a body that stops arriving, is closed (a
                       // stream being written is not idle).
                       server: .http1(configuration: .init(idleTimeout: .seconds(30))),
                       configuration: .init(address: .hostname(options.host, port: options.port), serverName: "gridwall"),
                       onServerRunning: { channel in await options.onListening?(channel.localAddress?.port ?? options.port) },
                       logger: logger)
}
