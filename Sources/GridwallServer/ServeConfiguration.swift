// What `gridwall serve` runs with, from three places in rising precedence: a YAML file
// (`--config`), environment variables (GRIDWALL_PORT, …), and command-line flags. Every serve
// option can be set in each; the category → responder kinds table only in the file. Unknown
// keys and wrong types are errors that name the key and the place.
import Foundation
import GridwallCore
import GridwallPROJ
import Yams

/// The settings of `gridwall serve`.
public struct ServeConfiguration: Sendable, Equatable {
    public var store = "gridwall.sqlite"
    public var geodata = "geodata"
    public var host = "127.0.0.1"
    public var port = 8080
    /// kind=m/s pairs overriding the urban travel speeds.
    public var speeds: String?
    public var serviceMarginKm = ResponderService.defaultServiceMargin / 1000
    public var bodyLimitMb = ServerOptions.defaultBodyLimit >> 20
    public var logLevel = "info"
    /// Category → responder kinds; nil keeps the sample district's table.
    public var categories: [String: [String]]?

    public init() {}

    /// The keys of the file; the environment variable of each is GRIDWALL_ and the key in capitals.
    public static let keys = ["store", "geodata", "host", "port", "speeds", "service_margin_km", "body_limit_mb", "log_level", "categories"]

    /// Reads `file` (YAML) if given, then the GRIDWALL_* variables of `environment` over it.
    public static func load(file: String?, environment: [String: String]) throws -> ServeConfiguration {
        var c = ServeConfiguration()
        if let file {
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw GridwallError(.io, "cannot read the configuration: \(error.localizedDescription)", at: file)
            }
            let parsed: Any?
            do { parsed = try Yams.load(yaml: text) } catch {
                throw GridwallError(.invalidInput, "the configuration is not valid YAML: \(error)", at: file)
            }
            // An empty file sets nothing.
            guard let map = parsed == nil ? [:] : parsed as? [String: Any] else {
                throw GridwallError(.invalidInput, "the configuration must be a mapping of \(keys.joined(separator: ", "))", at: file)
            }
            for (key, value) in map { try c.set(key, value, at: "\(file): \(key)") }
        }
        for key in keys where key != "categories" {
            if let value = environment["GRIDWALL_" + key.uppercased()] { try c.set(key, value, at: "GRIDWALL_" + key.uppercased()) }
        }
        return c
    }

    /// Sets `key` from a YAML or environment value (text is converted where a number is due).
    mutating func set(_ key: String, _ value: Any, at place: String) throws {
        func text() throws -> String {
            if let s = value as? String { return s }
            if let n = value as? Int { return String(n) }
            if let d = value as? Double { return String(d) }
            throw GridwallError(.invalidParameter, "expected text", at: place)
        }
        func number() throws -> Double {
            if let d = value as? Double { return d }
            if let n = value as? Int { return Double(n) }
            if let s = value as? String, let d = Double(s.trimmingCharacters(in: .whitespaces)), d.isFinite { return d }
            throw GridwallError(.invalidParameter, "expected a number, found \(value)", at: place)
        }
        func whole() throws -> Int {
            let d = try number()
            guard d == d.rounded(), abs(d) < 1e9 else { throw GridwallError(.invalidParameter, "expected a whole number, found \(value)", at: place) }
            return Int(d)
        }
        switch key {
        case "store": store = try text()
        case "geodata": geodata = try text()
        case "host": host = try text()
        case "port": port = try whole()
        case "speeds": speeds = try text()
        case "service_margin_km": serviceMarginKm = try number()
        case "body_limit_mb": bodyLimitMb = try whole()
        case "log_level": logLevel = try text()
        case "categories":
            guard let map = value as? [String: Any] else {
                throw GridwallError(.invalidParameter, "expected a mapping of category: [responder kinds]", at: place)
            }
            categories = try map.mapValues { kinds in
                guard let list = kinds as? [Any], !list.isEmpty, let names = list as? [String] else {
                    throw GridwallError(.invalidParameter, "each category needs a list of responder kinds", at: place)
                }
                return names
            }
        default:
            throw GridwallError(.invalidParameter, "unknown setting; settings are \(Self.keys.joined(separator: ", "))", at: place)
        }
    }

    /// The server options these settings give, each checked (the flag or key named in errors).
    public func serverOptions() throws -> ServerOptions {
        var options = ServerOptions()
        options.host = host
        guard (0...65_535).contains(port) else { throw GridwallError(.invalidParameter, "expected a port from 0 to 65535, found \(port)", at: "port") }
        options.port = port
        options.speeds = try speeds.map { try TravelSpeeds.urban.overridden(by: $0, option: "speeds") } ?? .urban
        guard serviceMarginKm.isFinite, (0...20_000).contains(serviceMarginKm) else {
            throw GridwallError(.invalidParameter, "expected kilometres from 0 to 20000, found \(serviceMarginKm)", at: "service_margin_km")
        }
        options.serviceMargin = serviceMarginKm * 1000
        guard (1...1024).contains(bodyLimitMb) else {
            throw GridwallError(.invalidParameter, "expected 1 to 1024 MiB, found \(bodyLimitMb)", at: "body_limit_mb")
        }
        options.bodyLimit = bodyLimitMb << 20
        if let categories { options.categories = CategoryKinds(categories) }
        return options
    }
}
