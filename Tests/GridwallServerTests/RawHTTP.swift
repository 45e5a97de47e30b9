// A plain TCP client for what URLSession cannot do: read a Server-Sent Events stream as it
// arrives, hold a connection open without reading, send malformed requests.
import Foundation
import GridwallTestSupport
#if canImport(Glibc)
import Glibc
#endif

final class RawHTTP: @unchecked Sendable {
    // @unchecked: one test uses a client at a time; reads run on a thread of their own.
    let fd: Int32
    private var pending = Data()

    /// Connects to 127.0.0.1:`port`; reads wait at most `timeout` seconds.
    init(port: Int, timeout: Double = 10, receiveBuffer: Int32? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        if var size = receiveBuffer { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw POSIXError(.ECONNREFUSED) }
    }

    deinit { close(fd) }

    func send(_ text: String) { send(Data(text.utf8)) }

    func send(_ data: Data) {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }

    /// Reads until `done` holds for what arrived so far, or the timeout or end of stream, on a
    /// thread of its own (a blocking read must not hold a thread the server in this process needs).
    @discardableResult
    func read(until done: @escaping @Sendable (Data) -> Bool) async -> Data {
        (try? await TestData.detached { self.readBlocking(until: done) }) ?? pending
    }

    private func readBlocking(until done: (Data) -> Bool) -> Data {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !done(pending) {
            let n = recv(fd, &buffer, buffer.count, 0)
            // A signal (a child process of another test ending) interrupts the wait: not an end.
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            pending.append(contentsOf: buffer[0..<n])
        }
        return pending
    }

    /// Everything read so far, as text.
    var text: String { String(decoding: pending, as: UTF8.self) }

    /// The Server-Sent Events read so far: (event type, id, data).
    var events: [(type: String, id: String?, data: String)] {
        // Chunk-size lines end in CRLF, which Swift counts as one Character: drop the CRs first.
        text.replacingOccurrences(of: "\r", with: "").components(separatedBy: "\n\n").compactMap { block in
            var type = "message", id: String?, data: String?
            for line in block.split(separator: "\n") {
                if line.hasPrefix("event: ") { type = String(line.dropFirst(7)) }
                if line.hasPrefix("id: ") { id = String(line.dropFirst(4)) }
                if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
            }
            return data.map { (type, id, $0) }
        }
    }

    /// Opens GET `path` as a stream (headers sent, nothing read yet). Reads wait up to a minute
    /// for the next bytes: on a loaded CI machine a replay once took longer than 10 s to start,
    /// and a read ends as soon as what it waits for has come, so the margin costs nothing.
    static func openStream(port: Int, _ path: String, headers: [String: String] = [:], receiveBuffer: Int32? = nil) throws -> RawHTTP {
        let c = try RawHTTP(port: port, timeout: 60, receiveBuffer: receiveBuffer)
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
        for (k, v) in headers { request += "\(k): \(v)\r\n" }
        c.send(request + "\r\n")
        return c
    }
}
