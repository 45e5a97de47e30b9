// The server's log handler: one line per message on standard error, as swift-log's
// StreamLogHandler writes them, but with the metadata put into words only when a line is
// written. StreamLogHandler sorts and joins its metadata every time a key is set, and Hummingbird
// sets the request id on every request's logger: at the default level, where nothing of a
// request is logged, that was 4 % of the server's time for GET /health under load.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif
import Foundation
import GridwallCore
import Logging

public struct LineLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String

    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let line = Self.line(time: Date().timeIntervalSince1970, level: event.level, label: label,
                             metadata: effectiveMetadata(event), source: event.source, message: event.message.description)
        // One write call per line: lines from many threads do not interleave.
        var bytes = line
        bytes.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    /// The handler's metadata, then the provider's, then the message's own (later ones win), and
    /// the error's message and type when there is one.
    func effectiveMetadata(_ event: LogEvent) -> Logger.Metadata {
        var all = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty { all.merge(provided) { $1 } }
        if let own = event.metadata, !own.isEmpty { all.merge(own) { $1 } }
        if let error = event.error {
            all["error.message"] = "\(error)"
            all["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        return all
    }

    /// One log line: `2026-12-04T15:00:00Z info gridwall: key=value … [source] message`, the
    /// metadata sorted by key.
    static func line(time: Double, level: Logger.Level, label: String, metadata: Logger.Metadata, source: String, message: String) -> String {
        var out = ISOTime.format(Int64(time.rounded(.down)))
        out += " \(level)"
        if !label.isEmpty { out += " \(label)" }
        out += ":"
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { out += " \(key)=\(value)" }
        out += " [\(source)] \(message)\n"
        return out
    }
}
