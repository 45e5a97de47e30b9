// The server's log lines: StreamLogHandler's layout (time, level, label, metadata sorted by key,
// source, message), with the metadata a logger was given, what the message adds, and the error.
import Logging
import Testing
@testable import GridwallServer

@Suite struct LineLogHandlerTests {
    @Test func lineLayout() {
        let line = LineLogHandler.line(time: 1_764_860_400.7, level: .info, label: "gridwall",
                                       metadata: ["route": "/events", "hb.request.id": "42", "caller": "desk-3"],
                                       source: "GridwallServer", message: "request")
        #expect(line == "2025-12-04T15:00:00Z info gridwall: caller=desk-3 hb.request.id=42 route=/events [GridwallServer] request\n")
        #expect(LineLogHandler.line(time: 0, level: .warning, label: "", metadata: [:], source: "s", message: "m")
                    == "1970-01-01T00:00:00Z warning: [s] m\n")
    }

    @Test func theMessageMetadataWinsAndTheErrorIsNamed() {
        struct Broken: Error, CustomStringConvertible { var description: String { "disk full" } }
        var handler = LineLogHandler(label: "gridwall")
        handler[metadataKey: "hb.request.id"] = "7"
        handler[metadataKey: "route"] = "/health"
        #expect(handler[metadataKey: "route"] == "/health")
        let event = LogEvent(level: .error, message: "failed", error: Broken(), metadata: ["route": "/events"], source: "s",
                             file: #fileID, function: #function, line: #line)
        let all = handler.effectiveMetadata(event)
        #expect(all["route"] == "/events" && all["hb.request.id"] == "7")
        #expect(all["error.message"] == "disk full")
        #expect(all["error.type"]?.description.hasSuffix("Broken") == true)
    }
}
